// The audit log as the UI reads it: who did what, where, when, and how it ended.
import { z } from 'zod';

export const AuditResult = z.enum(['ok', 'refused', 'failed']);
export type AuditResult = z.infer<typeof AuditResult>;

export const AuditEntry = z.object({
  /** Position in the log: 1, 2, 3, … with no holes. */
  seq: z.number().int().positive(),
  ts: z.number().int(),
  /**
   * Who acted: the account name under `serve` (for a failed sign-in, the name that was typed),
   * "desktop" in the Electron app, "cli" for commands. `via` "http" is a sign-in endpoint.
   */
  actor: z.string(),
  via: z.enum(['ipc', 'websocket', 'http', 'cli', 'memory', 'core']),
  /** The network address of the caller, when there is one. */
  address: z.string().nullable(),
  /** The host acted on (a saved host's id, or "local"), when the action has one. */
  host: z.string().nullable(),
  /** What was done, e.g. "processes.signal", "services.restart", "auth.login". */
  action: z.string(),
  /** What it was done to, e.g. a PID, a unit name, a path. */
  target: z.string().nullable(),
  /** The arguments, with every secret replaced by "[redacted]". */
  args: z.record(z.string(), z.unknown()),
  result: AuditResult,
  /** Why it was refused or failed, in a sentence. */
  error: z.string().nullable(),
  /** SHA-256 of the previous entry's hash and this entry: editing or removing a row breaks the chain. */
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditFilter = z
  .object({
    host: z.string().max(200).optional(),
    /** Matches the action exactly, or every action under a prefix ending in ".": "services.". */
    action: z.string().max(200).optional(),
    actor: z.string().max(200).optional(),
    result: AuditResult.optional(),
    /** Words that must appear in the target, arguments or error. */
    text: z.string().max(200).optional(),
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().positive().optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditQuery = AuditFilter.extend({
  /** Entries before this seq (newest first): the next page. */
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
}).strict();
export type AuditQuery = z.input<typeof AuditQuery>;

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  /** Pass as beforeSeq for the next (older) page; null when this is the oldest. */
  nextBeforeSeq: z.number().int().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  /** How many entries were checked. */
  checked: z.number().int().nonnegative(),
  /** The first entry whose hash or link does not match, when the chain is broken. */
  brokenAt: z.number().int().nullable(),
  message: z.string(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
