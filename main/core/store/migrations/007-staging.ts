// A time-ordered staging table in front of samples_raw. A tick's rows land side by side here (a
// page or two per host) instead of one B-tree page per series in the (series, time) table; the
// rollup pass moves them into samples_raw in series order, rewriting each series' page once a
// round instead of once a write. Queries read both, so nothing waits for the move.
import type { Migration } from './index';

export const m007Staging: Migration = {
  version: 7,
  name: 'staging table for incoming samples',
  up(db) {
    db.exec(`
      -- A number per host of the history: the staging table's key starts with it (a short integer
      -- key is compared and stored faster than the host's name, on every row).
      CREATE TABLE history_hosts (
        id      INTEGER PRIMARY KEY,
        host_id TEXT NOT NULL UNIQUE
      ) STRICT;

      -- Keyed by host first: a chart reads its host's few staged minutes, not the whole fleet's.
      CREATE TABLE samples_staging (
        host      INTEGER NOT NULL, -- history_hosts.id (no REFERENCES: a check per row costs)
        ts        INTEGER NOT NULL,
        series_id INTEGER NOT NULL,
        value     REAL NOT NULL,
        PRIMARY KEY (host, ts, series_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
