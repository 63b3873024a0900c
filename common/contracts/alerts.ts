// Alerts' part of the contract: rules (with validation and backtest), active alerts and their history,
// acknowledgements and silences, notification channels and their outbox, and the alerts.changed stream.
import { z } from 'zod';
import { defineContract } from '../contract';
import {
  Channel,
  ChannelId,
  ChannelInput,
  ChannelTestResult,
  OutboxMessage,
} from '../schemas/alert-channels';
import {
  ActiveAlert,
  AlertCounts,
  AlertRule,
  AlertRuleInput,
  AlertsChanged,
  AlertSettings,
  BacktestInput,
  BacktestResult,
  HistoryFilter,
  HistoryPage,
  HistoryQuery,
  IncidentWithTimeline,
  RuleId,
  RuleValidation,
  Silence,
  SilenceInput,
} from '../schemas/alerts';
import { ExportFile, ExportFormat } from '../schemas/export-file';

const IncidentRef = z.object({ id: z.number().int().positive() }).strict();

export const alertsContract = defineContract({
  methods: {
    'alerts.rules.list': {
      input: z.object({}).strict(),
      output: z.array(AlertRule),
      role: 'viewer',
      summary: 'Every alert rule, built-in ones first.',
    },
    'alerts.rules.validate': {
      input: z.object({ rule: z.unknown() }).strict(),
      output: RuleValidation,
      role: 'viewer',
      summary: 'Checks a rule as typed (each problem names its field) and says what it would watch now.',
    },
    'alerts.rules.create': {
      input: AlertRuleInput,
      output: AlertRule,
      role: 'admin',
      mutating: true,
      audit: { target: 'name' },
      summary: 'Adds an alert rule; it is evaluated from the next sample.',
    },
    'alerts.rules.update': {
      input: z.object({ id: RuleId, rule: AlertRuleInput }).strict(),
      output: AlertRule,
      role: 'admin',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Changes a rule (built-in ones too); its open alerts are re-evaluated.',
    },
    'alerts.rules.remove': {
      input: z.object({ id: RuleId }).strict(),
      output: z.object({ removed: z.literal(true) }),
      role: 'admin',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Deletes a rule and resolves its alerts. Built-in rules are disabled instead.',
    },
    'alerts.rules.reset': {
      input: z.object({ id: RuleId }).strict(),
      output: AlertRule,
      role: 'admin',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Puts a built-in rule back to its default settings.',
    },
    'alerts.rules.backtest': {
      input: BacktestInput,
      output: BacktestResult,
      role: 'viewer',
      summary: 'Replays a rule over the stored history: how often it would have fired, and when.',
    },
    'alerts.active': {
      input: z.object({}).strict(),
      output: z.object({ alerts: z.array(ActiveAlert), counts: AlertCounts }),
      role: 'viewer',
      summary: 'Pending and firing alerts now.',
    },
    'alerts.history': {
      input: HistoryQuery,
      output: HistoryPage,
      role: 'viewer',
      summary: 'Incidents, newest first, filtered by host, rule, severity, state, text and time.',
    },
    'alerts.incident': {
      input: IncidentRef,
      output: IncidentWithTimeline,
      role: 'viewer',
      summary:
        'One incident with its timeline: pending, firing, acknowledgements, notifications, resolution.',
    },
    'alerts.acknowledge': {
      input: z
        .object({ id: z.number().int().positive(), note: z.string().trim().max(500).default('') })
        .strict(),
      output: IncidentWithTimeline,
      role: 'operator',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Says someone is on it: no more reminders until it resolves.',
    },
    'alerts.unacknowledge': {
      input: IncidentRef,
      output: IncidentWithTimeline,
      role: 'operator',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Takes an acknowledgement back.',
    },
    'alerts.export': {
      input: HistoryFilter.extend({ format: ExportFormat }).strict(),
      output: ExportFile,
      role: 'viewer',
      summary: 'The matching incidents with their timelines, oldest first, as CSV or JSON.',
    },
    'alerts.silences.list': {
      input: z.object({ includeEnded: z.boolean().default(false) }).strict(),
      output: z.array(Silence),
      role: 'viewer',
      summary: 'Silences in force (and, if asked, those that ended).',
    },
    'alerts.silences.create': {
      input: SilenceInput,
      output: Silence,
      role: 'operator',
      mutating: true,
      audit: { target: 'reason' },
      summary: 'Keeps the alerts of a rule, host or tag quiet until a time; they are still recorded.',
    },
    'alerts.silences.end': {
      input: z.object({ id: z.number().int().positive() }).strict(),
      output: Silence,
      role: 'operator',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Ends a silence now.',
    },
    'alerts.channels.list': {
      input: z.object({}).strict(),
      output: z.array(Channel),
      role: 'viewer',
      summary: 'Notification channels with their state (never their secrets).',
    },
    'alerts.channels.create': {
      input: ChannelInput,
      output: Channel,
      role: 'admin',
      mutating: true,
      audit: { target: 'name' },
      summary: 'Adds a channel; its secrets go to the keychain.',
    },
    'alerts.channels.update': {
      input: z.object({ id: ChannelId, channel: ChannelInput }).strict(),
      output: Channel,
      role: 'admin',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Changes a channel; secrets left out are kept.',
    },
    'alerts.channels.remove': {
      input: z.object({ id: ChannelId }).strict(),
      output: z.object({ removed: z.literal(true) }),
      role: 'admin',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Deletes a channel, its secrets and its queued messages; rules stop naming it.',
    },
    'alerts.channels.test': {
      input: z.object({ id: ChannelId }).strict(),
      output: ChannelTestResult,
      role: 'operator',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Sends a test notification now and says what the server answered.',
    },
    'alerts.outbox.list': {
      input: z
        .object({ channelId: ChannelId.optional(), limit: z.number().int().min(1).max(500).default(50) })
        .strict(),
      output: z.array(OutboxMessage),
      role: 'viewer',
      summary: 'Notifications stored for sending, newest first: queued, sent and failed.',
    },
    'alerts.outbox.retry': {
      input: z.object({ channelId: ChannelId }).strict(),
      output: z.object({ retried: z.number().int() }),
      role: 'operator',
      mutating: true,
      audit: { target: 'channelId' },
      summary: 'Tries the queued and failed messages of a channel again now.',
    },
    'alerts.settings': {
      input: z.object({}).strict(),
      output: AlertSettings,
      role: 'viewer',
      summary: 'The link put in notifications and the flap window.',
    },
    'alerts.setSettings': {
      input: AlertSettings,
      output: AlertSettings,
      role: 'admin',
      mutating: true,
      summary: 'Changes the link put in notifications and the flap window.',
    },
  },
  streams: {
    'alerts.changed': {
      params: z
        .object({
          /** This page shows desktop notifications (the browser allowed them). */
          desktopNotifications: z.boolean().default(false),
        })
        .strict(),
      event: AlertsChanged,
      role: 'viewer',
      summary:
        'Every active alert and the counts, then each change; desktop notifications for pages that show them.',
    },
  },
});
