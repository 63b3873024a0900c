// Signing in, one step at a time: password, then the second factor (or setting it up, or choosing a
// new password), each step handing out a short-lived ticket for the next; the last one a session.
// Every outcome goes to the audit log with the caller's address.
import { roleAllows } from '../../../common/contract';
import type { AuthStep } from '../../../common/schemas/accounts';
import type { AuditResult } from '../../../common/schemas/audit';
import { AccountError, inWords } from './account-error';
import type { AccountsService, IssuedSession, RequestContext } from './accounts-service';
import { addressScope } from './login-throttle';
import { hashPassword } from './password';
import type { SecondFactorProof } from './second-factor';
import { newToken } from './tokens';
import { getUser, updateUser, type UserRow } from './users-repo';

const TICKET_MS = 10 * 60_000;
const CODE_ATTEMPTS_PER_TICKET = 5;

interface PendingSignIn {
  username: string;
  createdAt: number;
  address: string | undefined;
  factorDone: 'totp' | 'recovery' | undefined;
  passwordChanged: boolean;
  wrongCodes: number;
  /** A secret shown in a QR code, waiting for its first code. */
  enrolSecret?: string;
  /** The first admin: created only once their 2FA is confirmed. */
  setup?: { passwordHash: string };
}

export interface StepResult {
  step: AuthStep;
  /** Set when the step signed the browser in: the server turns it into a cookie. */
  issued?: IssuedSession;
}

export class SignInFlow {
  private readonly tickets = new Map<string, PendingSignIn>();

  constructor(private readonly accounts: AccountsService) {}

  private record(
    action: string,
    username: string,
    ctx: RequestContext,
    result: AuditResult,
    error?: string,
    args: Record<string, unknown> = {},
  ): void {
    this.accounts.audit.record({
      actor: username.slice(0, 64) || '(none)',
      via: 'http',
      address: ctx.address ?? null,
      action,
      target: username.slice(0, 64) || null,
      args: { username: username.slice(0, 64), userAgent: ctx.userAgent?.slice(0, 200) ?? null, ...args },
      result,
      error: error ?? null,
    });
  }

  private newTicket(pending: Omit<PendingSignIn, 'createdAt' | 'wrongCodes'>): string {
    const now = this.accounts.now();
    for (const [id, t] of this.tickets) if (now - t.createdAt > TICKET_MS) this.tickets.delete(id);
    const ticket = newToken(24);
    this.tickets.set(ticket, { ...pending, createdAt: now, wrongCodes: 0 });
    return ticket;
  }

  private take(ticket: string, ctx: RequestContext): PendingSignIn {
    const pending = this.tickets.get(ticket);
    if (!pending || this.accounts.now() - pending.createdAt > TICKET_MS) {
      this.tickets.delete(ticket);
      throw new AccountError('expired', 'This sign-in took too long or was already used: start again.');
    }
    if (pending.address !== ctx.address) {
      throw new AccountError('expired', 'This sign-in started from another address: start again.');
    }
    return pending;
  }

  /** Where a sign-in goes next, once the steps so far are done. */
  private async advance(
    ticket: string | undefined,
    pending: PendingSignIn,
    ctx: RequestContext,
  ): Promise<StepResult> {
    if (ticket) this.tickets.delete(ticket);
    const user = getUser(this.accounts.db, pending.username);
    if (!user) throw new AccountError('expired', 'That account no longer exists.');
    if (user.totp_enabled && !pending.factorDone) {
      return { step: { next: 'totp', ticket: this.newTicket(pending), username: user.username } };
    }
    if (user.must_change_password && !pending.passwordChanged) {
      return { step: { next: 'change-password', ticket: this.newTicket(pending), username: user.username } };
    }
    if (!user.totp_enabled && this.accounts.twoFactorRequired(user.role)) {
      const enrolment = await this.accounts.factor.newEnrolment(user.username);
      const next = this.newTicket({ ...pending, enrolSecret: enrolment.secret });
      return { step: { next: 'enrol', ticket: next, username: user.username, enrolment } };
    }
    const method =
      pending.factorDone === 'totp'
        ? 'password+totp'
        : pending.factorDone === 'recovery'
          ? 'password+recovery'
          : 'password';
    return this.signIn(user, method, ctx);
  }

  private signIn(
    user: UserRow,
    method: 'password' | 'password+totp' | 'password+recovery' | 'setup',
    ctx: RequestContext,
    recoveryCodes?: string[],
  ): StepResult {
    const issued = this.accounts.issueSession(user, method, ctx);
    this.record('auth.login', user.username, ctx, 'ok', undefined, { method, session: issued.session.id });
    return {
      step: {
        next: 'signed-in',
        user: { username: user.username, role: user.role },
        ...(recoveryCodes ? { recoveryCodes } : {}),
      },
      issued,
    };
  }

  /** The first step for the very first admin (the server has checked the setup link's token). */
  async setup(username: string, password: string, ctx: RequestContext): Promise<StepResult> {
    if (this.accounts.hasAccounts()) {
      throw new AccountError('setup_done', 'The first admin exists already: sign in instead.');
    }
    const passwordHash = await hashPassword(password, this.accounts.scrypt);
    const enrolment = await this.accounts.factor.newEnrolment(username);
    const ticket = this.newTicket({
      username,
      address: ctx.address,
      factorDone: undefined,
      passwordChanged: true,
      enrolSecret: enrolment.secret,
      setup: { passwordHash },
    });
    return { step: { next: 'enrol', ticket, username, enrolment } };
  }

  async login(username: string, password: string, ctx: RequestContext): Promise<StepResult> {
    const name = username.trim().toLowerCase();
    // Throttled attempts throw here, unchecked and not written one by one (a flood would bury the
    // log); the lockout that started them was recorded.
    const check = await this.accounts.checkPassword(name, password, ctx);
    if (!check.ok) {
      this.record('auth.login', name, ctx, 'refused', check.reason);
      if (check.lockedNow) {
        this.record('auth.lockout', name, ctx, 'refused', 'too many failed sign-ins', {
          minutes: this.accounts.throttle.policy.lockMs / 60_000,
        });
        throw new AccountError(
          'locked',
          `Too many failed sign-ins: sign-in is locked ${inWords(this.accounts.throttle.policy.lockMs)}.`,
          this.accounts.throttle.policy.lockMs,
        );
      }
      throw new AccountError('invalid_credentials', 'That user name and password do not match.');
    }
    const fresh: PendingSignIn = {
      username: check.user.username,
      address: ctx.address,
      factorDone: undefined,
      passwordChanged: false,
      wrongCodes: 0,
      createdAt: 0,
    };
    return this.advance(undefined, fresh, ctx);
  }

  async secondFactor(ticket: string, proof: SecondFactorProof, ctx: RequestContext): Promise<StepResult> {
    const pending = this.take(ticket, ctx);
    const result = await this.accounts.checkSecondFactor(pending.username, proof, ctx);
    if (!result.ok) {
      pending.wrongCodes++;
      this.record('auth.totp', pending.username, ctx, 'refused', result.reason);
      if (result.lockedNow || pending.wrongCodes >= CODE_ATTEMPTS_PER_TICKET) {
        this.tickets.delete(ticket);
        if (result.lockedNow)
          this.record('auth.lockout', pending.username, ctx, 'refused', 'too many wrong codes');
        throw new AccountError(
          result.lockedNow ? 'locked' : 'expired',
          result.lockedNow
            ? 'Too many wrong codes: sign-in is locked for a while.'
            : 'Too many wrong codes: start again.',
        );
      }
      throw new AccountError(
        'invalid_code',
        `That code was not accepted: ${result.reason}.`,
        undefined,
        'otp',
      );
    }
    if (result.via === 'recovery') this.record('auth.recoveryCodeUsed', pending.username, ctx, 'ok');
    return this.advance(ticket, { ...pending, factorDone: result.via }, ctx);
  }

  async choosePassword(ticket: string, newPassword: string, ctx: RequestContext): Promise<StepResult> {
    const pending = this.take(ticket, ctx);
    const user = getUser(this.accounts.db, pending.username);
    if (!user?.must_change_password) throw new AccountError('expired', 'Start again.');
    updateUser(this.accounts.db, user.username, {
      password_hash: await hashPassword(newPassword, this.accounts.scrypt),
      must_change_password: 0,
      password_changed_at: this.accounts.now(),
    });
    this.record('auth.passwordChosen', user.username, ctx, 'ok');
    return this.advance(ticket, { ...pending, passwordChanged: true }, ctx);
  }

  async enrol(ticket: string, otp: string, ctx: RequestContext): Promise<StepResult> {
    const pending = this.take(ticket, ctx);
    if (!pending.enrolSecret) throw new AccountError('expired', 'Start again.');
    const counter = this.accounts.factor.confirmEnrolment(pending.enrolSecret, otp);
    if (counter === undefined) {
      pending.wrongCodes++;
      if (pending.wrongCodes >= CODE_ATTEMPTS_PER_TICKET) this.tickets.delete(ticket);
      throw new AccountError(
        'invalid_code',
        'That code does not match: check that the phone’s clock is right and type the code the app shows now.',
        undefined,
        'otp',
      );
    }
    this.tickets.delete(ticket);
    if (pending.setup) {
      const codes = await this.accounts.createFirstAdmin(pending.username, pending.setup.passwordHash, {
        secret: pending.enrolSecret,
        counter,
      });
      this.record('auth.setup', pending.username, ctx, 'ok', undefined, { role: 'admin' });
      this.record('auth.totpEnabled', pending.username, ctx, 'ok');
      return this.signIn(getUser(this.accounts.db, pending.username)!, 'setup', ctx, codes);
    }
    const codes = await this.accounts.factor.activate(pending.username, pending.enrolSecret, counter);
    this.record('auth.totpEnabled', pending.username, ctx, 'ok');
    const user = getUser(this.accounts.db, pending.username)!;
    if (user.must_change_password && !pending.passwordChanged) {
      // Not reached in practice (the password step comes first), but never skip it.
      return this.advance(undefined, { ...pending, factorDone: 'totp', enrolSecret: undefined }, ctx);
    }
    return this.signIn(user, 'password+totp', ctx, codes);
  }

  /** A #token= link: an access key exchanged for a session with the key's role. */
  exchangeKey(key: string, ctx: RequestContext): StepResult {
    const scope = [addressScope(ctx.address)];
    const verdict = this.accounts.throttle.check(scope, this.accounts.now());
    if (!verdict.ok) {
      throw new AccountError(
        'rate_limited',
        'Too many wrong links from your address: wait a moment.',
        verdict.retryAfterMs,
      );
    }
    const row = this.accounts.accessKeyRow(key);
    const user = row && getUser(this.accounts.db, row.username);
    if (!row || !user) {
      this.accounts.throttle.fail(scope, this.accounts.now());
      this.record('auth.accessKey', '', ctx, 'refused', 'unknown, revoked or expired access key');
      throw new AccountError('invalid_credentials', 'This access link is no longer valid.');
    }
    const issued = this.accounts.issueSession(user, 'access-key', ctx, {
      role: row.role,
      accessKeyId: row.id,
    });
    this.record('auth.login', user.username, ctx, 'ok', undefined, {
      method: 'access-key',
      key: row.name,
      session: issued.session.id,
    });
    // The key's role, or the user's if that is less (a demoted owner).
    const role = roleAllows(row.role, user.role) ? user.role : row.role;
    return { step: { next: 'signed-in', user: { username: user.username, role } }, issued };
  }

  logout(token: string, ctx: RequestContext): boolean {
    const ended = this.accounts.endSessionByToken(token);
    if (ended) this.record('auth.logout', ended.username, ctx, 'ok', undefined, { session: ended.id });
    return ended !== undefined;
  }
}
