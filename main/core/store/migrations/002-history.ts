// Metric history: series, raw samples, 1-minute and 1-hour rollups, outages, rollup progress.
import type { Migration } from './index';

export const m002History: Migration = {
  version: 2,
  name: 'metric history in three tiers',
  up(db) {
    db.exec(`
      CREATE TABLE series (
        id      INTEGER PRIMARY KEY,
        host_id TEXT NOT NULL,
        metric  TEXT NOT NULL,
        label   TEXT NOT NULL DEFAULT '',
        UNIQUE (host_id, metric, label)
      ) STRICT;

      -- Narrow tables keyed by (series, time): one B-tree each, no rowid, no secondary index.
      CREATE TABLE samples_raw (
        series_id INTEGER NOT NULL,
        ts        INTEGER NOT NULL,
        value     REAL NOT NULL,
        PRIMARY KEY (series_id, ts)
      ) STRICT, WITHOUT ROWID;

      -- Rollups keep sum and count (not the average) so that they merge exactly.
      CREATE TABLE samples_1m (
        series_id INTEGER NOT NULL,
        ts        INTEGER NOT NULL,
        min       REAL NOT NULL,
        max       REAL NOT NULL,
        sum       REAL NOT NULL,
        count     INTEGER NOT NULL,
        PRIMARY KEY (series_id, ts)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE samples_1h (
        series_id INTEGER NOT NULL,
        ts        INTEGER NOT NULL,
        min       REAL NOT NULL,
        max       REAL NOT NULL,
        sum       REAL NOT NULL,
        count     INTEGER NOT NULL,
        PRIMARY KEY (series_id, ts)
      ) STRICT, WITHOUT ROWID;

      -- Row counts per tier, kept by the writer: counting a billion-row table is not an option.
      CREATE TABLE tier_rows (
        tier TEXT PRIMARY KEY CHECK (tier IN ('raw', '1m', '1h')),
        rows INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO tier_rows (tier, rows) VALUES ('raw', 0), ('1m', 0), ('1h', 0);

      -- Times a host was wanted but not reachable: drawn as gaps, never filled in.
      CREATE TABLE outages (
        host_id TEXT NOT NULL,
        start   INTEGER NOT NULL,
        end     INTEGER,
        reason  TEXT NOT NULL,
        PRIMARY KEY (host_id, start)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
