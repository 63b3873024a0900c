// systemd units as the UI sees them: the list, one unit's details, its files, its journal, and actions.
import { z } from 'zod';
import { HostId } from './sample';

export const UNIT_TYPES = [
  'service',
  'socket',
  'target',
  'timer',
  'mount',
  'automount',
  'swap',
  'path',
  'slice',
  'scope',
  'device',
] as const;

/**
 * systemd's grammar for unit names (unit_name_is_valid): at most 255 characters of
 * `[A-Za-z0-9:_.\-]`, an optional `@instance` (which may be empty for a template and may itself
 * contain `@`), and a known type suffix. A leading "-" is valid ("-.mount"), which is why every
 * command puts `--` before unit names.
 */
export const UNIT_NAME_PATTERN = new RegExp(
  String.raw`^[A-Za-z0-9:_.\\-]+(@[A-Za-z0-9:_.\\@-]*)?\.(${UNIT_TYPES.join('|')})$`,
);

export const UnitName = z
  .string({ error: 'a unit name is text' })
  .max(255, 'a unit name is at most 255 characters')
  .regex(UNIT_NAME_PATTERN, 'not a systemd unit name (e.g. "nginx.service")');

export const UnitSummary = z.object({
  name: z.string(),
  description: z.string(),
  load: z.string(),
  active: z.string(),
  sub: z.string(),
  /** From list-unit-files: enabled, disabled, static, masked, …; null for units without a file. */
  enabled: z.string().nullable(),
});
export type UnitSummary = z.infer<typeof UnitSummary>;

export const ServicesList = z.discriminatedUnion('available', [
  z.object({ available: z.literal(true), units: z.array(UnitSummary) }),
  /** The host does not run systemd (or its tools are missing): why, in a sentence. */
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type ServicesList = z.infer<typeof ServicesList>;

export const UnitDetails = z.object({
  name: z.string(),
  description: z.string(),
  load: z.string(),
  active: z.string(),
  sub: z.string(),
  enabled: z.string().nullable(),
  /** ActiveState changed at, ms since the epoch; null when never. */
  activeSince: z.number().nullable(),
  mainPid: z.number().int().nullable(),
  memoryBytes: z.number().nullable(),
  cpuNs: z.number().nullable(),
  tasks: z.number().nullable(),
  restarts: z.number().nullable(),
  result: z.string().nullable(),
  fragmentPath: z.string().nullable(),
  dropIns: z.array(z.string()),
  /** Whether the unit supports reload (CanReload). */
  canReload: z.boolean(),
  canStart: z.boolean(),
  canStop: z.boolean(),
  dependencies: z.object({
    requires: z.array(z.string()),
    wants: z.array(z.string()),
    after: z.array(z.string()),
    before: z.array(z.string()),
    wantedBy: z.array(z.string()),
    requiredBy: z.array(z.string()),
    conflicts: z.array(z.string()),
    /** What a timer or socket starts (Triggers), and the timers or sockets that start this unit. */
    triggers: z.array(z.string()),
    triggeredBy: z.array(z.string()),
  }),
  /** A timer's next and last elapse (epoch ms), null for other units or when systemd has none. */
  nextElapseAt: z.number().nullable(),
  lastTriggerAt: z.number().nullable(),
  /** Every property systemd reported, for the details table. */
  properties: z.record(z.string(), z.string()),
});
export type UnitDetails = z.infer<typeof UnitDetails>;

export const UnitFile = z.object({ path: z.string(), content: z.string(), dropIn: z.boolean() });
export type UnitFile = z.infer<typeof UnitFile>;
export const UnitFiles = z.object({
  unit: z.string(),
  files: z.array(UnitFile),
  /** Where Hyperion keeps its override, and what is in it now ('' when there is none). */
  overridePath: z.string(),
  override: z.string(),
});
export type UnitFiles = z.infer<typeof UnitFiles>;

export const UnitRef = z.object({ host: HostId, unit: UnitName }).strict();

/** At most 64 KiB of text, no NUL; every line blank, a comment, a [Section] or Key=Value. */
export const OverrideContent = z
  .string()
  .max(65_536, 'an override is at most 64 KiB')
  .refine((s) => !s.includes('\0'), 'an override cannot contain NUL characters');

export const SetOverrideInput = z
  .object({
    host: HostId,
    unit: UnitName,
    /** The new override ('' removes it). */
    content: OverrideContent,
    /** The override the person saw the diff against: refused if it changed meanwhile. */
    expected: z.string().max(65_536),
    /** Restart the unit after daemon-reload so the change takes effect now. */
    restart: z.boolean().default(false),
  })
  .strict();

export const EnableInput = z
  .object({ host: HostId, unit: UnitName, now: z.boolean().default(false) })
  .strict();

export const UnitActionResult = z.object({
  ok: z.literal(true),
  message: z.string(),
  /** The unit's state after the action. */
  active: z.string().nullable(),
  sub: z.string().nullable(),
  enabled: z.string().nullable(),
});
export type UnitActionResult = z.infer<typeof UnitActionResult>;

/** Text to search for: one line, no control characters. */
const SearchText = z
  .string()
  .max(200, 'a search is at most 200 characters')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'a search is one line of text, without control characters');

/** journald's priorities: 0 emerg … 7 debug. */
export const Priority = z.number().int().min(0).max(7);

export const JournalQuery = z
  .object({
    host: HostId,
    /** One unit, or the whole journal when absent. */
    unit: UnitName.optional(),
    lines: z.number().int().min(1).max(5000).default(200),
    /** Show this priority and more severe (7 = everything). */
    priority: Priority.default(7),
    /** Case-insensitive text the message must contain. */
    search: SearchText.optional(),
  })
  .strict();
export type JournalQuery = z.input<typeof JournalQuery>;

export const JournalEntry = z.object({
  /** journald's cursor: unique and ordered per host. */
  cursor: z.string(),
  ts: z.number(),
  priority: z.number().int().nullable(),
  unit: z.string().nullable(),
  identifier: z.string().nullable(),
  pid: z.number().int().nullable(),
  message: z.string(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const JournalPage = z.object({
  entries: z.array(JournalEntry),
  /** True when the journal is only partly readable as this user (not root, not in systemd-journal). */
  partial: z.boolean(),
  note: z.string().nullable(),
});
export type JournalPage = z.infer<typeof JournalPage>;

export const JournalFollowParams = z
  .object({
    host: HostId,
    unit: UnitName.optional(),
    lines: z.number().int().min(0).max(5000).default(200),
    priority: Priority.default(7),
    search: SearchText.optional(),
  })
  .strict();

export const JournalFollowEvent = z.object({
  snapshot: z.boolean(),
  entries: z.array(JournalEntry),
  /** Set when following stopped (host down, journal unreadable), in a sentence. */
  error: z.string().nullable(),
  partial: z.boolean(),
});
export type JournalFollowEvent = z.infer<typeof JournalFollowEvent>;
