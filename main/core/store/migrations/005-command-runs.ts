// Commands run on hosts: each run, each host's result with its output (kept up to a limit), and snippets.
import type { Migration } from './index';

export const m005CommandRuns: Migration = {
  version: 5,
  name: 'command runs, their output and snippets',
  up(db) {
    db.exec(`
      CREATE TABLE command_runs (
        id          TEXT PRIMARY KEY,
        command     TEXT NOT NULL,
        actor       TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('running', 'finished', 'cancelled', 'interrupted')),
        started_at  INTEGER NOT NULL,
        finished_at INTEGER,
        timeout_sec INTEGER NOT NULL CHECK (timeout_sec > 0),
        concurrency INTEGER NOT NULL CHECK (concurrency > 0)
      ) STRICT;
      CREATE INDEX command_runs_started ON command_runs (started_at);

      -- One row per host of a run, in the order confirmed. The host id is not a foreign key: a run
      -- stays in the history after its host is removed, under the name it had.
      CREATE TABLE command_run_hosts (
        run_id        TEXT NOT NULL REFERENCES command_runs(id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        host_id       TEXT NOT NULL,
        host_name     TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'unreachable', 'interrupted')),
        exit_code     INTEGER,
        signal        TEXT,
        started_at    INTEGER,
        finished_at   INTEGER,
        output_bytes  INTEGER NOT NULL DEFAULT 0,
        truncated     INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
        error         TEXT,
        -- The kept output: a JSON array of ["o" | "e", text] in arrival order.
        output        TEXT NOT NULL DEFAULT '[]',
        kept_bytes    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, position)
      ) STRICT;
      CREATE INDEX command_run_hosts_host ON command_run_hosts (host_id, run_id);

      CREATE TABLE command_snippets (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        command     TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
