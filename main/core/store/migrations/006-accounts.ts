// Accounts for `hyperion serve`: users, sessions, access keys, recovery codes, failed sign-ins and
// lockouts. Only digests of credentials are stored (scrypt for passwords, SHA-256 for random
// tokens); TOTP secrets live in the secret store, not here.
import type { Migration } from './index';

export const m006Accounts: Migration = {
  version: 6,
  name: 'accounts, sessions, recovery codes, sign-in attempts and lockouts',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        username             TEXT PRIMARY KEY,
        role                 TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        -- 'desktop': the workstation's owner in the Electron app (2FA for step-up and app lock only)
        kind                 TEXT NOT NULL DEFAULT 'account' CHECK (kind IN ('account', 'desktop')),
        password_hash        TEXT,
        must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
        totp_enabled         INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
        -- RFC 6238 §5.2: a code is accepted once; later codes must come from a later time step
        totp_last_counter    INTEGER NOT NULL DEFAULT -1,
        disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at           INTEGER NOT NULL,
        created_by           TEXT,
        password_changed_at  INTEGER,
        last_login_at        INTEGER,
        last_login_address   TEXT,
        CHECK (kind = 'desktop' OR password_hash IS NOT NULL)
      ) STRICT;

      CREATE TABLE sessions (
        id           TEXT PRIMARY KEY,
        token_hash   TEXT NOT NULL UNIQUE,
        username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
        role         TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        method       TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        address      TEXT,
        user_agent   TEXT,
        -- the access key a #token= link exchanged for this session: revoking the key ends it too
        access_key_id TEXT
      ) STRICT;
      CREATE INDEX sessions_user ON sessions (username);
      CREATE INDEX sessions_expiry ON sessions (expires_at);

      CREATE TABLE access_keys (
        id           TEXT PRIMARY KEY,
        key_hash     TEXT NOT NULL UNIQUE,
        username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
        name         TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        last_used_at INTEGER
      ) STRICT;
      CREATE INDEX access_keys_user ON access_keys (username);

      CREATE TABLE recovery_codes (
        username  TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        used_at   INTEGER,
        PRIMARY KEY (username, code_hash)
      ) STRICT, WITHOUT ROWID;

      -- One row per failed sign-in, by account name ('user:alice') and by address ('addr:10.0.0.5').
      CREATE TABLE login_failures (
        scope TEXT NOT NULL,
        ts    INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX login_failures_scope ON login_failures (scope, ts);

      CREATE TABLE lockouts (
        scope TEXT PRIMARY KEY,
        until INTEGER NOT NULL,
        since INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
