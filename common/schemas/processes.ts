// Processes as the UI sees them: one row per process of a host, and the actions on one process.
import { z } from 'zod';
import { HostId } from './sample';

/** Linux's pid_max can be raised to 2^22; 0 and negatives name process groups in kill(2). */
export const Pid = z
  .number({ error: 'a PID is a whole number' })
  .int('a PID is a whole number')
  .min(1, 'a PID is 1 or more')
  .max(4_194_304, 'a PID is at most 4194304');

/** The signals the UI offers, by name (no numbers: they differ between architectures). */
export const SIGNALS = ['TERM', 'KILL', 'HUP', 'INT', 'STOP', 'CONT', 'USR1', 'USR2'] as const;
export const SignalName = z.enum(SIGNALS, { error: `a signal is one of ${SIGNALS.join(', ')}` });
export type SignalName = z.infer<typeof SignalName>;

export const Nice = z
  .number({ error: 'nice is a whole number from -20 to 19' })
  .int('nice is a whole number from -20 to 19')
  .min(-20, 'nice is at least -20')
  .max(19, 'nice is at most 19');

/** The kernel's one-letter states (see proc(5)). */
export const ProcessState = z.enum(['R', 'S', 'D', 'Z', 'T', 't', 'X', 'x', 'K', 'W', 'P', 'I']);
export type ProcessState = z.infer<typeof ProcessState>;

export const ProcessRow = z.object({
  pid: z.number().int(),
  ppid: z.number().int(),
  uid: z.number().int().nullable(),
  /** The user name from the host's /etc/passwd, or the uid as text. */
  user: z.string(),
  /** The kernel's short name (comm, at most 15 bytes). */
  name: z.string(),
  /** Arguments joined by spaces; empty for kernel threads (shown as [name]). */
  cmdline: z.string(),
  state: ProcessState,
  /** Percent of one core over the last interval (top's convention: 200 = two cores); null on the first reading. */
  cpuPercent: z.number().nullable(),
  memPercent: z.number(),
  rssBytes: z.number(),
  vszBytes: z.number(),
  threads: z.number().int(),
  nice: z.number().int(),
  priority: z.number().int(),
  /** When it started, ms since the epoch (host clock). */
  startedAt: z.number(),
  /** Kernel clock ticks since boot at start: with the PID, names one process even after PID reuse. */
  startTicks: z.number(),
  /** Storage bytes per second over the last interval; null where /proc/PID/io is not readable. */
  readBytesPerSec: z.number().nullable(),
  writeBytesPerSec: z.number().nullable(),
  /** The system service it belongs to (from its cgroup), e.g. "nginx.service"; null when none. */
  unit: z.string().nullable(),
  /** A unit of a user's own systemd (not restartable from here), e.g. "pipewire.service". */
  userUnit: z.string().nullable(),
});
export type ProcessRow = z.infer<typeof ProcessRow>;

export const ProcessTableInfo = z.object({
  ts: z.number(),
  cores: z.number().int(),
  memTotalBytes: z.number(),
  /** How long the last reading took (ms) and how many bytes it was (the wire for SSH hosts). */
  readMs: z.number(),
  bytes: z.number(),
  /** Files not readable as this user (e.g. other users' I/O counters): why some cells are empty. */
  notes: z.array(z.string()),
});
export type ProcessTableInfo = z.infer<typeof ProcessTableInfo>;

export const ProcessesLiveParams = z
  .object({
    host: HostId,
    /** How often to read the table while watched (ms). */
    intervalMs: z.number().int().min(1000).max(30_000).default(2000),
  })
  .strict();

export const ProcessesLiveEvent = z.discriminatedUnion('kind', [
  /** The whole table: first, and again after the host comes back. */
  z.object({ kind: z.literal('snapshot'), info: ProcessTableInfo, processes: z.array(ProcessRow) }),
  /** What changed since the previous event: changed or new rows, and PIDs that are gone. */
  z.object({
    kind: z.literal('changes'),
    info: ProcessTableInfo,
    upserts: z.array(ProcessRow),
    removed: z.array(z.number().int()),
  }),
  /** The table cannot be read now (host down, /proc unreadable); the stream keeps trying. */
  z.object({ kind: z.literal('unavailable'), message: z.string() }),
]);
export type ProcessesLiveEvent = z.infer<typeof ProcessesLiveEvent>;

/** The process the person confirmed, so a PID reused since then is not signalled by mistake. */
const Expected = z.object({ startTicks: z.number().int().nonnegative() }).strict();

export const SignalInput = z
  .object({ host: HostId, pid: Pid, signal: SignalName, expect: Expected.optional() })
  .strict();
export const ReniceInput = z
  .object({ host: HostId, pid: Pid, nice: Nice, expect: Expected.optional() })
  .strict();
export const RestartProcessServiceInput = z
  .object({ host: HostId, pid: Pid, expect: Expected.optional() })
  .strict();

export const ProcessActionResult = z.object({
  ok: z.literal(true),
  /** A sentence for the person: what was done. */
  message: z.string(),
  /** The nice value read back after renice; the unit restarted for restartService. */
  nice: z.number().int().optional(),
  unit: z.string().optional(),
});
export type ProcessActionResult = z.infer<typeof ProcessActionResult>;
