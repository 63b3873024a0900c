// Alert history as CSV (one row per incident) or JSON (incidents with their timelines), oldest first.
import type { IncidentWithTimeline } from '../../../common/schemas/alerts';
import { csvField } from '../store/export';

const COLUMNS = [
  'id',
  'rule_id',
  'rule',
  'severity',
  'host_id',
  'host',
  'label',
  'metric',
  'condition',
  'state',
  'started_iso',
  'fired_iso',
  'resolved_iso',
  'duration_s',
  'value',
  'peak',
  'flap_count',
  'acknowledged_by',
  'acknowledged_iso',
  'summary',
  'timeline',
];

const iso = (ts: number | null): string => (ts === null ? '' : new Date(ts).toISOString());

/** A cell a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

export function incidentsToCsv(incidents: readonly IncidentWithTimeline[]): { body: string; rows: number } {
  const lines = [COLUMNS.join(',')];
  for (const i of incidents) {
    const timeline = i.events.map((e) => `${iso(e.ts)} ${e.kind}: ${e.message}`).join(' | ');
    lines.push(
      [
        i.id,
        cell(i.ruleId),
        cell(i.ruleName),
        i.severity,
        cell(i.host),
        cell(i.hostName),
        cell(i.label),
        cell(i.metric),
        cell(`${i.comparison} ${i.threshold} (clears ${i.clearThreshold})`),
        i.state,
        iso(i.startedAt),
        iso(i.firedAt),
        iso(i.resolvedAt),
        i.resolvedAt === null ? '' : Math.round((i.resolvedAt - i.firedAt) / 1000),
        i.value,
        i.peak,
        i.flapCount,
        cell(i.acknowledged?.by ?? null),
        iso(i.acknowledged?.at ?? null),
        cell(i.summary),
        cell(timeline),
      ].join(','),
    );
  }
  return { body: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

export function incidentsToJson(incidents: readonly IncidentWithTimeline[]): { body: string; rows: number } {
  return { body: JSON.stringify({ incidents }, null, 2), rows: incidents.length };
}
