// `hyperion audit verify|list|export`: the audit log read straight from the database (safe while
// Hyperion runs: WAL lets a reader in beside the writer).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry, AuditFilter } from '../../common/schemas/audit';
import { AuditLog } from '../core/audit/audit-log';
import { auditToCsv, auditToJson } from '../core/audit/audit-export';
import { DATABASE_FILE } from '../core/core';
import { openDatabase } from '../core/store/database';
import { parseTime } from './export';
import { UsageError } from './usage';

export interface AuditCommandOptions {
  sub: string | undefined;
  dataDir: string;
  host?: string;
  action?: string;
  from?: string;
  to?: string;
  limit?: number;
  format?: string;
  output?: string;
}

export interface AuditCommandResult {
  status: number;
  text: string;
  /** A line for standard error (e.g. "12 rows written"). */
  note?: string;
}

function filterOf(options: AuditCommandOptions, now: number): AuditFilter {
  const filter: AuditFilter = {};
  if (options.host) filter.host = options.host;
  if (options.action) filter.action = options.action;
  if (options.from) filter.from = parseTime(options.from, now);
  if (options.to) filter.to = parseTime(options.to, now);
  return filter;
}

function line(e: AuditEntry): string {
  const time = new Date(e.ts).toISOString();
  const where = e.host ? ` on ${e.host}` : '';
  const what = e.target ? ` ${e.target}` : '';
  const why = e.error ? ` — ${e.error}` : '';
  return `${String(e.seq).padStart(6)}  ${time}  ${e.actor} (${e.via})  ${e.action}${what}${where}  ${e.result}${why}`;
}

export function runAudit(options: AuditCommandOptions): AuditCommandResult {
  if (!['verify', 'list', 'export'].includes(options.sub ?? '')) {
    throw new UsageError('audit needs one of: verify, list, export');
  }
  const path = join(options.dataDir, DATABASE_FILE);
  if (!existsSync(path)) throw new Error(`there is no Hyperion database in ${options.dataDir}`);
  const db = openDatabase({ path });
  try {
    const audit = new AuditLog(db);
    const now = Date.now();
    if (options.sub === 'verify') {
      const result = audit.verify();
      return { status: result.ok ? 0 : 1, text: `${result.message}\n` };
    }
    if (options.sub === 'list') {
      const page = audit.list({ ...filterOf(options, now), limit: options.limit ?? 50 });
      const text = page.entries.length
        ? `${[...page.entries].reverse().map(line).join('\n')}\n`
        : 'No audit entries match.\n';
      return { status: 0, text };
    }
    const format = options.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError('--format is csv or json');
    const entries = audit.all(filterOf(options, now));
    const { body, rows } = format === 'csv' ? auditToCsv(entries) : auditToJson(entries);
    if (options.output) {
      writeFileSync(options.output, body);
      return { status: 0, text: '', note: `${rows} audit entries written to ${options.output}` };
    }
    return { status: 0, text: body };
  } finally {
    db.close();
  }
}
