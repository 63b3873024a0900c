// The staging table, where samples land first: a tick's rows side by side per host (a page or two
// per host and write), until the rollup pass moves them into samples_raw in series order. Rows are
// inserted 32 to a statement: a statement per row spent more on its own overhead than on the row.
import type { Db } from './database';

const CHUNK = 32;

export interface StagedHost {
  host: string;
  /** The host's number in history_hosts (the staging table's key). */
  hostNo: number;
  first: number;
  last: number;
}

export class StagingTable {
  private readonly hostNumbers = new Map<string, number>();
  private readonly args = new Array<number>(CHUNK * 4);
  private pending = 0;
  private written = 0;
  private readonly statements;

  constructor(db: Db) {
    const row = '(?, ?, ?, ?)';
    const insert = 'INSERT OR IGNORE INTO samples_staging (host, ts, series_id, value) VALUES ';
    this.statements = {
      findHost: db.prepare('SELECT id FROM history_hosts WHERE host_id = ?'),
      insertHost: db.prepare('INSERT INTO history_hosts (host_id) VALUES (?)'),
      hostName: db.prepare('SELECT host_id FROM history_hosts WHERE id = ?'),
      one: db.prepare(insert + row),
      chunk: db.prepare(insert + Array.from({ length: CHUNK }, () => row).join(', ')),
      // In series order, so that each series' last page of samples_raw is rewritten once. A row
      // whose (series, time) is already there is a duplicate (a clock set back): the first stays.
      move: db.prepare(
        'INSERT OR IGNORE INTO samples_raw (series_id, ts, value) SELECT series_id, ts, value FROM samples_staging ORDER BY series_id, ts',
      ),
      clear: db.prepare('DELETE FROM samples_staging'),
      // The hosts with staged rows, one index step each (never a scan of the table).
      nextHost: db.prepare('SELECT host FROM samples_staging WHERE host > ? ORDER BY host LIMIT 1'),
      span: db.prepare('SELECT MIN(ts) AS first, MAX(ts) AS last FROM samples_staging WHERE host = ?'),
    };
  }

  /** The host's number, given on first use (inside the caller's transaction). */
  hostNumber(host: string): number {
    let id = this.hostNumbers.get(host);
    if (id === undefined) {
      const row = this.statements.findHost.get(host) as { id: number } | undefined;
      id = row ? row.id : Number(this.statements.insertHost.run(host).lastInsertRowid);
      this.hostNumbers.set(host, id);
    }
    return id;
  }

  /** Starts staging rows (inside the caller's transaction). */
  begin(): void {
    this.pending = 0;
    this.written = 0;
  }

  add(hostNo: number, ts: number, seriesId: number, value: number): void {
    const at = this.pending * 4;
    const args = this.args;
    args[at] = hostNo;
    args[at + 1] = ts;
    args[at + 2] = seriesId;
    args[at + 3] = value;
    if (++this.pending === CHUNK) {
      this.written += this.statements.chunk.run(args).changes;
      this.pending = 0;
    }
  }

  /** Stages what is left; returns the rows staged since begin() (duplicates of staged rows left out). */
  end(): number {
    const args = this.args;
    for (let i = 0; i < this.pending; i++) {
      const at = i * 4;
      this.written += this.statements.one.run(args[at], args[at + 1], args[at + 2], args[at + 3]).changes;
    }
    this.pending = 0;
    return this.written;
  }

  /** After a rolled-back transaction: numbers it gave out are gone and may be given again. */
  forgetNumbers(): void {
    this.hostNumbers.clear();
    this.pending = 0;
  }

  /** Hosts with staged rows, with the first and last staged time of each. */
  hosts(): StagedHost[] {
    const out: StagedHost[] = [];
    const { nextHost, span, hostName } = this.statements;
    for (let row = nextHost.get(-1) as { host: number } | undefined; row;) {
      const times = span.get(row.host) as { first: number; last: number };
      const name = hostName.get(row.host) as { host_id: string } | undefined;
      if (name) out.push({ host: name.host_id, hostNo: row.host, ...times });
      row = nextHost.get(row.host) as { host: number } | undefined;
    }
    return out;
  }

  /**
   * Moves every staged row into samples_raw and empties the table (inside the caller's
   * transaction). Returns the rows moved and the rows that were staged.
   */
  moveAll(): { moved: number; staged: number } {
    const moved = this.statements.move.run().changes;
    return { moved, staged: this.statements.clear.run().changes };
  }
}
