// Incidents and their timelines in SQLite: functions over the connection, one query each.
import type {
  Comparison,
  HistoryFilter,
  Incident,
  IncidentEvent,
  IncidentEventKind,
  Severity,
} from '../../../common/schemas/alerts';
import type { Db } from '../store/database';

interface IncidentRow {
  id: number;
  rule_id: string;
  rule_name: string;
  severity: string;
  metric: string;
  host_id: string;
  host_name: string;
  label: string;
  comparison: string;
  threshold: number;
  clear_threshold: number;
  state: string;
  started_at: number;
  fired_at: number;
  resolved_at: number | null;
  closed_at: number | null;
  value: number;
  peak: number;
  flap_count: number;
  ack_by: string | null;
  ack_at: number | null;
  ack_note: string | null;
  summary: string;
  notified: number;
}

export interface IncidentRecord extends Incident {
  notified: boolean;
}

function toIncident(row: IncidentRow): IncidentRecord {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    severity: row.severity as Severity,
    metric: row.metric,
    host: row.host_id,
    hostName: row.host_name,
    label: row.label,
    comparison: row.comparison as Comparison,
    threshold: row.threshold,
    clearThreshold: row.clear_threshold,
    state: row.state as Incident['state'],
    startedAt: row.started_at,
    firedAt: row.fired_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    value: row.value,
    peak: row.peak,
    flapCount: row.flap_count,
    acknowledged:
      row.ack_by !== null && row.ack_at !== null
        ? { by: row.ack_by, at: row.ack_at, note: row.ack_note ?? '' }
        : null,
    summary: row.summary,
    notified: row.notified === 1,
  };
}

export interface NewIncident {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  metric: string;
  host: string;
  hostName: string;
  label: string;
  comparison: Comparison;
  threshold: number;
  clearThreshold: number;
  startedAt: number;
  firedAt: number;
  value: number;
  summary: string;
}

export function insertIncident(db: Db, i: NewIncident): number {
  return Number(
    db
      .prepare(
        `INSERT INTO alert_incidents (rule_id, rule_name, severity, metric, host_id, host_name, label, comparison,
           threshold, clear_threshold, state, started_at, fired_at, value, peak, summary)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'firing', ?, ?, ?, ?, ?)`,
      )
      .run(
        i.ruleId,
        i.ruleName,
        i.severity,
        i.metric,
        i.host,
        i.hostName,
        i.label,
        i.comparison,
        i.threshold,
        i.clearThreshold,
        i.startedAt,
        i.firedAt,
        i.value,
        i.value,
        i.summary,
      ).lastInsertRowid,
  );
}

export function getIncident(db: Db, id: number): IncidentRecord | undefined {
  const row = db.prepare('SELECT * FROM alert_incidents WHERE id = ?').get(id) as IncidentRow | undefined;
  return row ? toIncident(row) : undefined;
}

/** The newest incident of one alert that has not closed (firing, or resolved within the flap window). */
export function openIncidentFor(
  db: Db,
  ruleId: string,
  host: string,
  label: string,
): IncidentRecord | undefined {
  const row = db
    .prepare(
      `SELECT * FROM alert_incidents WHERE rule_id = ? AND host_id = ? AND label = ? AND closed_at IS NULL
       ORDER BY id DESC LIMIT 1`,
    )
    .get(ruleId, host, label) as IncidentRow | undefined;
  return row ? toIncident(row) : undefined;
}

/** Every incident that has not closed. */
export function openIncidents(db: Db): IncidentRecord[] {
  return (
    db.prepare('SELECT * FROM alert_incidents WHERE closed_at IS NULL ORDER BY id').all() as IncidentRow[]
  ).map(toIncident);
}

export function markRefired(db: Db, id: number, value: number, summary: string): void {
  db.prepare(
    `UPDATE alert_incidents SET state = 'firing', resolved_at = NULL, flap_count = flap_count + 1, value = ?,
       summary = ? WHERE id = ?`,
  ).run(value, summary, id);
}

export function markResolved(db: Db, id: number, ts: number, value: number, peak: number): void {
  db.prepare(
    `UPDATE alert_incidents SET state = 'resolved', resolved_at = ?, value = ?,
       peak = CASE WHEN comparison IN ('>', '>=') THEN MAX(peak, ?) ELSE MIN(peak, ?) END WHERE id = ?`,
  ).run(ts, value, peak, peak, id);
}

export function markClosed(db: Db, id: number, ts: number): void {
  db.prepare('UPDATE alert_incidents SET closed_at = ? WHERE id = ?').run(ts, id);
}

export function markNotified(db: Db, id: number): void {
  db.prepare('UPDATE alert_incidents SET notified = 1 WHERE id = ?').run(id);
}

export function updateValue(db: Db, id: number, value: number, peak: number): void {
  db.prepare(
    `UPDATE alert_incidents SET value = ?,
       peak = CASE WHEN comparison IN ('>', '>=') THEN MAX(peak, ?) ELSE MIN(peak, ?) END WHERE id = ?`,
  ).run(value, peak, peak, id);
}

export function setAcknowledged(
  db: Db,
  id: number,
  ack: { by: string; at: number; note: string } | null,
): void {
  db.prepare('UPDATE alert_incidents SET ack_by = ?, ack_at = ?, ack_note = ? WHERE id = ?').run(
    ack?.by ?? null,
    ack?.at ?? null,
    ack?.note ?? null,
    id,
  );
}

export function addEvent(
  db: Db,
  e: {
    incidentId: number;
    ts: number;
    kind: IncidentEventKind;
    value?: number | null;
    actor?: string | null;
    message: string;
  },
): void {
  db.prepare(
    'INSERT INTO alert_events (incident_id, ts, kind, value, actor, message) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(e.incidentId, e.ts, e.kind, e.value ?? null, e.actor ?? null, e.message);
}

export function eventsOf(db: Db, incidentId: number): IncidentEvent[] {
  return (
    db
      .prepare(
        'SELECT id, incident_id, ts, kind, value, actor, message FROM alert_events WHERE incident_id = ? ORDER BY ts, id',
      )
      .all(incidentId) as {
      id: number;
      incident_id: number;
      ts: number;
      kind: string;
      value: number | null;
      actor: string | null;
      message: string;
    }[]
  ).map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    ts: r.ts,
    kind: r.kind as IncidentEventKind,
    value: r.value,
    actor: r.actor,
    message: r.message,
  }));
}

function whereOf(filter: HistoryFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.host !== undefined) {
    clauses.push('host_id = ?');
    params.push(filter.host);
  }
  if (filter.ruleId !== undefined) {
    clauses.push('rule_id = ?');
    params.push(filter.ruleId);
  }
  if (filter.severity !== undefined) {
    clauses.push('severity = ?');
    params.push(filter.severity);
  }
  if (filter.state !== undefined) {
    clauses.push('state = ?');
    params.push(filter.state);
  }
  // An incident belongs to a range when it was active at some point in it.
  if (filter.from !== undefined) {
    clauses.push('(resolved_at IS NULL OR resolved_at >= ?)');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    clauses.push('fired_at < ?');
    params.push(filter.to);
  }
  if (filter.text !== undefined && filter.text.trim() !== '') {
    for (const word of filter.text.trim().toLowerCase().split(/\s+/).slice(0, 8)) {
      clauses.push(
        '(instr(lower(rule_name), ?) > 0 OR instr(lower(host_name), ?) > 0 OR instr(lower(host_id), ?) > 0 OR instr(lower(label), ?) > 0 OR instr(lower(summary), ?) > 0)',
      );
      params.push(word, word, word, word, word);
    }
  }
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params };
}

/** Newest first, one page at a time. */
export function listIncidents(
  db: Db,
  filter: HistoryFilter,
  beforeId: number | undefined,
  limit: number,
): { incidents: IncidentRecord[]; nextBeforeId: number | null } {
  const { sql, params } = whereOf(filter);
  const before = beforeId === undefined ? '' : ' AND id < ?';
  const rows = db
    .prepare(`SELECT * FROM alert_incidents WHERE ${sql}${before} ORDER BY id DESC LIMIT ?`)
    .all(...params, ...(beforeId === undefined ? [] : [beforeId]), limit + 1) as IncidentRow[];
  const page = rows.slice(0, limit).map(toIncident);
  return { incidents: page, nextBeforeId: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** Every matching incident, oldest first, for export. */
export function* allIncidents(db: Db, filter: HistoryFilter): Generator<IncidentRecord> {
  const { sql, params } = whereOf(filter);
  for (const row of db
    .prepare(`SELECT * FROM alert_incidents WHERE ${sql} ORDER BY id`)
    .iterate(...params) as IterableIterator<IncidentRow>) {
    yield toIncident(row);
  }
}
