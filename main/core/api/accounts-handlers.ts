// Binds the accounts part of the contract to the accounts service: each user's own account, the
// users admins manage, and the policy.
import type { accountsContract } from '../../../common/contracts/accounts';
import type { Caller } from '../../../common/contract';
import { ApiError } from '../../../common/errors';
import type { Handlers } from '../../../common/rpc/server';
import { AccountError } from '../accounts/account-error';
import type { AccountsService, RequestContext } from '../accounts/accounts-service';

type Methods = Handlers<typeof accountsContract>['methods'];

const ctxOf = (caller: Caller): RequestContext => ({ address: caller.address });

/** AccountErrors become API errors with the field they are about. */
function mapped<T extends Methods>(methods: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(methods)) {
    out[name] = async (input: unknown, ctx: unknown) => {
      try {
        return await (handler as (i: unknown, c: unknown) => unknown)(input, ctx);
      } catch (err) {
        throw err instanceof AccountError ? err.toApiError() : err;
      }
    };
  }
  return out as T;
}

export function createAccountsHandlers(accounts: AccountsService): Handlers<typeof accountsContract> {
  const me = (caller: Caller) => {
    const own = accounts.userOf(caller);
    if (!own) throw new ApiError('not_found', 'This connection has no account.');
    return own;
  };
  const adminName = (caller: Caller) => (caller.via === 'ipc' ? 'desktop' : caller.id);
  return {
    methods: mapped({
      'accounts.me': (_input, { caller }) => {
        const own = me(caller);
        const access = accounts.access(caller);
        return {
          user: accounts.info(own),
          kind: own.kind,
          role: 'role' in access ? access.role : caller.role,
          session: accounts.currentSession(caller),
          policy: accounts.policy(),
          stepUpUntil: accounts.stepUpUntil(caller),
          locked: accounts.isLocked(caller),
        };
      },
      'accounts.heartbeat': (_input, { caller }) => ({ expiresAt: accounts.touch(caller) }),
      'accounts.changePassword': async ({ currentPassword, newPassword }, { caller }) => ({
        otherSessionsEnded: await accounts.changeOwnPassword(
          caller,
          currentPassword,
          newPassword,
          ctxOf(caller),
        ),
      }),
      'accounts.beginTotp': (proof, { caller }) => accounts.beginTotp(caller, proof, ctxOf(caller)),
      'accounts.confirmTotp': async ({ otp }, { caller }) => ({
        recoveryCodes: await accounts.confirmTotp(caller, otp),
      }),
      'accounts.disableTotp': async (proof, { caller }) => {
        await accounts.disableTotp(caller, proof, ctxOf(caller));
        return { done: true as const };
      },
      'accounts.newRecoveryCodes': async ({ otp }, { caller }) => ({
        recoveryCodes: await accounts.newRecoveryCodes(caller, otp, ctxOf(caller)),
      }),
      'accounts.sessions': (_input, { caller }) => accounts.sessionsOf(caller),
      'accounts.endSession': ({ id }, { caller }) => {
        accounts.endOwnSession(caller, id);
        return { done: true as const };
      },
      'accounts.logoutEverywhere': (_input, { caller }) => ({ ended: accounts.logoutEverywhere(caller) }),
      'accounts.stepUp': async (proof, { caller }) => ({
        until: await accounts.stepUp(caller, proof, ctxOf(caller)),
      }),
      'accounts.lock': (_input, { caller }) => {
        accounts.lock(caller);
        return { locked: true as const };
      },
      'accounts.unlock': async (proof, { caller }) => {
        await accounts.unlock(caller, proof, ctxOf(caller));
        return { locked: false as const };
      },
      'accounts.accessKeys': (_input, { caller }) => accounts.accessKeysOf(caller),
      'accounts.createAccessKey': (input, { caller }) =>
        accounts.createAccessKey(caller, input, ctxOf(caller)),
      'accounts.revokeAccessKey': ({ id }, { caller }) => {
        accounts.revokeAccessKey(caller, id);
        return { done: true as const };
      },
      'accounts.policy': () => accounts.policy(),
      'accounts.setPolicy': (policy, { caller }) => accounts.setPolicy(caller, policy),
      'users.list': () => accounts.listUsers(),
      'users.create': (input, { caller }) => accounts.createUser(adminName(caller), input),
      'users.setRole': ({ username, role }, { caller }) =>
        accounts.setRole(adminName(caller), username, role),
      'users.setDisabled': ({ username, disabled }, { caller }) =>
        accounts.setDisabled(adminName(caller), username, disabled),
      'users.resetPassword': ({ username, password }, { caller }) =>
        accounts.resetPassword(adminName(caller), username, password),
      'users.resetTwoFactor': ({ username }, { caller }) =>
        accounts.resetTwoFactor(adminName(caller), username),
      'users.unlock': ({ username }) => accounts.unlockUser(username),
      'users.endSessions': ({ username }, { caller }) => ({
        ended: accounts.endSessionsOf(adminName(caller), username),
      }),
      'users.remove': async ({ username }, { caller }) => {
        await accounts.removeUser(adminName(caller), username);
        return { done: true as const };
      },
    }),
    streams: {},
  };
}
