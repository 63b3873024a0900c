// Accounts of `hyperion serve` and the desktop owner's 2FA: users and roles, sessions and access
// keys checked on every call, the security policy, step-up confirmations and the app lock.
import { roleAllows, type Caller, type Role } from '../../../common/contract';
import { ApiError } from '../../../common/errors';
import {
  AccountsPolicy,
  DEFAULT_POLICY,
  type AccessKeyInfo,
  type SessionInfo,
  type TwoFactorRequirement,
  type UserInfo,
} from '../../../common/schemas/accounts';
import type { AuditLog } from '../audit/audit-log';
import { silentLogger, type Logger } from '../log';
import type { SecretStore } from '../secrets/port';
import type { Db } from '../store/database';
import { readSetting, writeSetting } from '../store/settings-repo';
import { AccountError } from './account-error';
import {
  LoginThrottle,
  addressScope,
  userScope,
  type ThrottlePolicy,
  DEFAULT_THROTTLE,
} from './login-throttle';
import { DEFAULT_SCRYPT, decoyHash, hashPassword, verifyPassword, type ScryptCost } from './password';
import { SecondFactor, type SecondFactorProof } from './second-factor';
import { digest, newAccessKey, newPublicId, newToken } from './tokens';
import {
  accessKeyByHash,
  accessKeyById,
  accessKeysOf,
  countAccounts,
  countActiveAdmins,
  countSessionsOf,
  deleteAccessKey,
  deleteAccessKeysOf,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOf,
  deleteSessionsOfKey,
  deleteUser,
  getUser,
  insertAccessKey,
  insertSession,
  insertUser,
  listAccounts,
  recoveryCodesLeft,
  sessionById,
  sessionByTokenHash,
  sessionsOf,
  touchAccessKey,
  touchSession,
  updateUser,
  type AccessKeyRow,
  type SessionRow,
  type UserRow,
} from './users-repo';

/** The workstation's owner in the desktop app: a row without a password, for 2FA only. */
export const DESKTOP_OWNER = 'desktop';
const POLICY_KEY = 'accounts.policy';
/** Activity is written at most this often per session (idle expiry is this coarse). */
const TOUCH_EVERY_MS = 15_000;
const PENDING_ENROLMENT_MS = 15 * 60_000;

export interface AccountsOptions {
  db: Db;
  secrets: SecretStore;
  audit: AuditLog;
  log?: Logger;
  now?: () => number;
  throttle?: Partial<ThrottlePolicy>;
  scrypt?: ScryptCost;
}

export interface RequestContext {
  address?: string;
  userAgent?: string;
}

export interface IssuedSession {
  /** The cookie value: shown to the browser once, stored only as a digest. */
  token: string;
  session: SessionRow;
  maxAgeSec: number;
}

/** What ended: sessions and keys by id, and every connection of some users (role change, disabled). */
export interface EndedCredentials {
  sessions: string[];
  keys: string[];
  users: string[];
  reason: string;
}

/** Who a valid credential belongs to and the role it acts with now. */
export interface CredentialIdentity {
  username: string;
  role: Role;
  credential: NonNullable<Caller['credential']>;
}

const lesser = (a: Role, b: Role): Role => (roleAllows(a, b) ? b : a);

function roleNeedsTwoFactor(role: Role, rule: TwoFactorRequirement): boolean {
  if (role === 'admin') return true;
  if (rule === 'everyone') return true;
  return rule === 'operators' && role === 'operator';
}

/** The key under which step-up and lock state of one connection's credential are kept. */
export function credentialKey(caller: Caller): string {
  return caller.credential ? `${caller.credential.kind}:${caller.credential.id}` : `caller:${caller.id}`;
}

export class AccountsService {
  readonly db: Db;
  readonly throttle: LoginThrottle;
  readonly factor: SecondFactor;
  readonly audit: AuditLog;
  readonly now: () => number;
  readonly scrypt: ScryptCost;
  private readonly log: Logger;
  private cachedPolicy: AccountsPolicy;
  private readonly endedListeners = new Set<(ended: EndedCredentials) => void>();
  private readonly stepUps = new Map<string, { until: number; singleUse: boolean }>();
  private readonly locked = new Set<string>();
  private readonly lastTouch = new Map<string, number>();
  private readonly pendingEnrolments = new Map<string, { secret: string; at: number }>();

  constructor(options: AccountsOptions) {
    this.db = options.db;
    this.audit = options.audit;
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.throttle = new LoginThrottle(this.db, { ...DEFAULT_THROTTLE, ...options.throttle });
    this.factor = new SecondFactor(this.db, options.secrets, this.now);
    this.cachedPolicy = readSetting(this.db, POLICY_KEY, AccountsPolicy, DEFAULT_POLICY);
    // A restarted desktop app is as good as one left alone: it opens locked when the policy says so.
    if (this.cachedPolicy.appLock.enabled && getUser(this.db, DESKTOP_OWNER)?.totp_enabled) {
      this.locked.add(`desktop:${DESKTOP_OWNER}`);
    }
  }

  // ---- policy ----

  policy(): AccountsPolicy {
    return this.cachedPolicy;
  }

  setPolicy(caller: Caller, next: AccountsPolicy): AccountsPolicy {
    if (next.stepUp.enabled || next.appLock.enabled) {
      const own = this.userOf(caller);
      if (!own?.totp_enabled) {
        throw new AccountError(
          'invalid_input',
          'Set up two-factor authentication for your own account first: step-up and the app lock ask for its codes.',
          undefined,
          next.stepUp.enabled ? 'stepUp' : 'appLock',
        );
      }
    }
    writeSetting(this.db, POLICY_KEY, next);
    this.cachedPolicy = next;
    return next;
  }

  twoFactorRequired(role: Role): boolean {
    return roleNeedsTwoFactor(role, this.cachedPolicy.twoFactorFor);
  }

  // ---- users ----

  hasAccounts(): boolean {
    return countAccounts(this.db) > 0;
  }

  getUser(username: string): UserRow | undefined {
    return getUser(this.db, username);
  }

  /** The account behind a caller: the desktop owner for the desktop app, the user name otherwise. */
  userOf(caller: Caller): UserRow | undefined {
    if (caller.via === 'ipc') return this.ensureDesktopOwner();
    if (!caller.credential) return undefined;
    return getUser(this.db, caller.id);
  }

  ensureDesktopOwner(): UserRow {
    const found = getUser(this.db, DESKTOP_OWNER);
    if (found) return found;
    insertUser(this.db, {
      username: DESKTOP_OWNER,
      role: 'admin',
      kind: 'desktop',
      password_hash: null,
      created_at: this.now(),
      created_by: null,
    });
    return getUser(this.db, DESKTOP_OWNER)!;
  }

  info(row: UserRow): UserInfo {
    return {
      username: row.username,
      role: row.role,
      twoFactor: row.totp_enabled === 1,
      recoveryCodesLeft: recoveryCodesLeft(this.db, row.username),
      twoFactorRequired: row.kind === 'account' && this.twoFactorRequired(row.role),
      disabled: row.disabled === 1,
      mustChangePassword: row.must_change_password === 1,
      lockedUntil: this.throttle.lockedUntil(userScope(row.username), this.now()),
      createdAt: row.created_at,
      createdBy: row.created_by,
      lastLoginAt: row.last_login_at,
      lastLoginAddress: row.last_login_address,
      activeSessions: countSessionsOf(this.db, row.username),
    };
  }

  listUsers(): UserInfo[] {
    return listAccounts(this.db).map((u) => this.info(u));
  }

  private requireAccount(username: string): UserRow {
    const row = getUser(this.db, username);
    if (!row || row.kind !== 'account') {
      throw new AccountError('not_found', `There is no account called "${username}".`);
    }
    return row;
  }

  async createUser(
    by: string,
    input: { username: string; role: Role; password: string; mustChangePassword: boolean },
  ): Promise<UserInfo> {
    if (getUser(this.db, input.username)) {
      throw new AccountError(
        'invalid_input',
        `The name "${input.username}" is taken.`,
        undefined,
        'username',
      );
    }
    const hash = await hashPassword(input.password, this.scrypt);
    insertUser(this.db, {
      username: input.username,
      role: input.role,
      kind: 'account',
      password_hash: hash,
      must_change_password: input.mustChangePassword ? 1 : 0,
      created_at: this.now(),
      created_by: by,
    });
    return this.info(this.requireAccount(input.username));
  }

  /** Creates the first admin, with 2FA already confirmed; refused once any account exists. */
  async createFirstAdmin(username: string, passwordHash: string, totp: { secret: string; counter: number }) {
    const created = this.db
      .transaction(() => {
        if (countAccounts(this.db) > 0) return false;
        insertUser(this.db, {
          username,
          role: 'admin',
          kind: 'account',
          password_hash: passwordHash,
          created_at: this.now(),
          created_by: null,
        });
        return true;
      })
      .immediate();
    if (!created) throw new AccountError('setup_done', 'The first admin exists already: sign in instead.');
    return this.factor.activate(username, totp.secret, totp.counter);
  }

  private guardLastAdmin(row: UserRow, what: string): void {
    if (row.role === 'admin' && row.disabled === 0 && countActiveAdmins(this.db) <= 1) {
      throw new AccountError(
        'forbidden',
        `${row.username} is the only admin who can sign in: ${what} would leave nobody to manage Hyperion. Make another admin first.`,
      );
    }
  }

  setRole(by: string, username: string, role: Role): UserInfo {
    const row = this.requireAccount(username);
    if (row.role === role) return this.info(row);
    if (role !== 'admin') this.guardLastAdmin(row, 'taking the admin role away');
    updateUser(this.db, username, { role });
    // Connections reopen with the new role; sessions stay signed in.
    this.emitEnded({ sessions: [], keys: [], users: [username], reason: `role changed to ${role} by ${by}` });
    return this.info(this.requireAccount(username));
  }

  setDisabled(by: string, username: string, disabled: boolean): UserInfo {
    const row = this.requireAccount(username);
    if (disabled && username === by) {
      throw new AccountError('forbidden', 'You cannot disable your own account; another admin can.');
    }
    if (disabled) this.guardLastAdmin(row, 'disabling the account');
    updateUser(this.db, username, { disabled: disabled ? 1 : 0 });
    if (disabled) this.endAllOf(username, `account disabled by ${by}`);
    return this.info(this.requireAccount(username));
  }

  async resetPassword(by: string, username: string, password: string): Promise<UserInfo> {
    this.requireAccount(username);
    updateUser(this.db, username, {
      password_hash: await hashPassword(password, this.scrypt),
      must_change_password: 1,
      password_changed_at: this.now(),
    });
    this.endAllOf(username, `password reset by ${by}`);
    return this.info(this.requireAccount(username));
  }

  async resetTwoFactor(by: string, username: string): Promise<UserInfo> {
    this.requireAccount(username);
    await this.factor.remove(username);
    // Keys were made behind the old second factor: they go with it.
    const keys = deleteAccessKeysOf(this.db, username);
    const sessions = deleteSessionsOf(this.db, username);
    this.emitEnded({ sessions, keys, users: [username], reason: `2FA removed by ${by}` });
    return this.info(this.requireAccount(username));
  }

  unlockUser(username: string): UserInfo {
    this.requireAccount(username);
    this.throttle.unlock(userScope(username));
    return this.info(this.requireAccount(username));
  }

  endSessionsOf(by: string, username: string): number {
    this.requireAccount(username);
    return this.endAllOf(username, `signed out by ${by}`);
  }

  async removeUser(by: string, username: string): Promise<void> {
    const row = this.requireAccount(username);
    if (username === by) throw new AccountError('forbidden', 'You cannot remove your own account.');
    this.guardLastAdmin(row, 'removing the account');
    const keys = accessKeysOf(this.db, username).map((k) => k.id);
    const sessions = sessionsOf(this.db, username).map((s) => s.id);
    await this.factor.remove(username);
    deleteUser(this.db, username);
    this.emitEnded({ sessions, keys, users: [username], reason: `account removed by ${by}` });
  }

  // ---- passwords ----

  /**
   * Checks a password for an account name, throttled per name and per address. Unknown names cost a
   * decoy hash, so their answer takes as long as a wrong password.
   */
  async checkPassword(
    username: string,
    password: string,
    ctx: RequestContext,
  ): Promise<{ ok: true; user: UserRow } | { ok: false; reason: string; lockedNow: boolean }> {
    const scopes = [userScope(username), addressScope(ctx.address)];
    const verdict = this.throttle.check(scopes, this.now());
    if (!verdict.ok) {
      throw verdict.code === 'locked'
        ? new AccountError(
            'locked',
            verdict.scope.startsWith('addr:')
              ? 'Too many failed sign-ins from your address: try again later.'
              : 'This account is locked after too many failed sign-ins: try again later, or ask an admin to unlock it.',
            verdict.retryAfterMs,
          )
        : new AccountError('rate_limited', 'Too many failed attempts: wait a moment.', verdict.retryAfterMs);
    }
    const row = getUser(this.db, username);
    const usable = row && row.kind === 'account' && row.password_hash;
    const ok = await verifyPassword(password, usable ? row.password_hash! : await decoyHash());
    if (ok && usable && row.disabled === 0) {
      this.throttle.succeed(userScope(username));
      return { ok: true, user: row };
    }
    const locked = this.throttle.fail(scopes, this.now());
    const reason = !usable ? 'no such account' : !ok ? 'wrong password' : 'account disabled';
    return { ok: false, reason, lockedNow: locked.length > 0 };
  }

  /** A wrong second factor counts against the account like a wrong password. */
  async checkSecondFactor(
    username: string,
    proof: SecondFactorProof,
    ctx: RequestContext,
  ): Promise<{ ok: true; via: 'totp' | 'recovery' } | { ok: false; reason: string; lockedNow: boolean }> {
    const scopes = [userScope(username), addressScope(ctx.address)];
    const verdict = this.throttle.check(scopes, this.now());
    if (!verdict.ok) {
      throw new AccountError(
        verdict.code,
        verdict.code === 'locked'
          ? 'This account is locked after too many failed attempts: try again later.'
          : 'Too many wrong codes: wait a moment.',
        verdict.retryAfterMs,
      );
    }
    const result = await this.factor.prove(username, proof);
    if (result.ok) return result;
    const locked = this.throttle.fail(scopes, this.now());
    return { ok: false, reason: result.reason, lockedNow: locked.length > 0 };
  }

  async changeOwnPassword(
    caller: Caller,
    current: string,
    next: string,
    ctx: RequestContext,
  ): Promise<number> {
    const own = this.userOf(caller);
    if (!own || own.kind !== 'account') {
      throw new AccountError('forbidden', 'The desktop app has no password: it is your workstation login.');
    }
    const check = await this.checkPassword(own.username, current, ctx);
    if (!check.ok)
      throw new AccountError(
        'invalid_credentials',
        'That is not your current password.',
        undefined,
        'currentPassword',
      );
    updateUser(this.db, own.username, {
      password_hash: await hashPassword(next, this.scrypt),
      must_change_password: 0,
      password_changed_at: this.now(),
    });
    const keep = caller.credential?.kind === 'session' ? caller.credential.id : undefined;
    const ended = deleteSessionsOf(this.db, own.username, keep);
    this.emitEnded({ sessions: ended, keys: [], users: [], reason: 'password changed' });
    return ended.length;
  }

  // ---- 2FA of one's own account ----

  async beginTotp(caller: Caller, proof: { password?: string; otp?: string }, ctx: RequestContext) {
    const own = this.userOf(caller);
    if (!own) throw new AccountError('forbidden', 'This connection has no account.');
    if (own.kind === 'account') {
      if (!proof.password)
        throw new AccountError('invalid_input', 'Enter your password.', undefined, 'password');
      const check = await this.checkPassword(own.username, proof.password, ctx);
      if (!check.ok)
        throw new AccountError('invalid_credentials', 'That is not your password.', undefined, 'password');
    } else if (own.totp_enabled) {
      // The desktop owner has no password: moving 2FA to a new phone needs a code from the old one.
      if (!proof.otp)
        throw new AccountError('invalid_input', 'Enter a code from your current app.', undefined, 'otp');
      await this.requireSecondFactor(own.username, { otp: proof.otp }, ctx, 'otp');
    }
    const enrolment = await this.factor.newEnrolment(own.username);
    this.pendingEnrolments.set(own.username, { secret: enrolment.secret, at: this.now() });
    return enrolment;
  }

  async confirmTotp(caller: Caller, otp: string): Promise<string[]> {
    const own = this.userOf(caller);
    const pending = own && this.pendingEnrolments.get(own.username);
    if (!own || !pending || this.now() - pending.at > PENDING_ENROLMENT_MS) {
      throw new AccountError('expired', 'Start setting up 2FA again: that QR code is no longer waiting.');
    }
    const counter = this.factor.confirmEnrolment(pending.secret, otp);
    if (counter === undefined) {
      throw new AccountError(
        'invalid_code',
        'That code does not match: check the phone’s clock and type the code the app shows now.',
        undefined,
        'otp',
      );
    }
    this.pendingEnrolments.delete(own.username);
    return this.factor.activate(own.username, pending.secret, counter);
  }

  async disableTotp(
    caller: Caller,
    proof: { password?: string; otp: string },
    ctx: RequestContext,
  ): Promise<void> {
    const own = this.userOf(caller);
    if (!own?.totp_enabled) throw new AccountError('invalid_input', 'Two-factor authentication is not on.');
    if (own.kind === 'account' && this.twoFactorRequired(own.role)) {
      throw new AccountError('forbidden', `The policy requires two-factor authentication for ${own.role}s.`);
    }
    if (own.kind === 'desktop' && (this.cachedPolicy.stepUp.enabled || this.cachedPolicy.appLock.enabled)) {
      throw new AccountError('forbidden', 'Turn off step-up and the app lock first: they need your codes.');
    }
    if (own.kind === 'account') {
      const check = await this.checkPassword(own.username, proof.password ?? '', ctx);
      if (!check.ok)
        throw new AccountError('invalid_credentials', 'That is not your password.', undefined, 'password');
    }
    await this.requireSecondFactor(own.username, { otp: proof.otp }, ctx, 'otp');
    await this.factor.remove(own.username);
  }

  async newRecoveryCodes(caller: Caller, otp: string, ctx: RequestContext): Promise<string[]> {
    const own = this.userOf(caller);
    if (!own?.totp_enabled)
      throw new AccountError('invalid_input', 'Set up two-factor authentication first.');
    await this.requireSecondFactor(own.username, { otp }, ctx, 'otp');
    return this.factor.issueRecoveryCodes(own.username);
  }

  private async requireSecondFactor(
    username: string,
    proof: SecondFactorProof,
    ctx: RequestContext,
    field: string,
  ): Promise<'totp' | 'recovery'> {
    const result = await this.checkSecondFactor(username, proof, ctx);
    if (!result.ok) {
      const message = result.lockedNow
        ? 'Too many wrong codes: the account is locked for a while.'
        : `${result.reason[0]!.toUpperCase()}${result.reason.slice(1)}.`;
      throw new AccountError(result.lockedNow ? 'locked' : 'invalid_code', message, undefined, field);
    }
    return result.via;
  }

  // ---- sessions ----

  issueSession(
    user: UserRow,
    method: SessionInfo['method'],
    ctx: RequestContext,
    options: { role?: Role; accessKeyId?: string } = {},
  ): IssuedSession {
    const now = this.now();
    const token = newToken();
    const maxAgeMs = this.cachedPolicy.sessionMaxHours * 3_600_000;
    const session: SessionRow = {
      id: newPublicId(),
      token_hash: digest(token),
      username: user.username,
      // The cap this session acts with: a key's role, or none (the user's role, as it is now).
      role: options.role ?? 'admin',
      method,
      created_at: now,
      last_seen_at: now,
      expires_at: now + maxAgeMs,
      address: ctx.address ?? null,
      user_agent: ctx.userAgent?.slice(0, 300) ?? null,
      access_key_id: options.accessKeyId ?? null,
    };
    insertSession(this.db, session);
    updateUser(this.db, user.username, { last_login_at: now, last_login_address: ctx.address ?? null });
    return { token, session, maxAgeSec: Math.floor(maxAgeMs / 1000) };
  }

  /** Why a session can no longer be used, or undefined while it is good. */
  private sessionProblem(row: SessionRow | undefined, now: number): string | undefined {
    if (!row) return 'You were signed out. Sign in again.';
    if (row.expires_at <= now) {
      return `Your session reached its ${this.cachedPolicy.sessionMaxHours}-hour limit. Sign in again.`;
    }
    if (row.last_seen_at <= now - this.cachedPolicy.sessionIdleMinutes * 60_000) {
      return `Your session ended after ${this.cachedPolicy.sessionIdleMinutes} minutes without activity. Sign in again.`;
    }
    const user = getUser(this.db, row.username);
    if (!user || user.disabled) return 'This account is disabled.';
    return undefined;
  }

  /** The identity a session cookie stands for, while it is valid. */
  identifySession(token: string): CredentialIdentity | undefined {
    const row = sessionByTokenHash(this.db, digest(token));
    if (!row || this.sessionProblem(row, this.now())) return undefined;
    const user = getUser(this.db, row.username)!;
    return {
      username: row.username,
      role: lesser(row.role, user.role),
      credential: { kind: 'session', id: row.id },
    };
  }

  private keyProblem(row: AccessKeyRow | undefined, now: number): string | undefined {
    if (!row) return 'That access key was revoked.';
    if (row.expires_at <= now) return 'That access key has expired.';
    const user = getUser(this.db, row.username);
    if (!user || user.disabled) return 'The account of that access key is disabled.';
    return undefined;
  }

  /** The identity an access key stands for (a script's WebSocket), while it is valid. */
  identifyKey(key: string): CredentialIdentity | undefined {
    const row = accessKeyByHash(this.db, digest(key));
    if (!row || this.keyProblem(row, this.now())) return undefined;
    touchAccessKey(this.db, row.id, this.now());
    const user = getUser(this.db, row.username)!;
    return {
      username: row.username,
      role: lesser(row.role, user.role),
      credential: { kind: 'key', id: row.id },
    };
  }

  accessKeyRow(key: string): AccessKeyRow | undefined {
    const row = accessKeyByHash(this.db, digest(key));
    return row && !this.keyProblem(row, this.now()) ? row : undefined;
  }

  /**
   * Checks a connection's credential on each call: still valid, and with which role now (a demoted
   * user acts with the lesser role at once). Callers without a credential keep their own role.
   */
  access(caller: Caller): { role: Role } | { error: ApiError } {
    const cred = caller.credential;
    if (!cred || cred.kind === 'desktop') return { role: caller.role };
    const now = this.now();
    if (cred.kind === 'session') {
      const row = sessionById(this.db, cred.id);
      const problem = this.sessionProblem(row, now);
      if (problem) {
        if (row) deleteSession(this.db, row.id);
        this.emitEnded({ sessions: [cred.id], keys: [], users: [], reason: problem });
        return { error: new ApiError('unauthorized', problem, { signIn: true }) };
      }
      return { role: lesser(row!.role, getUser(this.db, row!.username)!.role) };
    }
    const key = accessKeyById(this.db, cred.id);
    const problem = this.keyProblem(key, now);
    if (problem) {
      this.emitEnded({ sessions: [], keys: [cred.id], users: [], reason: problem });
      return { error: new ApiError('unauthorized', problem) };
    }
    return { role: lesser(key!.role, getUser(this.db, key!.username)!.role) };
  }

  /** Someone is using the page: the session's idle clock starts over (written at most every 15 s). */
  touch(caller: Caller): number | null {
    const cred = caller.credential;
    if (cred?.kind !== 'session') return null;
    const now = this.now();
    if (now - (this.lastTouch.get(cred.id) ?? 0) >= TOUCH_EVERY_MS) {
      this.lastTouch.set(cred.id, now);
      touchSession(this.db, cred.id, now);
    }
    const row = sessionById(this.db, cred.id);
    return row
      ? Math.min(row.expires_at, row.last_seen_at + this.cachedPolicy.sessionIdleMinutes * 60_000)
      : null;
  }

  sessionInfo(row: SessionRow, current: string | undefined): SessionInfo {
    const idleEnd = row.last_seen_at + this.cachedPolicy.sessionIdleMinutes * 60_000;
    return {
      id: row.id,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: Math.min(idleEnd, row.expires_at),
      absoluteExpiresAt: row.expires_at,
      address: row.address,
      userAgent: row.user_agent,
      method: row.method as SessionInfo['method'],
      role: lesser(row.role, getUser(this.db, row.username)?.role ?? 'viewer'),
      current: row.id === current,
    };
  }

  currentSession(caller: Caller): SessionInfo | null {
    if (caller.credential?.kind !== 'session') return null;
    const row = sessionById(this.db, caller.credential.id);
    return row ? this.sessionInfo(row, row.id) : null;
  }

  sessionsOf(caller: Caller): SessionInfo[] {
    const own = this.userOf(caller);
    if (!own || own.kind !== 'account') return [];
    const current = caller.credential?.kind === 'session' ? caller.credential.id : undefined;
    const now = this.now();
    return sessionsOf(this.db, own.username)
      .filter((s) => !this.sessionProblem(s, now))
      .map((s) => this.sessionInfo(s, current));
  }

  endOwnSession(caller: Caller, id: string): void {
    const row = sessionById(this.db, id);
    if (!row || row.username !== caller.id)
      throw new AccountError('not_found', 'You have no session with that id.');
    deleteSession(this.db, id);
    this.emitEnded({ sessions: [id], keys: [], users: [], reason: 'signed out' });
  }

  /** Ends a session by its cookie (sign out); true when there was one. */
  endSessionByToken(token: string): SessionRow | undefined {
    const row = sessionByTokenHash(this.db, digest(token));
    if (!row) return undefined;
    deleteSession(this.db, row.id);
    this.emitEnded({ sessions: [row.id], keys: [], users: [], reason: 'signed out' });
    return row;
  }

  logoutEverywhere(caller: Caller): number {
    const own = this.userOf(caller);
    if (!own || own.kind !== 'account')
      throw new AccountError('forbidden', 'The desktop app has no sessions.');
    return this.endAllOf(own.username, 'signed out everywhere');
  }

  private endAllOf(username: string, reason: string): number {
    const ended = deleteSessionsOf(this.db, username);
    this.emitEnded({ sessions: ended, keys: [], users: [username], reason });
    return ended.length;
  }

  /** Sessions past their time are deleted, and their connections closed. */
  sweep(): void {
    const now = this.now();
    const ended = deleteExpiredSessions(this.db, now, this.cachedPolicy.sessionIdleMinutes * 60_000);
    if (ended.length) this.emitEnded({ sessions: ended, keys: [], users: [], reason: 'session expired' });
    this.throttle.prune(now);
    for (const [user, pending] of this.pendingEnrolments) {
      if (now - pending.at > PENDING_ENROLMENT_MS) this.pendingEnrolments.delete(user);
    }
    for (const [key, grant] of this.stepUps) if (grant.until <= now) this.stepUps.delete(key);
  }

  onEnded(listener: (ended: EndedCredentials) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  private emitEnded(ended: EndedCredentials): void {
    for (const id of ended.sessions) {
      this.lastTouch.delete(id);
      this.stepUps.delete(`session:${id}`);
      this.locked.delete(`session:${id}`);
    }
    for (const listener of this.endedListeners) {
      try {
        listener(ended);
      } catch (err) {
        this.log.error('a listener of ended sessions failed', { error: String(err) });
      }
    }
  }

  // ---- access keys ----

  accessKeysOf(caller: Caller): AccessKeyInfo[] {
    const own = this.userOf(caller);
    if (!own || own.kind !== 'account') return [];
    return accessKeysOf(this.db, own.username).map((k) => ({
      id: k.id,
      name: k.name,
      role: k.role,
      createdAt: k.created_at,
      expiresAt: k.expires_at,
      lastUsedAt: k.last_used_at,
    }));
  }

  async createAccessKey(
    caller: Caller,
    input: { name: string; role: Role; days: number; password: string },
    ctx: RequestContext,
  ): Promise<{ key: string; info: AccessKeyInfo }> {
    const own = this.userOf(caller);
    if (!own || own.kind !== 'account') {
      throw new AccountError('forbidden', 'Access keys are for hyperion serve; the desktop app needs none.');
    }
    const acting = this.access(caller);
    const role = 'role' in acting ? acting.role : 'viewer';
    if (!roleAllows(role, input.role)) {
      throw new AccountError(
        'forbidden',
        `A key cannot grant more than your own role (${role}).`,
        undefined,
        'role',
      );
    }
    if (input.days > this.cachedPolicy.accessKeyMaxDays) {
      throw new AccountError(
        'invalid_input',
        `Keys last at most ${this.cachedPolicy.accessKeyMaxDays} days under the policy.`,
        undefined,
        'days',
      );
    }
    const check = await this.checkPassword(own.username, input.password, ctx);
    if (!check.ok)
      throw new AccountError('invalid_credentials', 'That is not your password.', undefined, 'password');
    const key = newAccessKey();
    const now = this.now();
    const row: AccessKeyRow = {
      id: newPublicId(),
      key_hash: digest(key),
      username: own.username,
      name: input.name,
      role: input.role,
      created_at: now,
      expires_at: now + input.days * 86_400_000,
      last_used_at: null,
    };
    insertAccessKey(this.db, row);
    return { key, info: this.accessKeysOf(caller).find((k) => k.id === row.id)! };
  }

  revokeAccessKey(caller: Caller, id: string): void {
    const row = accessKeyById(this.db, id);
    if (!row || row.username !== caller.id)
      throw new AccountError('not_found', 'You have no access key with that id.');
    deleteAccessKey(this.db, id);
    const sessions = deleteSessionsOfKey(this.db, id);
    this.emitEnded({ sessions, keys: [id], users: [], reason: 'access key revoked' });
  }

  // ---- step-up and app lock ----

  stepUpUntil(caller: Caller): number | null {
    const grant = this.stepUps.get(credentialKey(caller));
    return grant && grant.until > this.now() ? grant.until : null;
  }

  async stepUp(caller: Caller, proof: SecondFactorProof, ctx: RequestContext): Promise<number> {
    const own = this.userOf(caller);
    if (!own?.totp_enabled) {
      throw new AccountError(
        'forbidden',
        'Set up two-factor authentication in your account to confirm dangerous actions.',
      );
    }
    await this.requireSecondFactor(own.username, proof, ctx, 'otp' in proof ? 'otp' : 'recoveryCode');
    const minutes = this.cachedPolicy.stepUp.validMinutes;
    // "0 minutes": every dangerous action asks; the confirmation covers the one call that asked.
    const until = this.now() + (minutes === 0 ? 60_000 : minutes * 60_000);
    this.stepUps.set(credentialKey(caller), { until, singleUse: minutes === 0 });
    return until;
  }

  /** Whether a dangerous call may go ahead now; a single-use confirmation is spent by it. */
  consumeStepUp(caller: Caller): boolean {
    if (!this.cachedPolicy.stepUp.enabled) return true;
    const key = credentialKey(caller);
    const grant = this.stepUps.get(key);
    if (!grant || grant.until <= this.now()) return false;
    if (grant.singleUse) this.stepUps.delete(key);
    return true;
  }

  isLocked(caller: Caller): boolean {
    return this.locked.has(credentialKey(caller));
  }

  lock(caller: Caller): void {
    const own = this.userOf(caller);
    if (!own?.totp_enabled) {
      throw new AccountError(
        'forbidden',
        'The app lock needs two-factor authentication to unlock: set it up first.',
      );
    }
    this.locked.add(credentialKey(caller));
  }

  async unlock(caller: Caller, proof: SecondFactorProof, ctx: RequestContext): Promise<void> {
    const own = this.userOf(caller);
    if (!own) throw new AccountError('forbidden', 'This connection has no account.');
    if (!this.isLocked(caller)) return;
    await this.requireSecondFactor(own.username, proof, ctx, 'otp' in proof ? 'otp' : 'recoveryCode');
    this.locked.delete(credentialKey(caller));
  }
}
