// Accounts' part of the contract: each user's own account (password, 2FA, sessions, access keys,
// step-up and app lock), the users admins manage, and the security policy. Signing in itself goes
// over the HTTP endpoints of AUTH_PATHS, because it happens before a WebSocket exists.
import { z } from 'zod';
import { defineContract } from '../contract';
import {
  AccessKeyInfo,
  AccountName,
  AccountsPolicy,
  CurrentPassword,
  Me,
  NewPassword,
  OtpCode,
  RecoveryCode,
  RecoveryCodes,
  Role,
  SessionInfo,
  TotpEnrolment,
  UserInfo,
} from '../schemas/accounts';

const empty = z.object({}).strict();
const done = z.object({ done: z.literal(true) });
const UserRef = z.object({ username: AccountName }).strict();
/** A code from the app or, when the phone is gone, a recovery code. */
const SecondFactor = z.union([
  z.object({ otp: OtpCode }).strict(),
  z.object({ recoveryCode: RecoveryCode }).strict(),
]);

export const accountsContract = defineContract({
  methods: {
    'accounts.me': {
      input: empty,
      output: Me,
      role: 'viewer',
      summary: 'Who is signed in on this connection, with which role, session and policy.',
    },
    'accounts.heartbeat': {
      input: empty,
      output: z.object({ expiresAt: z.number().int().nullable() }),
      role: 'viewer',
      summary: 'Someone is using the page: keeps the session from ending as idle.',
    },
    'accounts.changePassword': {
      input: z.object({ currentPassword: CurrentPassword, newPassword: NewPassword }).strict(),
      output: z.object({ otherSessionsEnded: z.number().int() }),
      role: 'viewer',
      mutating: true,
      summary: 'Changes your password; your other sessions end.',
    },
    'accounts.beginTotp': {
      input: z.object({ password: CurrentPassword.optional(), otp: OtpCode.optional() }).strict(),
      output: TotpEnrolment,
      role: 'viewer',
      mutating: true,
      summary:
        'Starts setting up 2FA (or moving it to a new phone): a new secret and its QR code, active once confirmed.',
    },
    'accounts.confirmTotp': {
      input: z.object({ otp: OtpCode }).strict(),
      output: RecoveryCodes,
      role: 'viewer',
      mutating: true,
      summary: 'Turns 2FA on with the first code from the app; returns ten one-time recovery codes.',
    },
    'accounts.disableTotp': {
      input: z.object({ password: CurrentPassword.optional(), otp: OtpCode }).strict(),
      output: done,
      role: 'viewer',
      mutating: true,
      summary: 'Turns 2FA off, where the policy allows it for your role.',
    },
    'accounts.newRecoveryCodes': {
      input: z.object({ otp: OtpCode }).strict(),
      output: RecoveryCodes,
      role: 'viewer',
      mutating: true,
      summary: 'Replaces your recovery codes with ten new ones.',
    },
    'accounts.sessions': {
      input: empty,
      output: z.array(SessionInfo),
      role: 'viewer',
      summary: 'Your sessions: where and when you signed in.',
    },
    'accounts.endSession': {
      input: z.object({ id: z.string().min(1).max(40) }).strict(),
      output: done,
      role: 'viewer',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Signs one of your sessions out.',
    },
    'accounts.logoutEverywhere': {
      input: empty,
      output: z.object({ ended: z.number().int() }),
      role: 'viewer',
      mutating: true,
      summary: 'Signs you out of every session, this one included, and closes their connections.',
    },
    'accounts.stepUp': {
      input: SecondFactor,
      output: z.object({ until: z.number().int() }),
      role: 'viewer',
      mutating: true,
      summary: 'Confirms a dangerous action with 2FA; further ones need no code for a few minutes.',
    },
    'accounts.lock': {
      input: empty,
      output: z.object({ locked: z.literal(true) }),
      role: 'viewer',
      mutating: true,
      summary: 'Locks the app until a 2FA code is typed (idle lock, or on demand).',
    },
    'accounts.unlock': {
      input: SecondFactor,
      output: z.object({ locked: z.literal(false) }),
      role: 'viewer',
      mutating: true,
      summary: 'Unlocks the app with a 2FA code.',
    },
    'accounts.accessKeys': {
      input: empty,
      output: z.array(AccessKeyInfo),
      role: 'viewer',
      summary: 'Your access keys (for scripts and wall screens), without the keys themselves.',
    },
    'accounts.createAccessKey': {
      input: z
        .object({
          name: z.string().trim().min(1, 'name the key').max(60),
          role: Role,
          days: z.number().int().min(1).max(730),
          password: CurrentPassword,
        })
        .strict(),
      output: z.object({ key: z.string(), info: AccessKeyInfo }),
      role: 'viewer',
      mutating: true,
      audit: { target: 'name' },
      summary:
        'Makes an access key with your role or less; it is shown once. A #token= link with it signs a browser in.',
    },
    'accounts.revokeAccessKey': {
      input: z.object({ id: z.string().min(1).max(40) }).strict(),
      output: done,
      role: 'viewer',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Revokes one of your access keys; connections using it close.',
    },
    'accounts.policy': {
      input: empty,
      output: AccountsPolicy,
      role: 'viewer',
      summary: 'The security policy: who needs 2FA, session lifetimes, step-up, app lock.',
    },
    'accounts.setPolicy': {
      input: AccountsPolicy,
      output: AccountsPolicy,
      role: 'admin',
      mutating: true,
      summary: 'Changes the security policy.',
    },
    'users.list': {
      input: empty,
      output: z.array(UserInfo),
      role: 'admin',
      summary: 'Every account, with role, 2FA, lockout and last sign-in.',
    },
    'users.create': {
      input: z
        .object({
          username: AccountName,
          role: Role,
          password: NewPassword,
          /** The user picks their own password at the first sign-in (default). */
          mustChangePassword: z.boolean().default(true),
        })
        .strict(),
      output: UserInfo,
      role: 'admin',
      mutating: true,
      audit: { target: 'username' },
      summary: 'Creates an account with a first password; 2FA is set up at the first sign-in where required.',
    },
    'users.setRole': {
      input: z.object({ username: AccountName, role: Role }).strict(),
      output: UserInfo,
      role: 'admin',
      mutating: true,
      audit: { target: 'username' },
      summary: 'Changes what a user may do; their open connections reconnect with the new role.',
    },
    'users.setDisabled': {
      input: z.object({ username: AccountName, disabled: z.boolean() }).strict(),
      output: UserInfo,
      role: 'admin',
      mutating: true,
      audit: { target: 'username' },
      summary: 'Disables an account (its sessions end at once) or enables it again.',
    },
    'users.resetPassword': {
      input: z.object({ username: AccountName, password: NewPassword }).strict(),
      output: UserInfo,
      role: 'admin',
      mutating: true,
      audit: { target: 'username' },
      summary: 'Sets a temporary password the user must change; their sessions end.',
    },
    'users.resetTwoFactor': {
      input: UserRef,
      output: UserInfo,
      role: 'admin',
      mutating: true,
      audit: { target: 'username' },
      summary: 'Removes a user’s 2FA (a lost phone); they set it up again at the next sign-in.',
    },
    'users.unlock': {
      input: UserRef,
      output: UserInfo,
      role: 'admin',
      mutating: true,
      audit: { target: 'username' },
      summary: 'Lifts a lockout after failed sign-ins.',
    },
    'users.endSessions': {
      input: UserRef,
      output: z.object({ ended: z.number().int() }),
      role: 'admin',
      mutating: true,
      audit: { target: 'username' },
      summary: 'Signs a user out everywhere.',
    },
    'users.remove': {
      input: UserRef,
      output: done,
      role: 'admin',
      mutating: true,
      dangerous: true,
      audit: { target: 'username' },
      summary: 'Deletes an account, its sessions and access keys (never the last admin).',
    },
  },
  streams: {},
});
