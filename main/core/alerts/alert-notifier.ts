// What an alert event becomes for people: a notice for the rule's channels, queued in the outbox
// unless a silence or an acknowledgement says otherwise; and, once the outbox has tried, a line in
// the incident's timeline and in the audit log.
import type { AlertRule } from '../../../common/schemas/alerts';
import type { AuditLog } from '../audit/audit-log';
import type { AlertNotice, NoticeKind } from '../notify/notice';
import type { Outbox, OutboxOutcome } from '../notify/outbox';
import type { Db } from '../store/database';
import { formatAlertValue } from './describe';
import type { EngineHost } from './engine';
import type { IncidentBook } from './incident-book';
import { markNotified, type IncidentRecord } from './incidents-repo';
import type { Silences } from './silences';

export interface AlertNotifierDeps {
  db: Db;
  outbox: Outbox;
  silences: Silences;
  incidents: IncidentBook;
  audit?: AuditLog;
  now: () => number;
  host: (id: string) => EngineHost | undefined;
  /** Where links in messages point ("" for none). */
  linkBase: () => string;
}

export class AlertNotifier {
  constructor(private readonly deps: AlertNotifierDeps) {}

  /** Queues a notice for the rule's channels, unless a silence or an acknowledgement says otherwise. */
  deliver(kind: NoticeKind, incident: IncidentRecord, rule: AlertRule | undefined): void {
    const host = this.deps.host(incident.host);
    const silence = this.deps.silences.covering({
      ruleId: incident.ruleId,
      host: incident.host,
      tags: host?.tags ?? [],
    });
    if (silence && kind !== 'resolved') {
      this.deps.incidents.event(
        incident.id,
        'silenced',
        `Not notified (${kind}): silenced by ${silence.createdBy} until ${new Date(silence.until).toISOString()} — ${silence.reason}`,
      );
      return;
    }
    if (kind === 'flapping' && incident.acknowledged) return;
    const channels = rule?.channels ?? [];
    if (kind === 'firing') {
      markNotified(this.deps.db, incident.id);
      this.deps.incidents.refresh(incident.id);
    }
    if (channels.length === 0) return;
    const notice = this.noticeOf(kind, incident, rule);
    let queued = 0;
    for (const channelId of channels) if (this.deps.outbox.enqueue(channelId, notice)) queued++;
    if (queued === 0 && kind === 'firing') {
      this.deps.incidents.event(
        incident.id,
        'notify_failed',
        'No enabled channel of this rule takes this severity: nobody was notified.',
      );
    }
  }

  private noticeOf(kind: NoticeKind, incident: IncidentRecord, rule: AlertRule | undefined): AlertNotice {
    const transform = rule?.transform ?? 'value';
    const base = this.deps.linkBase();
    return {
      kind,
      incidentId: incident.id,
      ruleId: incident.ruleId,
      ruleName: incident.ruleName,
      severity: incident.severity,
      host: incident.host,
      hostName: incident.hostName,
      label: incident.label,
      metric: incident.metric,
      value: incident.value,
      valueText: formatAlertValue(incident.metric, incident.value, transform),
      thresholdText: formatAlertValue(incident.metric, incident.threshold, transform),
      comparison: incident.comparison,
      summary: incident.summary,
      at: kind === 'resolved' ? (incident.resolvedAt ?? this.deps.now()) : this.deps.now(),
      firedAt: incident.firedAt,
      flapCount: incident.flapCount,
      link: base ? `${base}/#/alerts?incident=${incident.id}` : null,
    };
  }

  /** The outbox delivered a message or gave up on it: the incidents' timelines and the audit log say so. */
  onDelivery(outcome: OutboxOutcome): void {
    const where = `${outcome.channel.name} (${outcome.channel.kind})`;
    for (const id of outcome.incidentIds) {
      try {
        this.deps.incidents.event(
          id,
          outcome.ok ? 'notified' : 'notify_failed',
          outcome.ok
            ? `Sent to ${where}${outcome.events > 1 ? ` with ${outcome.events - 1} other alerts` : ''}.`
            : `Not delivered to ${where}: ${outcome.message}`,
        );
      } catch {
        // The incident may be gone (history pruned): the delivery still counts.
      }
    }
    this.deps.audit?.record({
      actor: 'hyperion',
      via: 'core',
      action: 'alerts.notification',
      target: outcome.channel.name,
      args: {
        channel: outcome.channel.id,
        kind: outcome.channel.kind,
        message: outcome.messageId,
        events: outcome.events,
        title: outcome.title,
      },
      result: outcome.ok ? 'ok' : 'failed',
      error: outcome.ok ? null : outcome.message,
    });
  }
}
