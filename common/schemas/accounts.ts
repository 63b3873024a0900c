// Accounts, sessions, 2FA and the security policy as the contract and the sign-in pages see them.
// Passwords, codes and keys only ever go in; what comes out is metadata (and a new key or recovery
// codes exactly once, when they are made).
import { z } from 'zod';

export const Role = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;

/** Lowercase, so "Alice" and "alice" are one account; also a valid part of a secret's name. */
export const AccountName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'enter a user name')
  .max(32, 'a user name has at most 32 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'use letters, digits, "-" or "_", starting with a letter or digit')
  .refine((v) => !RESERVED_NAMES.has(v), 'that name is reserved for Hyperion itself');
/** Names the audit log uses for callers that are not accounts. */
export const RESERVED_NAMES = new Set(['desktop', 'cli', 'core', 'system', 'test', 'token']);

/** A password being chosen: long beats complicated (NIST SP 800-63B). */
export const NewPassword = z
  .string()
  .min(12, 'a password has at least 12 characters')
  .max(256, 'a password has at most 256 characters')
  .refine((v) => v.trim().length > 0, 'a password cannot be only spaces');

/** A password being checked: any length, so an old short one still gets a proper "wrong password". */
export const CurrentPassword = z.string().min(1, 'enter your password').max(256);

/** Six digits from an authenticator app; spaces allowed ("123 456"). */
export const OtpCode = z
  .string()
  .trim()
  .regex(/^\d{3}\s?\d{3}$/, 'enter the 6 digits your authenticator app shows');

/** "XXXXX-XXXXX", any case, dashes and spaces optional. */
export const RecoveryCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{5}[\s-]?[A-Za-z0-9]{5}$/, 'a recovery code looks like ABCDE-23456');

export const TwoFactorRequirement = z.enum(['admins', 'operators', 'everyone']);
export type TwoFactorRequirement = z.infer<typeof TwoFactorRequirement>;

export const AccountsPolicy = z
  .object({
    /** Who must use 2FA: admins always; optionally operators too, or everyone. */
    twoFactorFor: TwoFactorRequirement,
    /** A session with no activity for this long ends. */
    sessionIdleMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60),
    /** A session ends this long after sign-in, active or not. */
    sessionMaxHours: z
      .number()
      .int()
      .min(1)
      .max(90 * 24),
    /** Dangerous actions (kill, stop, delete, commands on many hosts) ask for a fresh 2FA code. */
    stepUp: z.object({
      enabled: z.boolean(),
      /** How long one confirmation covers further dangerous actions. */
      validMinutes: z.number().int().min(0).max(60),
    }),
    /** The app locks after this long without input, until a 2FA code is typed. */
    appLock: z.object({
      enabled: z.boolean(),
      idleMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
    }),
    /** Longest life of an access key. */
    accessKeyMaxDays: z.number().int().min(1).max(730),
  })
  .strict();
export type AccountsPolicy = z.infer<typeof AccountsPolicy>;

export const DEFAULT_POLICY: AccountsPolicy = {
  twoFactorFor: 'admins',
  sessionIdleMinutes: 60,
  sessionMaxHours: 12,
  stepUp: { enabled: false, validMinutes: 5 },
  appLock: { enabled: false, idleMinutes: 15 },
  accessKeyMaxDays: 90,
};

export const UserInfo = z.object({
  username: z.string(),
  role: Role,
  twoFactor: z.boolean(),
  /** Unused recovery codes left. */
  recoveryCodesLeft: z.number().int().nonnegative(),
  /** Whether the policy makes 2FA compulsory for this user's role. */
  twoFactorRequired: z.boolean(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  /** Sign-in is refused until then after too many failed attempts. */
  lockedUntil: z.number().int().nullable(),
  createdAt: z.number().int(),
  createdBy: z.string().nullable(),
  lastLoginAt: z.number().int().nullable(),
  lastLoginAddress: z.string().nullable(),
  activeSessions: z.number().int().nonnegative(),
});
export type UserInfo = z.infer<typeof UserInfo>;

export const SignInMethod = z.enum(['password', 'password+totp', 'password+recovery', 'access-key', 'setup']);

export const SessionInfo = z.object({
  id: z.string(),
  createdAt: z.number().int(),
  lastSeenAt: z.number().int(),
  /** The earlier of the idle and the absolute expiry. */
  expiresAt: z.number().int(),
  absoluteExpiresAt: z.number().int(),
  address: z.string().nullable(),
  userAgent: z.string().nullable(),
  method: SignInMethod,
  role: Role,
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const AccessKeyInfo = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  lastUsedAt: z.number().int().nullable(),
});
export type AccessKeyInfo = z.infer<typeof AccessKeyInfo>;

export const Me = z.object({
  user: UserInfo,
  /** How this window reaches the core: the desktop app's owner has no password or sessions. */
  kind: z.enum(['account', 'desktop']),
  /** The role this connection acts with (an access key may grant less than the user's role). */
  role: Role,
  session: SessionInfo.nullable(),
  policy: AccountsPolicy,
  /** Until when dangerous actions need no new code, or null. */
  stepUpUntil: z.number().int().nullable(),
  locked: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const TotpEnrolment = z.object({
  /** Base32, for typing into an app by hand. */
  secret: z.string(),
  /** The otpauth:// URI in the QR code. */
  uri: z.string(),
  /** The QR code as an SVG data: URL (allowed by the page's CSP: img-src data:). */
  qrDataUrl: z.string().startsWith('data:image/svg+xml;base64,'),
  account: z.string(),
  issuer: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

// ---- The HTTP sign-in endpoints (they work before a WebSocket exists) ----

export const AUTH_PATHS = {
  /** GET: who this browser is signed in as, and whether the first admin still has to be made. */
  session: '/api/auth/session',
  setup: '/api/auth/setup',
  login: '/api/auth/login',
  /** The second step: a code from the app, or a recovery code. */
  totp: '/api/auth/totp',
  /** A user who must use 2FA but has not set it up yet: confirms the first code. */
  enrol: '/api/auth/enrol',
  /** A user whose password was set by an admin chooses their own. */
  password: '/api/auth/password',
  /** Exchanges an access key (from a #token= link) for a session cookie. */
  key: '/api/auth/key',
  logout: '/api/auth/logout',
} as const;

export const SetupRequest = z
  .object({ setupToken: z.string().min(16).max(128), username: AccountName, password: NewPassword })
  .strict();
export const LoginRequest = z.object({ username: z.string().max(64), password: CurrentPassword }).strict();
export const Ticket = z.string().min(20).max(100);
export const TotpRequest = z.union([
  z.object({ ticket: Ticket, otp: OtpCode }).strict(),
  z.object({ ticket: Ticket, recoveryCode: RecoveryCode }).strict(),
]);
export const EnrolRequest = z.object({ ticket: Ticket, otp: OtpCode }).strict();
export const PasswordRequest = z.object({ ticket: Ticket, newPassword: NewPassword }).strict();
export const KeyRequest = z.object({ key: z.string().min(20).max(200) }).strict();

export const SignedInUser = z.object({ username: z.string(), role: Role });

/** What one step of signing in leads to. */
export const AuthStep = z.discriminatedUnion('next', [
  z.object({
    next: z.literal('signed-in'),
    user: SignedInUser,
    /** Shown once, right after 2FA was set up. */
    recoveryCodes: z.array(z.string()).optional(),
  }),
  z.object({ next: z.literal('totp'), ticket: Ticket, username: z.string() }),
  z.object({ next: z.literal('enrol'), ticket: Ticket, username: z.string(), enrolment: TotpEnrolment }),
  z.object({ next: z.literal('change-password'), ticket: Ticket, username: z.string() }),
]);
export type AuthStep = z.infer<typeof AuthStep>;

export const AuthState = z.object({
  signedIn: z.boolean(),
  user: SignedInUser.nullable(),
  /** No account exists yet: the setup link that `hyperion serve` printed makes the first admin. */
  setupRequired: z.boolean(),
});
export type AuthState = z.infer<typeof AuthState>;

export const AuthErrorCode = z.enum([
  'invalid_input',
  'invalid_credentials',
  'invalid_code',
  'expired',
  'rate_limited',
  'locked',
  'forbidden',
  'setup_done',
  'not_found',
  'internal',
]);
export const AuthError = z.object({
  code: AuthErrorCode,
  message: z.string(),
  /** For rate_limited and locked: how long until the next try may succeed. */
  retryAfterMs: z.number().int().nonnegative().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type AuthError = z.infer<typeof AuthError>;
