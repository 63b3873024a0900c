// Alert rules, alerts and incidents, silences and backtests as the contract carries them.
import { z } from 'zod';
import { METRICS, type MetricInfo } from '../metrics';
import { Tag } from './hosts';
import { HostId } from './sample';

/** Metrics an alert can watch besides the stored series: ratios people think in, and host state. */
export const DERIVED_ALERT_METRICS = {
  'mem.available_percent': { title: 'Memory available', unit: 'percent' },
  'mem.used_percent': { title: 'Memory used', unit: 'percent' },
  'swap.used_percent': { title: 'Swap used', unit: 'percent' },
  'host.unreachable': { title: 'Host unreachable', unit: 'boolean' },
} as const satisfies Record<string, { title: string; unit: string }>;

export type AlertUnit = MetricInfo['unit'] | 'boolean';
export interface AlertMetricInfo {
  title: string;
  unit: AlertUnit;
  label?: MetricInfo['label'];
  /** Computed from other series or from the connection state, not stored as one series. */
  derived: boolean;
}

export function alertMetricInfo(metric: string): AlertMetricInfo | undefined {
  if (Object.hasOwn(DERIVED_ALERT_METRICS, metric)) {
    const d = DERIVED_ALERT_METRICS[metric as keyof typeof DERIVED_ALERT_METRICS];
    return { title: d.title, unit: d.unit, derived: true };
  }
  const m = Object.hasOwn(METRICS, metric) ? METRICS[metric] : undefined;
  return m ? { ...m, derived: false } : undefined;
}

/** Every metric a rule may watch, stored ones first. */
export function alertMetricNames(): string[] {
  return [...Object.keys(METRICS), ...Object.keys(DERIVED_ALERT_METRICS)];
}

export const AlertMetricName = z
  .string()
  .refine((m) => alertMetricInfo(m) !== undefined, 'choose a metric Hyperion collects');

export const Severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export const Comparison = z.enum(['>', '>=', '<', '<=']);
export type Comparison = z.infer<typeof Comparison>;

export const RuleScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('tag'), tag: Tag }).strict(),
  z.object({ kind: z.literal('host'), host: HostId }).strict(),
]);
export type RuleScope = z.infer<typeof RuleScope>;

/** Rule ids: built-in names ("disk-full") or "r-" and hex. Same alphabet as host ids. */
export const RuleId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'not a rule id');
export const ChannelId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'not a channel id');

/** One label pattern: a glob (`*` any run, `?` one character), `!` in front to exclude. */
const LABEL_PATTERN_ITEM = /^!?[^\s,]{1,200}$/;

export const LabelPattern = z
  .string()
  .trim()
  .max(500, 'at most 500 characters of patterns')
  .refine(
    (v) =>
      v === '' ||
      v
        .split(',')
        .map((p) => p.trim())
        .every((p) => LABEL_PATTERN_ITEM.test(p)),
    'patterns are separated by commas, without spaces inside one, e.g. "/, /var/*, !/boot/*"',
  );

const Seconds = (max: number, what: string) =>
  z
    .number({ error: `${what} is a number of seconds` })
    .int(`${what} is a whole number of seconds`)
    .min(0, `${what} cannot be negative`)
    .max(max, `${what} is at most ${Math.round(max / 3600)} hours`);

const RuleFields = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'give the rule a name')
    .max(120, 'at most 120 characters')
    // It becomes a mail subject and a Slack line: one line, no control characters.
    .regex(/^[^\p{Cc}]*$/u, 'a name is one line of text'),
  enabled: z.boolean().default(true),
  metric: AlertMetricName,
  /** The value itself, or how fast it changes (per second, over rateWindowSec). */
  transform: z.enum(['value', 'rate']).default('value'),
  rateWindowSec: z
    .number()
    .int()
    .min(30, 'the rate window is at least 30 seconds')
    .max(86_400, 'the rate window is at most a day')
    .default(600),
  scope: RuleScope.default({ kind: 'all' }),
  /** Which mounts, interfaces, cores, devices or sensors (metrics with a label); empty: all. */
  labels: LabelPattern.default(''),
  comparison: Comparison,
  threshold: z.number({ error: 'the threshold is a number' }).finite('the threshold is a number'),
  /** Where it clears (hysteresis); null: where it fired. */
  clearThreshold: z.number({ error: 'the clear threshold is a number' }).finite().nullable().default(null),
  /** How long the condition must hold before the alert fires. */
  forSec: Seconds(86_400, 'the duration'),
  /** How long the value must stay on the clear side before the alert resolves. */
  clearForSec: Seconds(86_400, 'the clear duration').default(0),
  severity: Severity,
  channels: z.array(ChannelId).max(20, 'at most 20 channels').default([]),
  /** Shown in notifications; {host}, {value}, {threshold}, {label}, {rule} are filled in. */
  description: z.string().max(1000, 'at most 1000 characters').default(''),
});

/** Checks that span fields: what a form shows beside the field at fault. */
function checkRule(rule: z.output<typeof RuleFields>, ctx: z.RefinementCtx): void {
  const info = alertMetricInfo(rule.metric);
  if (!info) return;
  const above = rule.comparison === '>' || rule.comparison === '>=';
  if (rule.clearThreshold !== null) {
    if (above && rule.clearThreshold > rule.threshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['clearThreshold'],
        message: `it fires above ${rule.threshold}, so it must clear at or below that`,
      });
    }
    if (!above && rule.clearThreshold < rule.threshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['clearThreshold'],
        message: `it fires below ${rule.threshold}, so it must clear at or above that`,
      });
    }
  }
  if (rule.labels !== '' && !info.label) {
    ctx.addIssue({
      code: 'custom',
      path: ['labels'],
      message: `${info.title} has one value per host: leave the pattern empty`,
    });
  }
  if (rule.transform === 'rate' && info.unit === 'boolean') {
    ctx.addIssue({ code: 'custom', path: ['transform'], message: 'a host state has no rate of change' });
  }
  if (rule.transform === 'value' && info.unit === 'percent') {
    for (const [field, value] of [
      ['threshold', rule.threshold],
      ['clearThreshold', rule.clearThreshold],
    ] as const) {
      if (value !== null && (value < 0 || value > 100)) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'a percentage is from 0 to 100' });
      }
    }
  }
  if (info.unit === 'boolean' && (rule.threshold < 0 || rule.threshold > 1)) {
    ctx.addIssue({
      code: 'custom',
      path: ['threshold'],
      message: 'a host state is 1 (unreachable) or 0: compare with 1',
    });
  }
  if (new Set(rule.channels).size !== rule.channels.length) {
    ctx.addIssue({ code: 'custom', path: ['channels'], message: 'a channel is listed twice' });
  }
}

/** What the rule editor sends. */
export const AlertRuleInput = RuleFields.strict().superRefine(checkRule);
export type AlertRuleInput = z.input<typeof AlertRuleInput>;
export type ParsedAlertRule = z.output<typeof AlertRuleInput>;

export const AlertRule = RuleFields.extend({
  id: RuleId,
  /** The built-in rule this one is (editable; "reset" brings the default back), or null. */
  builtin: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type AlertRule = z.infer<typeof AlertRule>;

export const RuleIssue = z.object({ path: z.string(), message: z.string() });
export type RuleIssue = z.infer<typeof RuleIssue>;

export const RuleValidation = z.object({
  ok: z.boolean(),
  issues: z.array(RuleIssue),
  /** What the rule would watch now: series on hosts in scope. */
  matches: z.object({ hosts: z.number().int(), series: z.number().int(), examples: z.array(z.string()) }),
});
export type RuleValidation = z.infer<typeof RuleValidation>;

export const AcknowledgementView = z.object({ by: z.string(), at: z.number(), note: z.string() });

export const AlertState = z.enum(['pending', 'firing']);

/** An alert being watched right now: pending (crossed, waiting for `for`) or firing. */
export const ActiveAlert = z.object({
  /** rule, host and label: one alert per series a rule watches. */
  key: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  severity: Severity,
  metric: z.string(),
  host: z.string(),
  hostName: z.string(),
  label: z.string(),
  state: AlertState,
  value: z.number(),
  comparison: Comparison,
  threshold: z.number(),
  clearThreshold: z.number(),
  /** When the condition began to hold (the start of pending). */
  since: z.number(),
  /** When it fired (null while pending). */
  firedAt: z.number().nullable(),
  incidentId: z.number().int().nullable(),
  acknowledged: AcknowledgementView.nullable(),
  /** The silence that keeps it quiet, if any. */
  silence: z.object({ id: z.number().int(), until: z.number(), reason: z.string() }).nullable(),
  flapping: z.boolean(),
  flapCount: z.number().int(),
  summary: z.string(),
});
export type ActiveAlert = z.infer<typeof ActiveAlert>;

export const AlertCounts = z.object({
  firing: z.number().int(),
  pending: z.number().int(),
  /** Firing and neither acknowledged nor silenced: what the badge shows. */
  unhandled: z.number().int(),
  critical: z.number().int(),
  warning: z.number().int(),
  info: z.number().int(),
  /** The highest severity among unhandled firing alerts, or null. */
  worst: Severity.nullable(),
});
export type AlertCounts = z.infer<typeof AlertCounts>;

/** A desktop notification for the open pages to show (the browser's Notification API under serve). */
export const DesktopNotification = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  severity: Severity,
  /** In-app route to open on click, e.g. "#/alerts?incident=12". */
  route: z.string(),
});
export type DesktopNotification = z.infer<typeof DesktopNotification>;

export const AlertsChanged = z.object({
  snapshot: z.boolean(),
  /** Every active alert on a snapshot; those that changed afterwards. */
  alerts: z.array(ActiveAlert),
  /** Keys that are no longer active (resolved, or went back to ok from pending). */
  removed: z.array(z.string()),
  counts: AlertCounts,
  notifications: z.array(DesktopNotification),
});
export type AlertsChanged = z.infer<typeof AlertsChanged>;

export const IncidentState = z.enum(['firing', 'resolved']);

export const Incident = z.object({
  id: z.number().int(),
  ruleId: z.string(),
  ruleName: z.string(),
  severity: Severity,
  metric: z.string(),
  host: z.string(),
  hostName: z.string(),
  label: z.string(),
  comparison: Comparison,
  threshold: z.number(),
  clearThreshold: z.number(),
  state: IncidentState,
  startedAt: z.number(),
  firedAt: z.number(),
  resolvedAt: z.number().nullable(),
  /** Resolved and stayed resolved for the flap window: it will not reopen. */
  closedAt: z.number().nullable(),
  value: z.number(),
  peak: z.number(),
  /** How often it fired again within the flap window (folded into this incident). */
  flapCount: z.number().int(),
  acknowledged: AcknowledgementView.nullable(),
  summary: z.string(),
});
export type Incident = z.infer<typeof Incident>;

export const IncidentEventKind = z.enum([
  'pending',
  'firing',
  'resolved',
  'refired',
  'flapping',
  'closed',
  'acknowledged',
  'unacknowledged',
  'silenced',
  'notified',
  'notify_failed',
  'restored',
]);
export type IncidentEventKind = z.infer<typeof IncidentEventKind>;

export const IncidentEvent = z.object({
  id: z.number().int(),
  incidentId: z.number().int(),
  ts: z.number(),
  kind: IncidentEventKind,
  value: z.number().nullable(),
  actor: z.string().nullable(),
  message: z.string(),
});
export type IncidentEvent = z.infer<typeof IncidentEvent>;

export const IncidentWithTimeline = Incident.extend({ events: z.array(IncidentEvent) });
export type IncidentWithTimeline = z.infer<typeof IncidentWithTimeline>;

export const HistoryFilter = z
  .object({
    host: HostId.optional(),
    ruleId: RuleId.optional(),
    severity: Severity.optional(),
    state: IncidentState.optional(),
    /** Words that must appear in the rule name, host, label or summary. */
    text: z.string().max(200).optional(),
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().positive().optional(),
  })
  .strict();
export type HistoryFilter = z.infer<typeof HistoryFilter>;

export const HistoryQuery = HistoryFilter.extend({
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
}).strict();
export type HistoryQuery = z.input<typeof HistoryQuery>;

export const HistoryPage = z.object({
  incidents: z.array(Incident),
  nextBeforeId: z.number().int().nullable(),
});
export type HistoryPage = z.infer<typeof HistoryPage>;

export const SilenceMatcher = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rule'), ruleId: RuleId }).strict(),
  z.object({ kind: z.literal('host'), host: HostId }).strict(),
  z.object({ kind: z.literal('tag'), tag: Tag }).strict(),
]);
export type SilenceMatcher = z.infer<typeof SilenceMatcher>;

export const SilenceInput = z
  .object({
    matcher: SilenceMatcher,
    until: z.number({ error: 'choose when the silence ends' }).int(),
    reason: z.string().trim().min(1, 'say why, for whoever sees it next').max(500),
  })
  .strict();
export type SilenceInput = z.infer<typeof SilenceInput>;

export const Silence = z.object({
  id: z.number().int(),
  matcher: SilenceMatcher,
  until: z.number(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.number(),
  /** Ended early by someone, or null. */
  endedAt: z.number().nullable(),
  active: z.boolean(),
});
export type Silence = z.infer<typeof Silence>;

export const BacktestInput = z
  .object({
    rule: AlertRuleInput,
    days: z.number().int().min(1).max(7).default(7),
    /** The series to draw; by default the one that fired most. */
    focus: z
      .object({ host: HostId, label: z.string().max(512) })
      .strict()
      .optional(),
  })
  .strict();
export type BacktestInput = z.input<typeof BacktestInput>;

export const FiringSpan = z.object({ start: z.number(), end: z.number().nullable() });

export const BacktestResult = z.object({
  from: z.number(),
  to: z.number(),
  /** The resolution the history was replayed at (ms). */
  stepMs: z.number(),
  hosts: z.number().int(),
  seriesChecked: z.number().int(),
  /** How many times the rule would have fired, in all. */
  fired: z.number().int(),
  /** How many incidents that makes once flapping is folded in (the flap window). */
  incidents: z.number().int(),
  series: z.array(
    z.object({
      host: z.string(),
      hostName: z.string(),
      label: z.string(),
      fired: z.number().int(),
      firingMs: z.number(),
      spans: z.array(FiringSpan),
    }),
  ),
  chart: z
    .object({
      host: z.string(),
      hostName: z.string(),
      label: z.string(),
      /** [time, value] — null where there is no data. */
      points: z.array(z.tuple([z.number(), z.number().nullable()])),
      spans: z.array(FiringSpan),
    })
    .nullable(),
  /** How the replay differs from live evaluation, in a sentence. */
  note: z.string(),
});
export type BacktestResult = z.infer<typeof BacktestResult>;

export const AlertSettings = z
  .object({
    /** Where people open Hyperion: links in Slack, mail and webhooks point here. */
    linkBaseUrl: z
      .string()
      .trim()
      .max(500)
      .refine((v) => v === '' || /^https?:\/\/[^\s#]+$/.test(v), 'a link starts with http:// or https://')
      .default(''),
    /** An alert that fires again within this many minutes of resolving is the same incident. */
    flapWindowMin: z.number().int().min(1, 'at least 1 minute').max(240, 'at most 4 hours').default(10),
  })
  .strict();
export type AlertSettings = z.output<typeof AlertSettings>;
