// Command runs and snippets in SQLite: plain functions over a connection, with bounded history.
import { randomBytes } from 'node:crypto';
import {
  summarize,
  type CommandHistoryPage,
  type CommandHostResult,
  type CommandRun,
  type CommandRunState,
  type HostOutput,
  type OutputStream,
  type Snippet,
} from '../../../common/schemas/commands';
import { ApiError } from '../../../common/errors';
import type { Db } from '../store/database';

/** The output of one host as kept: chunks in arrival order. */
export type KeptChunk = { stream: OutputStream; text: string };

export interface HistoryLimits {
  /** Runs kept; older ones are deleted as new ones start. */
  maxRuns: number;
  /** Kept output across all runs; the oldest runs go first when it is exceeded. */
  maxOutputBytes: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxRuns: 1000, maxOutputBytes: 256 * 1024 * 1024 };

interface RunRow {
  id: string;
  command: string;
  actor: string;
  state: CommandRunState;
  started_at: number;
  finished_at: number | null;
  timeout_sec: number;
  concurrency: number;
}

interface HostRow {
  run_id: string;
  position: number;
  host_id: string;
  host_name: string;
  state: CommandHostResult['state'];
  exit_code: number | null;
  signal: string | null;
  started_at: number | null;
  finished_at: number | null;
  output_bytes: number;
  truncated: 0 | 1;
  error: string | null;
}

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

function toResult(row: HostRow): CommandHostResult {
  return {
    host: row.host_id,
    name: row.host_name,
    state: row.state,
    exitCode: row.exit_code,
    signal: row.signal,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.started_at !== null && row.finished_at !== null ? row.finished_at - row.started_at : null,
    outputBytes: row.output_bytes,
    truncated: row.truncated === 1,
    error: row.error,
  };
}

function toRun(row: RunRow, hosts: CommandHostResult[]): CommandRun {
  return {
    id: row.id,
    command: row.command,
    actor: row.actor,
    state: row.state,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    timeoutSec: row.timeout_sec,
    concurrency: row.concurrency,
    hosts,
    summary: summarize(hosts),
  };
}

export class CommandStore {
  constructor(
    private readonly db: Db,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {}

  /** Runs left "running" by a Hyperion that stopped: their end is unknown. */
  markInterrupted(now: number): number {
    return this.db.transaction(() => {
      this.db
        .prepare(
          "UPDATE command_run_hosts SET state = 'interrupted', finished_at = coalesce(finished_at, ?), error = coalesce(error, 'Hyperion stopped while the command ran; how it ended is not known.') WHERE state IN ('queued', 'running') AND run_id IN (SELECT id FROM command_runs WHERE state = 'running')",
        )
        .run(now);
      return this.db
        .prepare("UPDATE command_runs SET state = 'interrupted', finished_at = ? WHERE state = 'running'")
        .run(now).changes;
    })();
  }

  insertRun(run: CommandRun): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO command_runs (id, command, actor, state, started_at, finished_at, timeout_sec, concurrency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          run.id,
          run.command,
          run.actor,
          run.state,
          run.startedAt,
          run.finishedAt,
          run.timeoutSec,
          run.concurrency,
        );
      const insert = this.db.prepare(
        'INSERT INTO command_run_hosts (run_id, position, host_id, host_name, state) VALUES (?, ?, ?, ?, ?)',
      );
      run.hosts.forEach((h, i) => insert.run(run.id, i, h.host, h.name, h.state));
      this.prune();
    })();
  }

  /** Writes one host's result, with its kept output once it is final. */
  updateHost(runId: string, position: number, result: CommandHostResult, output?: KeptChunk[]): void {
    const kept = output ? output.reduce((n, c) => n + Buffer.byteLength(c.text), 0) : undefined;
    this.db
      .prepare(
        `UPDATE command_run_hosts SET state = ?, exit_code = ?, signal = ?, started_at = ?, finished_at = ?,
           output_bytes = ?, truncated = ?, error = ?,
           output = coalesce(?, output), kept_bytes = coalesce(?, kept_bytes)
         WHERE run_id = ? AND position = ?`,
      )
      .run(
        result.state,
        result.exitCode,
        result.signal,
        result.startedAt,
        result.finishedAt,
        result.outputBytes,
        result.truncated ? 1 : 0,
        result.error,
        output ? JSON.stringify(output.map((c) => [c.stream === 'stdout' ? 'o' : 'e', c.text])) : null,
        kept ?? null,
        runId,
        position,
      );
  }

  finishRun(runId: string, state: CommandRunState, finishedAt: number): void {
    this.db
      .prepare('UPDATE command_runs SET state = ?, finished_at = ? WHERE id = ?')
      .run(state, finishedAt, runId);
  }

  getRun(runId: string): CommandRun | undefined {
    const row = this.db.prepare('SELECT * FROM command_runs WHERE id = ?').get(runId) as RunRow | undefined;
    return row && toRun(row, this.hostsOf(runId));
  }

  output(runId: string, hostId: string): HostOutput | undefined {
    const row = this.db
      .prepare(
        'SELECT output, output_bytes, truncated FROM command_run_hosts WHERE run_id = ? AND host_id = ?',
      )
      .get(runId, hostId) as { output: string; output_bytes: number; truncated: 0 | 1 } | undefined;
    if (!row) return undefined;
    const parsed = JSON.parse(row.output) as [string, string][];
    return {
      host: hostId,
      chunks: parsed.map(([s, text]) => ({ stream: s === 'o' ? 'stdout' : 'stderr', text })),
      outputBytes: row.output_bytes,
      truncated: row.truncated === 1,
    };
  }

  history(query: { text?: string; host?: string; before?: number; limit: number }): CommandHistoryPage {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (query.before !== undefined) {
      clauses.push('started_at < ?');
      params.push(query.before);
    }
    if (query.host !== undefined) {
      clauses.push('id IN (SELECT run_id FROM command_run_hosts WHERE host_id = ?)');
      params.push(query.host);
    }
    for (const word of (query.text ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8)) {
      clauses.push('instr(lower(command), ?) > 0');
      params.push(word.toLowerCase());
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT * FROM command_runs ${where} ORDER BY started_at DESC, rowid DESC LIMIT ?`)
      .all(...params, query.limit + 1) as RunRow[];
    const page = rows.slice(0, query.limit);
    return {
      runs: page.map((r) => toRun(r, this.hostsOf(r.id))),
      nextBefore: rows.length > query.limit ? page[page.length - 1]!.started_at : null,
    };
  }

  deleteRun(runId: string): boolean {
    return (
      this.db.prepare("DELETE FROM command_runs WHERE id = ? AND state != 'running'").run(runId).changes > 0
    );
  }

  snippets(): Snippet[] {
    return (
      this.db.prepare('SELECT * FROM command_snippets ORDER BY name COLLATE NOCASE').all() as {
        id: string;
        name: string;
        command: string;
        description: string;
        created_at: number;
        updated_at: number;
      }[]
    ).map((r) => ({
      id: r.id,
      name: r.name,
      command: r.command,
      description: r.description,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  saveSnippet(
    input: { id?: string; name: string; command: string; description: string },
    now: number,
  ): Snippet {
    const clash = this.db
      .prepare('SELECT id FROM command_snippets WHERE name = ? COLLATE NOCASE')
      .get(input.name) as { id: string } | undefined;
    if (clash && clash.id !== input.id) {
      throw new ApiError('invalid_input', `There is already a snippet called ${input.name}.`, {
        issues: [{ path: 'name', message: `there is already a snippet called ${input.name}` }],
      });
    }
    if (input.id) {
      const changed = this.db
        .prepare(
          'UPDATE command_snippets SET name = ?, command = ?, description = ?, updated_at = ? WHERE id = ?',
        )
        .run(input.name, input.command, input.description, now, input.id).changes;
      if (changed === 0) throw new ApiError('not_found', 'That snippet does not exist any more.');
      return this.snippets().find((s) => s.id === input.id)!;
    }
    const id = newId();
    this.db
      .prepare(
        'INSERT INTO command_snippets (id, name, command, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, input.name, input.command, input.description, now, now);
    return this.snippets().find((s) => s.id === id)!;
  }

  deleteSnippet(id: string): boolean {
    return this.db.prepare('DELETE FROM command_snippets WHERE id = ?').run(id).changes > 0;
  }

  private hostsOf(runId: string): CommandHostResult[] {
    return (
      this.db
        .prepare(
          'SELECT run_id, position, host_id, host_name, state, exit_code, signal, started_at, finished_at, output_bytes, truncated, error FROM command_run_hosts WHERE run_id = ? ORDER BY position',
        )
        .all(runId) as HostRow[]
    ).map(toResult);
  }

  /** Keeps the history within its limits, oldest finished runs first. */
  private prune(): void {
    const { maxRuns, maxOutputBytes } = this.limits;
    this.db
      .prepare(
        "DELETE FROM command_runs WHERE state != 'running' AND id IN (SELECT id FROM command_runs ORDER BY started_at DESC, rowid DESC LIMIT -1 OFFSET ?)",
      )
      .run(maxRuns);
    const total = (
      this.db.prepare('SELECT coalesce(sum(kept_bytes), 0) AS n FROM command_run_hosts').get() as {
        n: number;
      }
    ).n;
    if (total <= maxOutputBytes) return;
    let excess = total - maxOutputBytes;
    const oldest = this.db
      .prepare(
        "SELECT r.id, coalesce(sum(h.kept_bytes), 0) AS bytes FROM command_runs r JOIN command_run_hosts h ON h.run_id = r.id WHERE r.state != 'running' GROUP BY r.id ORDER BY r.started_at, r.rowid",
      )
      .iterate() as IterableIterator<{ id: string; bytes: number }>;
    const doomed: string[] = [];
    for (const run of oldest) {
      if (excess <= 0) break;
      doomed.push(run.id);
      excess -= run.bytes;
    }
    const del = this.db.prepare('DELETE FROM command_runs WHERE id = ?');
    for (const id of doomed) del.run(id);
  }
}
