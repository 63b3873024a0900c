// Alerts: rules, incidents with their timelines, silences, notification channels (no secrets: those
// are in the keychain) and the notification outbox.
import type { Migration } from './index';

export const m004Alerts: Migration = {
  version: 4,
  name: 'alert rules, incidents, silences, channels and the notification outbox',
  up(db) {
    db.exec(`
      CREATE TABLE alert_rules (
        id         TEXT PRIMARY KEY,
        -- The built-in rule this row is (e.g. 'disk-full'), or NULL for rules people made.
        builtin    TEXT UNIQUE,
        name       TEXT NOT NULL,
        enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        -- The rule as JSON, read back through its zod schema.
        definition TEXT NOT NULL,
        position   INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- One row per incident: a rule firing on one series of one host, flapping folded in.
      -- No foreign key to alert_rules: history outlives a deleted rule.
      CREATE TABLE alert_incidents (
        id              INTEGER PRIMARY KEY,
        rule_id         TEXT NOT NULL,
        rule_name       TEXT NOT NULL,
        severity        TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        metric          TEXT NOT NULL,
        host_id         TEXT NOT NULL,
        host_name       TEXT NOT NULL,
        label           TEXT NOT NULL DEFAULT '',
        comparison      TEXT NOT NULL CHECK (comparison IN ('>', '>=', '<', '<=')),
        threshold       REAL NOT NULL,
        clear_threshold REAL NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
        started_at      INTEGER NOT NULL,
        fired_at        INTEGER NOT NULL,
        resolved_at     INTEGER,
        -- Set once it stayed resolved for the flap window: it will not reopen.
        closed_at       INTEGER,
        value           REAL NOT NULL,
        peak            REAL NOT NULL,
        flap_count      INTEGER NOT NULL DEFAULT 0,
        ack_by          TEXT,
        ack_at          INTEGER,
        ack_note        TEXT,
        summary         TEXT NOT NULL,
        -- Whether the firing notification was queued (a silence may have held it back).
        notified        INTEGER NOT NULL DEFAULT 0 CHECK (notified IN (0, 1))
      ) STRICT;
      CREATE INDEX alert_incidents_key ON alert_incidents (rule_id, host_id, label, id);
      CREATE INDEX alert_incidents_open ON alert_incidents (id) WHERE closed_at IS NULL;
      CREATE INDEX alert_incidents_host ON alert_incidents (host_id, id);
      CREATE INDEX alert_incidents_fired ON alert_incidents (fired_at);

      CREATE TABLE alert_events (
        id          INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES alert_incidents(id) ON DELETE CASCADE,
        ts          INTEGER NOT NULL,
        kind        TEXT NOT NULL,
        value       REAL,
        actor       TEXT,
        message     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX alert_events_incident ON alert_events (incident_id, id);

      CREATE TABLE alert_silences (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('rule', 'host', 'tag')),
        target     TEXT NOT NULL,
        until      INTEGER NOT NULL,
        reason     TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        ended_at   INTEGER
      ) STRICT;

      -- Channels without their secrets (webhook URLs, SMTP passwords, signing keys live in the
      -- keychain); the has_* columns only say whether one is stored.
      CREATE TABLE alert_channels (
        id                 TEXT PRIMARY KEY,
        kind               TEXT NOT NULL CHECK (kind IN ('desktop', 'slack', 'email', 'webhook')),
        name               TEXT NOT NULL UNIQUE,
        enabled            INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        config             TEXT NOT NULL,
        endpoint_hint      TEXT,
        has_webhook_url    INTEGER NOT NULL DEFAULT 0 CHECK (has_webhook_url IN (0, 1)),
        has_smtp_password  INTEGER NOT NULL DEFAULT 0 CHECK (has_smtp_password IN (0, 1)),
        has_signing_secret INTEGER NOT NULL DEFAULT 0 CHECK (has_signing_secret IN (0, 1)),
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL
      ) STRICT;

      -- The outbox. Each alert event bound for a channel is stored first (notify_events); events
      -- of a grouping window become one message (notify_messages), frozen at that moment, which
      -- is sent, retried with backoff while the endpoint is down, and marked sent once.
      CREATE TABLE notify_messages (
        id              INTEGER PRIMARY KEY,
        channel_id      TEXT NOT NULL REFERENCES alert_channels(id) ON DELETE CASCADE,
        created_at      INTEGER NOT NULL,
        title           TEXT NOT NULL,
        body            TEXT NOT NULL,
        event_count     INTEGER NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        -- Given up when still not delivered by then (a day; desktop notifications go stale sooner).
        expires_at      INTEGER NOT NULL,
        last_error      TEXT,
        sent_at         INTEGER
      ) STRICT;
      CREATE INDEX notify_messages_channel ON notify_messages (channel_id, state, id);

      CREATE TABLE notify_events (
        id          INTEGER PRIMARY KEY,
        channel_id  TEXT NOT NULL REFERENCES alert_channels(id) ON DELETE CASCADE,
        incident_id INTEGER,
        created_at  INTEGER NOT NULL,
        payload     TEXT NOT NULL,
        message_id  INTEGER REFERENCES notify_messages(id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX notify_events_waiting ON notify_events (channel_id, id) WHERE message_id IS NULL;
      CREATE INDEX notify_events_message ON notify_events (message_id);
    `);
  },
};
