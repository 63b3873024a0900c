// The audit log: append-only (triggers refuse UPDATE and DELETE), each row chained to the previous by a hash.
import type { Migration } from './index';

export const m003Audit: Migration = {
  version: 3,
  name: 'append-only, hash-chained audit log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        ts        INTEGER NOT NULL,
        actor     TEXT NOT NULL,
        via       TEXT NOT NULL,
        address   TEXT,
        host      TEXT,
        action    TEXT NOT NULL,
        target    TEXT,
        args      TEXT NOT NULL,
        result    TEXT NOT NULL CHECK (result IN ('ok', 'refused', 'failed')),
        error     TEXT,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
      ) STRICT;

      CREATE INDEX audit_log_host ON audit_log (host, seq);
      CREATE INDEX audit_log_action ON audit_log (action, seq);
      CREATE INDEX audit_log_ts ON audit_log (ts);

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `);
  },
};
