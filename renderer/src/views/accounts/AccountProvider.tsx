// Who is signed in, for every view: the account, its role and the policy; plus what goes with it on
// every screen — keeping the session alive while someone works, the idle app lock, and the 2FA
// step-up dialog that dangerous actions wait on.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Me } from '../../../../common/schemas/accounts';
import { signOut } from '../../api/auth-http';
import { useClient, useOnConnected } from '../../api/context';
import type { HyperionClient } from '../../api/client';
import type { StepUpGate } from '../../api/step-up';
import { LockScreen } from './LockScreen';
import { StepUpDialog } from './StepUpDialog';

export interface AccountState {
  me: Me | undefined;
  mode: 'desktop' | 'browser';
  reload(): void;
  /** Signs this browser out (the page then shows the sign-in form). */
  signOut(): Promise<void>;
}

const AccountContext = createContext<AccountState | undefined>(undefined);

export function useAccount(): AccountState {
  const state = useContext(AccountContext);
  if (!state) throw new Error('useAccount needs an AccountProvider');
  return state;
}

/** Whether the signed-in role may use something that needs `need`. */
export function useRoleAllows(need: 'viewer' | 'operator' | 'admin'): boolean {
  const { me } = useAccount();
  const rank = { viewer: 0, operator: 1, admin: 2 } as const;
  return me !== undefined && rank[me.role] >= rank[need];
}

const HEARTBEAT_EVERY_MS = 60_000;
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** Calls `onActive` at most once a minute while someone uses the page, and `onIdle` after `idleMs` without input. */
function useActivity(onActive: () => void, idleMs: number | undefined, onIdle: () => void): void {
  const last = useRef(0);
  const active = useRef(onActive);
  const idle = useRef(onIdle);
  active.current = onActive;
  idle.current = onIdle;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      if (idleMs !== undefined) timer = setTimeout(() => idle.current(), idleMs);
    };
    const onInput = (): void => {
      arm();
      const now = Date.now();
      if (now - last.current < HEARTBEAT_EVERY_MS) return;
      last.current = now;
      active.current();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onInput, { passive: true });
    arm();
    return () => {
      if (timer) clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onInput);
    };
  }, [idleMs]);
}

export function AccountProvider(props: {
  gate: StepUpGate;
  mode: 'desktop' | 'browser';
  onSignedOut?: () => void;
  children: ReactNode;
}) {
  const client = useClient();
  const [me, setMe] = useState<Me>();
  const [lockedHere, setLockedHere] = useState(false);
  const load = useCallback((c: HyperionClient) => {
    c.call('accounts.me', {}).then(
      (next) => {
        setMe(next);
        setLockedHere(next.locked);
      },
      () => undefined,
    );
  }, []);
  useOnConnected(load);
  const reload = useCallback(() => load(client), [client, load]);
  useEffect(() => props.gate.onLocked(() => setLockedHere(true)), [props.gate]);

  const lockable = me?.policy.appLock.enabled === true && me.user.twoFactor;
  useActivity(
    () => {
      if (props.mode === 'browser') void client.call('accounts.heartbeat', {}).catch(() => undefined);
    },
    lockable ? me.policy.appLock.idleMinutes * 60_000 : undefined,
    () => {
      void client.call('accounts.lock', {}).then(
        () => setLockedHere(true),
        () => undefined,
      );
    },
  );

  const state: AccountState = {
    me,
    mode: props.mode,
    reload,
    signOut: async () => {
      await signOut().catch(() => undefined);
      props.onSignedOut?.();
    },
  };
  return (
    <AccountContext.Provider value={state}>
      {props.children}
      <StepUpDialog gate={props.gate} canConfirm={me?.user.twoFactor === true} />
      {lockedHere && me && (
        <LockScreen
          username={me.kind === 'desktop' ? undefined : me.user.username}
          onUnlocked={() => {
            setLockedHere(false);
            reload();
          }}
        />
      )}
    </AccountContext.Provider>
  );
}
