// `hyperion alerts active|history|export`: alert incidents read straight from the database (safe
// while Hyperion runs: WAL lets a reader in beside the writer).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryFilter, Incident, Severity } from '../../common/schemas/alerts';
import { incidentsToCsv, incidentsToJson } from '../core/alerts/alerts-export';
import { allIncidents, eventsOf, listIncidents } from '../core/alerts/incidents-repo';
import { DATABASE_FILE } from '../core/core';
import { openDatabase } from '../core/store/database';
import { parseTime } from './export';
import { UsageError } from './usage';

export interface AlertsCommandOptions {
  sub: string | undefined;
  dataDir: string;
  host?: string;
  severity?: string;
  from?: string;
  to?: string;
  limit?: number;
  format?: string;
  output?: string;
}

export interface AlertsCommandResult {
  status: number;
  text: string;
  note?: string;
}

function filterOf(options: AlertsCommandOptions, now: number): HistoryFilter {
  const filter: HistoryFilter = {};
  if (options.host) filter.host = options.host;
  if (options.severity) {
    if (!['info', 'warning', 'critical'].includes(options.severity)) {
      throw new UsageError('--severity is info, warning or critical');
    }
    filter.severity = options.severity as Severity;
  }
  if (options.from) filter.from = parseTime(options.from, now);
  if (options.to) filter.to = parseTime(options.to, now);
  return filter;
}

function line(i: Incident): string {
  const where = `${i.hostName}${i.label ? ` (${i.label})` : ''}`;
  const state =
    i.state === 'firing'
      ? `firing${i.acknowledged ? `, acknowledged by ${i.acknowledged.by}` : ''}`
      : `resolved ${new Date(i.resolvedAt!).toISOString()}`;
  const flaps = i.flapCount > 0 ? `, flapped ${i.flapCount}×` : '';
  return `${String(i.id).padStart(6)}  ${new Date(i.firedAt).toISOString()}  ${i.severity.toUpperCase().padEnd(8)}  ${i.ruleName} on ${where}  ${state}${flaps} — ${i.summary}`;
}

export function runAlerts(options: AlertsCommandOptions): AlertsCommandResult {
  if (!['active', 'history', 'export'].includes(options.sub ?? '')) {
    throw new UsageError('alerts needs one of: active, history, export');
  }
  const path = join(options.dataDir, DATABASE_FILE);
  if (!existsSync(path)) throw new Error(`there is no Hyperion database in ${options.dataDir}`);
  const db = openDatabase({ path });
  try {
    const now = Date.now();
    const filter = filterOf(options, now);
    if (options.sub === 'active' || options.sub === 'history') {
      const { incidents } = listIncidents(
        db,
        options.sub === 'active' ? { ...filter, state: 'firing' } : filter,
        undefined,
        options.limit ?? 50,
      );
      const text = incidents.length
        ? `${[...incidents].reverse().map(line).join('\n')}\n`
        : options.sub === 'active'
          ? 'Nothing is firing.\n'
          : 'No incident matches.\n';
      // Like `grep`: status 1 when something fires, so a script can test for it.
      return { status: options.sub === 'active' && incidents.length > 0 ? 1 : 0, text };
    }
    const format = options.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError('--format is csv or json');
    const incidents = [...allIncidents(db, filter)].map(({ notified: _n, ...i }) => ({
      ...i,
      events: eventsOf(db, i.id),
    }));
    const { body, rows } = format === 'csv' ? incidentsToCsv(incidents) : incidentsToJson(incidents);
    if (options.output) {
      writeFileSync(options.output, body);
      return { status: 0, text: '', note: `${rows} incidents written to ${options.output}` };
    }
    return { status: 0, text: body };
  } finally {
    db.close();
  }
}
