// An alert as the UI lists it, and the counts the badge and the fleet show.
import type { ActiveAlert, AlertCounts, AlertRule, Silence } from '../../../common/schemas/alerts';
import type { AlertInstance, EngineHost } from './engine';
import type { IncidentRecord } from './incidents-repo';
import { FIRING } from './rule-state';

export function toActiveAlert(
  inst: AlertInstance,
  rule: AlertRule,
  host: EngineHost,
  incident: IncidentRecord | undefined,
  silence: Silence | undefined,
  summary: string,
): ActiveAlert {
  const firing = inst.state.phase === FIRING;
  return {
    key: inst.key,
    ruleId: rule.id,
    ruleName: rule.name,
    severity: incident?.severity ?? rule.severity,
    metric: rule.metric,
    host: host.id,
    hostName: host.name,
    label: inst.label,
    state: firing ? 'firing' : 'pending',
    value: Number.isFinite(inst.state.value) ? inst.state.value : 0,
    comparison: rule.comparison,
    threshold: rule.threshold,
    clearThreshold: rule.clearThreshold ?? rule.threshold,
    since: inst.state.since,
    firedAt: firing ? (incident?.firedAt ?? inst.state.firedAt) : null,
    incidentId: firing ? (incident?.id ?? null) : null,
    acknowledged: firing ? (incident?.acknowledged ?? null) : null,
    silence: silence ? { id: silence.id, until: silence.until, reason: silence.reason } : null,
    flapping: (incident?.flapCount ?? 0) > 0,
    flapCount: incident?.flapCount ?? 0,
    summary,
  };
}

export function countAlerts(alerts: readonly ActiveAlert[]): AlertCounts {
  const counts: AlertCounts = {
    firing: 0,
    pending: 0,
    unhandled: 0,
    critical: 0,
    warning: 0,
    info: 0,
    worst: null,
  };
  for (const a of alerts) {
    if (a.state === 'pending') {
      counts.pending++;
      continue;
    }
    counts.firing++;
    counts[a.severity]++;
    if (a.acknowledged || a.silence) continue;
    counts.unhandled++;
    if (
      counts.worst === null ||
      a.severity === 'critical' ||
      (a.severity === 'warning' && counts.worst === 'info')
    ) {
      counts.worst = a.severity;
    }
  }
  return counts;
}
