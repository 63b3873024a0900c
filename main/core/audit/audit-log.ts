// The append-only audit log in SQLite: every action, allowed or refused, chained by SHA-256 so that an
// edited or removed row is detected by verify().
import { createHash } from 'node:crypto';
import type {
  AuditEntry,
  AuditFilter,
  AuditPage,
  AuditQuery,
  AuditResult,
  AuditVerification,
} from '../../../common/schemas/audit';
import type { Db } from '../store/database';
import { redactArgs } from './redact';

export const GENESIS_HASH = '0'.repeat(64);

/** One action to record; the log adds seq, time and hash. Arguments are redacted here. */
export interface AuditRecord {
  actor: string;
  via: AuditEntry['via'];
  address?: string | null;
  host?: string | null;
  action: string;
  target?: string | number | null;
  args?: unknown;
  result: AuditResult;
  error?: string | null;
  /** Defaults to now. */
  ts?: number;
}

interface Row {
  seq: number;
  ts: number;
  actor: string;
  via: string;
  address: string | null;
  host: string | null;
  action: string;
  target: string | null;
  args: string;
  result: string;
  error: string | null;
  prev_hash: string;
  hash: string;
}

/** The hash of one entry: over the previous hash and every field, in a fixed order. */
export function entryHash(prevHash: string, row: Omit<Row, 'prev_hash' | 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.ts,
    row.actor,
    row.via,
    row.address,
    row.host,
    row.action,
    row.target,
    row.args,
    row.result,
    row.error,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

function toEntry(row: Row): AuditEntry {
  let args: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(row.args);
    args = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    args = {};
  }
  return {
    seq: row.seq,
    ts: row.ts,
    actor: row.actor,
    via: row.via as AuditEntry['via'],
    address: row.address,
    host: row.host,
    action: row.action,
    target: row.target,
    args,
    result: row.result as AuditResult,
    error: row.error,
    hash: row.hash,
  };
}

function whereOf(filter: AuditFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.host !== undefined) {
    clauses.push('host = ?');
    params.push(filter.host);
  }
  if (filter.action !== undefined) {
    if (filter.action.endsWith('.')) {
      clauses.push('substr(action, 1, ?) = ?');
      params.push(filter.action.length, filter.action);
    } else {
      clauses.push('action = ?');
      params.push(filter.action);
    }
  }
  if (filter.actor !== undefined) {
    clauses.push('actor = ?');
    params.push(filter.actor);
  }
  if (filter.result !== undefined) {
    clauses.push('result = ?');
    params.push(filter.result);
  }
  if (filter.from !== undefined) {
    clauses.push('ts >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    clauses.push('ts < ?');
    params.push(filter.to);
  }
  if (filter.text !== undefined && filter.text.trim() !== '') {
    for (const word of filter.text.trim().split(/\s+/).slice(0, 8)) {
      clauses.push(
        "(instr(lower(coalesce(target, '')), ?) > 0 OR instr(lower(args), ?) > 0 OR instr(lower(coalesce(error, '')), ?) > 0 OR instr(lower(action), ?) > 0)",
      );
      const w = word.toLowerCase();
      params.push(w, w, w, w);
    }
  }
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params };
}

export class AuditLog {
  private readonly insert;
  private readonly last;
  private readonly listeners = new Set<(entry: AuditEntry) => void>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (seq, ts, actor, via, address, host, action, target, args, result, error, prev_hash, hash)
       VALUES (@seq, @ts, @actor, @via, @address, @host, @action, @target, @args, @result, @error, @prev_hash, @hash)`,
    );
    this.last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  }

  /** Appends one entry and returns it. The read of the previous hash and the insert are one transaction. */
  record(entry: AuditRecord): AuditEntry {
    const append = this.db.transaction((): Row => {
      const prev = this.last.get() as { seq: number; hash: string } | undefined;
      const base = {
        seq: (prev?.seq ?? 0) + 1,
        ts: entry.ts ?? this.now(),
        actor: entry.actor,
        via: entry.via,
        address: entry.address ?? null,
        host: entry.host ?? null,
        action: entry.action,
        target: entry.target === undefined || entry.target === null ? null : String(entry.target),
        args: JSON.stringify(redactArgs(entry.args ?? {})),
        result: entry.result,
        error: entry.error ?? null,
      };
      const prevHash = prev?.hash ?? GENESIS_HASH;
      const row: Row = { ...base, prev_hash: prevHash, hash: entryHash(prevHash, base) };
      this.insert.run(row);
      return row;
    });
    const saved = toEntry(append.immediate());
    for (const listener of this.listeners) listener(saved);
    return saved;
  }

  /** Newest first, one page at a time. */
  list(query: AuditQuery): AuditPage {
    const limit = query.limit ?? 200;
    const { sql, params } = whereOf(query);
    const before = query.beforeSeq === undefined ? '' : ' AND seq < ?';
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE ${sql}${before} ORDER BY seq DESC LIMIT ?`)
      .all(...params, ...(query.beforeSeq === undefined ? [] : [query.beforeSeq]), limit + 1) as Row[];
    const page = rows.slice(0, limit).map(toEntry);
    return { entries: page, nextBeforeSeq: rows.length > limit ? page[page.length - 1]!.seq : null };
  }

  /** Every matching entry, oldest first, for export. */
  *all(filter: AuditFilter = {}): Generator<AuditEntry> {
    const { sql, params } = whereOf(filter);
    for (const row of this.db
      .prepare(`SELECT * FROM audit_log WHERE ${sql} ORDER BY seq`)
      .iterate(...params) as IterableIterator<Row>) {
      yield toEntry(row);
    }
  }

  /** Walks the whole chain: each row's seq follows the last, links to its hash, and hashes to itself. */
  verify(): AuditVerification {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (const row of this.db
      .prepare('SELECT * FROM audit_log ORDER BY seq')
      .iterate() as IterableIterator<Row>) {
      const { prev_hash, hash, ...base } = row;
      const problem =
        row.seq !== expectedSeq
          ? `entry ${expectedSeq} is missing (the next one is ${row.seq})`
          : prev_hash !== prevHash
            ? `entry ${row.seq} does not link to the entry before it`
            : entryHash(prev_hash, base) !== hash
              ? `entry ${row.seq} was changed after it was written`
              : undefined;
      if (problem) {
        return {
          ok: false,
          checked,
          brokenAt: row.seq !== expectedSeq ? expectedSeq : row.seq,
          message: `The audit log has been tampered with: ${problem}.`,
        };
      }
      prevHash = hash;
      expectedSeq++;
      checked++;
    }
    return {
      ok: true,
      checked,
      brokenAt: null,
      message:
        checked === 0
          ? 'The audit log is empty.'
          : `All ${checked} entries of the audit log are intact and in order.`,
    };
  }

  /** Told about each entry as it is written (the audit view's live updates). */
  onRecord(listener: (entry: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
