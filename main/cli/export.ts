// `hyperion export HOST METRIC`: a metric's history as CSV or JSON, read straight from the database
// (safe while Hyperion runs: WAL lets a reader in beside the writer).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS } from '../../common/metrics';
import { DATABASE_FILE } from '../core/core';
import { toCsv, toJson } from '../core/store/export';
import { HistoryQueries } from '../core/store/history-queries';
import { DEFAULT_RETENTION } from '../core/store/history-writer';
import { openDatabase } from '../core/store/database';
import { listHosts } from '../core/store/hosts-repo';
import { UsageError } from './usage';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "now", "-24h", "-30d", epoch milliseconds, or an ISO date. */
export function parseTime(text: string, now: number): number {
  if (text === 'now') return now;
  const relative = /^-(\d+)([smhdw])$/.exec(text);
  if (relative) return now - Number(relative[1]) * UNITS[relative[2]!]!;
  if (/^\d{10,}$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  if (!Number.isFinite(parsed))
    throw new UsageError(`"${text}" is not a time: use now, -24h, -7d, an ISO date or epoch ms`);
  return parsed;
}

export interface ExportOptions {
  host: string;
  metric: string;
  labels: string[];
  from: string;
  to: string;
  format: string;
  output?: string;
  dataDir: string;
}

export function runExport(options: ExportOptions): { rows: number; text: string } {
  if (!Object.hasOwn(METRICS, options.metric)) {
    throw new UsageError(`unknown metric "${options.metric}"; one of: ${Object.keys(METRICS).join(', ')}`);
  }
  if (options.format !== 'csv' && options.format !== 'json') throw new UsageError('--format is csv or json');
  const now = Date.now();
  const from = parseTime(options.from, now);
  const to = parseTime(options.to, now);
  if (to <= from) throw new UsageError('--to must be after --from');
  const path = join(options.dataDir, DATABASE_FILE);
  if (!existsSync(path)) throw new Error(`there is no Hyperion database in ${options.dataDir}`);
  const db = openDatabase({ path });
  try {
    const saved = listHosts(db).find(
      (h) => h.name.toLowerCase() === options.host.toLowerCase() || h.id === options.host,
    );
    const hostId = options.host === 'local' ? 'local' : saved?.id;
    if (!hostId) throw new Error(`no saved host is called "${options.host}" (use "local" for this computer)`);
    const set = new HistoryQueries(db).range(
      {
        host: hostId,
        metric: options.metric,
        labels: options.labels.length ? options.labels : undefined,
        from,
        to,
        maxPoints: 100_000,
      },
      now,
      DEFAULT_RETENTION,
    );
    const { body, rows } =
      options.format === 'csv' ? toCsv(hostId, options.metric, set) : toJson(hostId, options.metric, set);
    if (options.output) writeFileSync(options.output, body);
    return { rows, text: body };
  } finally {
    db.close();
  }
}
