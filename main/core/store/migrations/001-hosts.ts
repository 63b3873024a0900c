// Saved hosts, the host keys the user accepted, and key/value settings.
import type { Migration } from './index';

export const m001Hosts: Migration = {
  version: 1,
  name: 'hosts, host keys and settings',
  up(db) {
    db.exec(`
      CREATE TABLE hosts (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        address     TEXT NOT NULL,
        port        INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        username    TEXT NOT NULL,
        auth_method TEXT NOT NULL CHECK (auth_method IN ('agent', 'key', 'password')),
        key_path    TEXT,
        proxy_jump  TEXT REFERENCES hosts(id) ON DELETE RESTRICT,
        tags        TEXT NOT NULL DEFAULT '[]',
        -- Whether a password or passphrase is in the secret store (the secret itself never is here).
        has_secret  INTEGER NOT NULL DEFAULT 0 CHECK (has_secret IN (0, 1)),
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;

      -- Keys the user accepted in Hyperion, beside ~/.ssh/known_hosts; host_port is "address:port".
      CREATE TABLE host_keys (
        host_port   TEXT NOT NULL,
        key_type    TEXT NOT NULL,
        key_base64  TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        accepted_at INTEGER NOT NULL,
        PRIMARY KEY (host_port, key_type)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
