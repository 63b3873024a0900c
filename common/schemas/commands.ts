// Commands run on one or many hosts: what was asked, how each host answered, and saved snippets.
import { z } from 'zod';
import { HostId } from './sample';

/** What the user typed, sent to the remote login shell as written. */
export const CommandText = z
  .string()
  .max(16_384, 'a command has at most 16 384 characters')
  .refine((v) => v.trim().length > 0, 'type a command')
  .refine((v) => !v.includes('\0'), 'a command cannot contain a NUL character');

export const RunId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a run id');

export const CommandRunInput = z
  .object({
    command: CommandText,
    /** The hosts exactly as confirmed by the person (a tag is resolved before confirmation). */
    hosts: z
      .array(HostId)
      .min(1, 'choose at least one host')
      .max(500, 'at most 500 hosts per run')
      .refine((ids) => new Set(ids).size === ids.length, 'a host is listed twice'),
    /** How many hosts run at the same time. */
    concurrency: z.number().int().min(1).max(100).default(10),
    /** Each host's command is stopped after this many seconds (SIGTERM, then SIGKILL). */
    timeoutSec: z.number().int().min(1).max(86_400).default(300),
  })
  .strict();
export type CommandRunInput = z.input<typeof CommandRunInput>;

export const CommandHostState = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'unreachable',
  /** Hyperion stopped while the command ran: how it ended is not known. */
  'interrupted',
]);
export type CommandHostState = z.infer<typeof CommandHostState>;

export const CommandHostResult = z.object({
  host: HostId,
  /** The host's name when the run started (it may be renamed or removed since). */
  name: z.string(),
  state: CommandHostState,
  exitCode: z.number().int().nullable(),
  /** The signal that ended the command, e.g. "SIGTERM", when it did not exit by itself. */
  signal: z.string().nullable(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  /** Bytes of output the command produced, kept or not. */
  outputBytes: z.number().int().nonnegative(),
  /** True when output went past the limit and the rest was not kept. */
  truncated: z.boolean(),
  /** Why the host did not run the command or how it failed, in a sentence. */
  error: z.string().nullable(),
});
export type CommandHostResult = z.infer<typeof CommandHostResult>;

export const CommandRunState = z.enum(['running', 'finished', 'cancelled', 'interrupted']);
export type CommandRunState = z.infer<typeof CommandRunState>;

export const CommandSummary = z.object({
  succeeded: z.number().int(),
  failed: z.number().int(),
  running: z.number().int(),
  queued: z.number().int(),
});
export type CommandSummary = z.infer<typeof CommandSummary>;

export const CommandRun = z.object({
  id: RunId,
  command: z.string(),
  /** Who ran it: the account, "desktop", or "cli". */
  actor: z.string(),
  state: CommandRunState,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  timeoutSec: z.number().int(),
  concurrency: z.number().int(),
  /** Every host in the order confirmed. */
  hosts: z.array(CommandHostResult),
  summary: CommandSummary,
});
export type CommandRun = z.infer<typeof CommandRun>;

export const OutputStream = z.enum(['stdout', 'stderr']);
export type OutputStream = z.infer<typeof OutputStream>;

export const OutputChunk = z.object({ host: HostId, stream: OutputStream, text: z.string() });
export type OutputChunk = z.infer<typeof OutputChunk>;

export const CommandLiveEvent = z.object({
  /** True for the first event: the run as it stands and the tail of each host's output. */
  snapshot: z.boolean(),
  run: CommandRun,
  output: z.array(OutputChunk),
  /** Per host, bytes of kept output left out of the snapshot (fetch them with commands.output). */
  omitted: z.record(z.string(), z.number().int()).optional(),
});
export type CommandLiveEvent = z.infer<typeof CommandLiveEvent>;

export const CommandHistoryQuery = z
  .object({
    /** Words that must appear in the command. */
    text: z.string().max(200).optional(),
    host: HostId.optional(),
    /** Runs that started before this time (the next page). */
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();
export type CommandHistoryQuery = z.input<typeof CommandHistoryQuery>;

export const CommandHistoryPage = z.object({
  runs: z.array(CommandRun),
  /** Pass as `before` for the next (older) page; null when this is the oldest. */
  nextBefore: z.number().int().nullable(),
});
export type CommandHistoryPage = z.infer<typeof CommandHistoryPage>;

export const HostOutput = z.object({
  host: HostId,
  /** The kept output in the order it arrived, stdout and stderr interleaved. */
  chunks: z.array(z.object({ stream: OutputStream, text: z.string() })),
  outputBytes: z.number().int(),
  truncated: z.boolean(),
});
export type HostOutput = z.infer<typeof HostOutput>;

export const SnippetId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a snippet id');

export const Snippet = z.object({
  id: SnippetId,
  name: z.string(),
  command: z.string(),
  description: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Snippet = z.infer<typeof Snippet>;

export const SnippetInput = z
  .object({
    /** Absent: a new snippet. */
    id: SnippetId.optional(),
    name: z.string().trim().min(1, 'give the snippet a name').max(100),
    command: CommandText,
    description: z.string().trim().max(1000).default(''),
  })
  .strict();
export type SnippetInput = z.input<typeof SnippetInput>;

/** The summary of a run, counted from its hosts. */
export function summarize(hosts: readonly Pick<CommandHostResult, 'state'>[]): CommandSummary {
  const summary = { succeeded: 0, failed: 0, running: 0, queued: 0 };
  for (const h of hosts) {
    if (h.state === 'succeeded') summary.succeeded++;
    else if (h.state === 'running') summary.running++;
    else if (h.state === 'queued') summary.queued++;
    else summary.failed++;
  }
  return summary;
}
