// The audit log as CSV or JSON, oldest first, for export from the UI and the CLI.
import type { AuditEntry } from '../../../common/schemas/audit';
import { csvField } from '../store/export';

const COLUMNS = [
  'seq',
  'time_iso',
  'time_ms',
  'actor',
  'via',
  'address',
  'host',
  'action',
  'target',
  'args',
  'result',
  'error',
  'hash',
];

/** A cell a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

export function auditToCsv(entries: Iterable<AuditEntry>): { body: string; rows: number } {
  const lines = [COLUMNS.join(',')];
  for (const e of entries) {
    lines.push(
      [
        e.seq,
        new Date(e.ts).toISOString(),
        e.ts,
        cell(e.actor),
        e.via,
        cell(e.address),
        cell(e.host),
        cell(e.action),
        cell(e.target),
        cell(JSON.stringify(e.args)),
        e.result,
        cell(e.error),
        e.hash,
      ].join(','),
    );
  }
  return { body: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

export function auditToJson(entries: Iterable<AuditEntry>): { body: string; rows: number } {
  const all = [...entries];
  return { body: JSON.stringify({ entries: all }, null, 2), rows: all.length };
}

export function auditFilename(format: 'csv' | 'json', now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `hyperion-audit-${stamp}.${format}`;
}
