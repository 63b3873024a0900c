// The checks every call and subscription passes before its handler runs, on every transport: the
// credential is still valid, its role (now) is enough, the app is not locked; and, once the input is
// valid, a dangerous call was confirmed with 2FA when the policy asks for it.
import {
  isDangerousCall,
  roleAllows,
  type Caller,
  type Contract,
  type MethodDef,
  type Role,
} from '../../../common/contract';
import { ApiError } from '../../../common/errors';
import type { AccountsService } from './accounts-service';

/** What a locked app may still do: say who it is, and unlock. */
const WHILE_LOCKED = new Set([
  'accounts.me',
  'accounts.unlock',
  'accounts.lock',
  'accounts.policy',
  'app.info',
]);

export function createAuthorizer(contract: Contract, accounts: AccountsService) {
  return (caller: Caller, name: string, need: Role): ApiError | undefined => {
    const access = accounts.access(caller);
    if ('error' in access) return access.error;
    const method = Object.hasOwn(contract.methods, name) ? contract.methods[name] : undefined;
    if (accounts.isLocked(caller) && !WHILE_LOCKED.has(name)) {
      return new ApiError(
        'locked',
        'Hyperion is locked: type a code from your authenticator app to unlock it.',
      );
    }
    if (!roleAllows(access.role, need)) {
      return new ApiError('forbidden', `Your role (${access.role}) may not use ${name}; it needs ${need}.`, {
        need,
        role: access.role,
      });
    }
    // Deliberate use keeps a session alive; the page's own reads and streams do not.
    if (method && (method.mutating || name === 'accounts.heartbeat')) accounts.touch(caller);
    return undefined;
  };
}

/** After validation: a dangerous call goes ahead only with a fresh 2FA confirmation (when on). */
export function createStepUpCheck(accounts: AccountsService) {
  return (caller: Caller, name: string, def: MethodDef, input: unknown): ApiError | undefined => {
    if (!isDangerousCall(def, input) || accounts.consumeStepUp(caller)) return undefined;
    return new ApiError('step_up_required', 'Confirm this action with a code from your authenticator app.', {
      method: name,
    });
  };
}
