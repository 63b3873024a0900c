// The account's marks on the frame: who is signed in and with which role (beside the Account link),
// whether the Users page is offered (admins of the served app), and the top bar's sign-out.
import { useAccount } from './AccountProvider';
import './accounts.css';

export function useIsServedAdmin(): boolean {
  const { me, mode } = useAccount();
  return mode === 'browser' && me?.role === 'admin';
}

export function AccountBadge() {
  const { me } = useAccount();
  if (!me) return null;
  return (
    <span className="muted small rail-account-badge" data-testid="rail-role">
      {me.kind === 'desktop' ? me.role : `${me.user.username} · ${me.role}`}
    </span>
  );
}

export function SignOutButton() {
  const { mode, signOut, me } = useAccount();
  if (mode !== 'browser' || !me) return null;
  return (
    <button type="button" className="sign-out" onClick={() => void signOut()} data-testid="sign-out-top">
      Sign out
    </button>
  );
}
