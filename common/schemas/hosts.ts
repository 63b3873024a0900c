// Saved hosts as the UI and the contract see them. Secrets are write-only: they go in, never out.
import { z } from 'zod';
import { HostId } from './sample';

/** A DNS name, IPv4 or IPv6 address — never anything a shell or ssh could read as an option. */
export const HostAddress = z
  .string()
  .trim()
  .min(1, 'enter the server’s name or address')
  .max(253, 'a host name has at most 253 characters')
  .refine((v) => !v.startsWith('-'), 'an address cannot start with "-"')
  .refine(
    (v) =>
      /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(
        v,
      ) ||
      /^\d{1,3}(?:\.\d{1,3}){3}$/.test(v) ||
      /^[0-9A-Fa-f:.]+$/.test(v.replace(/^\[|\]$/g, '')),
    'use a host name (letters, digits, dots and dashes) or an IP address',
  );

export const Port = z.coerce
  .number({ error: 'the port is a number' })
  .int('the port is a whole number')
  .min(1, 'ports go from 1 to 65535')
  .max(65535, 'ports go from 1 to 65535');

/** POSIX user names, as useradd accepts them. */
export const Username = z
  .string()
  .trim()
  .min(1, 'enter the user to log in as')
  .max(32, 'a user name has at most 32 characters')
  .regex(
    /^[a-z_][a-z0-9_.-]*\$?$/i,
    'a user name has letters, digits, ".", "_" or "-" and starts with a letter or "_"',
  );

export const Tag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}_.:/-]+$/u, 'tags have letters, digits and . _ : / -');

export const AuthMethod = z.enum(['agent', 'key', 'password']);
export type AuthMethod = z.infer<typeof AuthMethod>;

export const HostName = z.string().trim().min(1, 'give the host a name').max(100);

/** How the host authenticates, as shown (no secret, only whether one is stored). */
export const HostAuthView = z.object({
  method: AuthMethod,
  keyPath: z.string().nullable(),
  hasSecret: z.boolean(),
});

export const Host = z.object({
  id: HostId,
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  username: z.string(),
  auth: HostAuthView,
  proxyJump: HostId.nullable(),
  tags: z.array(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Host = z.infer<typeof Host>;

/** What the user types in the add/edit dialog. The secret is the password or the key's passphrase. */
export const HostInput = z
  .object({
    name: HostName,
    address: HostAddress,
    port: Port.default(22),
    username: Username,
    auth: z.object({
      method: AuthMethod,
      keyPath: z.string().trim().min(1).max(4096).optional(),
      /** undefined: keep what is stored; '': remove it; otherwise replace it. */
      secret: z.string().max(4096).optional(),
    }),
    proxyJump: HostId.nullable().default(null),
    tags: z.array(Tag).max(32).default([]),
  })
  .superRefine((value, ctx) => {
    if (value.auth.method === 'key' && !value.auth.keyPath) {
      ctx.addIssue({ code: 'custom', path: ['auth', 'keyPath'], message: 'choose the private key file' });
    }
    if (value.auth.method === 'password' && value.auth.secret === '') {
      ctx.addIssue({ code: 'custom', path: ['auth', 'secret'], message: 'enter the password' });
    }
  });
export type HostInput = z.input<typeof HostInput>;
export type ParsedHostInput = z.output<typeof HostInput>;

export const ConnectionState = z.enum([
  'local',
  'connecting',
  'up',
  'auth_failed',
  'host_key_unknown',
  'host_key_mismatch',
  'unreachable',
  'down',
]);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const HostStatus = z.object({
  id: HostId,
  state: ConnectionState,
  /** A sentence a person understands: why it is in this state and what to do. */
  message: z.string(),
  since: z.number(),
  nextRetryAt: z.number().nullable(),
  rttMs: z.number().nullable(),
  /** What monitoring this host costs: bytes/s on the wire and the sampler's CPU on the host. */
  wireBytesPerSec: z.number().nullable(),
  samplerCpuPercent: z.number().nullable(),
  sampleIntervalMs: z.number().nullable(),
  /** Set when the host presented a key we do not know or that changed: what to show the user. */
  hostKey: z
    .object({
      keyType: z.string(),
      fingerprint: z.string(),
      expectedFingerprints: z.array(z.string()),
    })
    .nullable(),
});
export type HostStatus = z.infer<typeof HostStatus>;
