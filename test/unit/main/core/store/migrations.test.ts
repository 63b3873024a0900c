// Each migration on a real SQLite file: a fresh database, an upgrade that keeps data, and the
// refusals (a newer schema, an unreadable file).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, schemaVersion, StoreOpenError } from '../../../../../main/core/store/database';
import { HistoryQueries } from '../../../../../main/core/store/history-queries';
import { DEFAULT_RETENTION, HistoryWriter, MINUTE } from '../../../../../main/core/store/history-writer';
import { MIGRATIONS } from '../../../../../main/core/store/migrations';

const T0 = Date.UTC(2026, 10, 2, 3, 0, 0);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperion-migrations-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tables = (db: ReturnType<typeof openDatabase>) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('migrations', () => {
  it('are numbered 1, 2, … without holes', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('001 creates hosts, host keys and settings in WAL mode', () => {
    const db = openDatabase({ path: join(dir, 'a.db'), migrations: MIGRATIONS.slice(0, 1) });
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['host_keys', 'hosts', 'settings']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(() =>
      db
        .prepare("INSERT INTO hosts VALUES ('x', 'x', 'a', 70000, 'u', 'agent', NULL, NULL, '[]', 0, 0, 0)")
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('002 adds the history tiers and keeps the hosts of 001', () => {
    const path = join(dir, 'b.db');
    const v1 = openDatabase({ path, migrations: MIGRATIONS.slice(0, 1) });
    v1.prepare(
      "INSERT INTO hosts VALUES ('web-1', 'web-1', '192.0.2.1', 22, 'u', 'agent', NULL, NULL, '[]', 0, 1, 1)",
    ).run();
    v1.close();
    const v2 = openDatabase({ path, migrations: MIGRATIONS.slice(0, 2) });
    expect(schemaVersion(v2)).toBe(2);
    expect(tables(v2)).toEqual(
      expect.arrayContaining(['outages', 'samples_1h', 'samples_1m', 'samples_raw', 'series', 'tier_rows']),
    );
    expect(v2.prepare('SELECT name FROM hosts').all()).toEqual([{ name: 'web-1' }]);
    expect(v2.prepare('SELECT tier, rows FROM tier_rows ORDER BY tier').all()).toEqual([
      { tier: '1h', rows: 0 },
      { tier: '1m', rows: 0 },
      { tier: 'raw', rows: 0 },
    ]);
    // Samples are keyed by (series, time): a duplicate is refused by the primary key.
    v2.prepare("INSERT INTO series (host_id, metric, label) VALUES ('web-1', 'cpu.usage', '')").run();
    v2.prepare('INSERT INTO samples_raw VALUES (1, 1000, 5)').run();
    expect(() => v2.prepare('INSERT INTO samples_raw VALUES (1, 1000, 6)').run()).toThrow(/UNIQUE|PRIMARY/);
    v2.close();
  });

  it('003 adds an audit log that refuses UPDATE and DELETE, keeping the data of 002', () => {
    const path = join(dir, 'd.db');
    const v2 = openDatabase({ path, migrations: MIGRATIONS.slice(0, 2) });
    v2.prepare("INSERT INTO series (host_id, metric, label) VALUES ('local', 'cpu.usage', '')").run();
    v2.close();
    const v3 = openDatabase({ path, migrations: MIGRATIONS.slice(0, 3) });
    expect(schemaVersion(v3)).toBe(3);
    expect(tables(v3)).toContain('audit_log');
    expect(v3.prepare('SELECT metric FROM series').all()).toEqual([{ metric: 'cpu.usage' }]);
    v3.prepare(
      "INSERT INTO audit_log VALUES (1, 5, 'desktop', 'ipc', NULL, 'local', 'x', NULL, '{}', 'ok', NULL, 'p', 'h')",
    ).run();
    expect(() => v3.prepare("UPDATE audit_log SET actor = 'someone else'").run()).toThrow(/append-only/);
    expect(() => v3.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() =>
      v3
        .prepare(
          "INSERT INTO audit_log VALUES (2, 5, 'desktop', 'ipc', NULL, NULL, 'x', NULL, '{}', 'maybe', NULL, 'p', 'h')",
        )
        .run(),
    ).toThrow(/CHECK/);
    v3.close();
  });

  it('004 adds alert rules, incidents with timelines, silences, channels without secrets and the outbox', () => {
    const path = join(dir, 'g.db');
    const before = openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version < 4) });
    before.prepare("INSERT INTO series (host_id, metric, label) VALUES ('local', 'cpu.usage', '')").run();
    before.close();
    const db = openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version <= 4) });
    expect(schemaVersion(db)).toBe(4);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'alert_rules',
        'alert_incidents',
        'alert_events',
        'alert_silences',
        'alert_channels',
        'notify_events',
        'notify_messages',
      ]),
    );
    expect(db.prepare('SELECT metric FROM series').all()).toEqual([{ metric: 'cpu.usage' }]);
    // Channels hold no secret columns: only whether one is stored.
    const channelColumns = (db.prepare('PRAGMA table_info(alert_channels)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(channelColumns.filter((c) => /url|password|secret/.test(c))).toEqual([
      'has_webhook_url',
      'has_smtp_password',
      'has_signing_secret',
    ]);
    db.prepare(
      "INSERT INTO alert_channels (id, kind, name, enabled, config, created_at, updated_at) VALUES ('ops', 'slack', 'Ops', 1, '{}', 1, 1)",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO alert_channels (id, kind, name, enabled, config, created_at, updated_at) VALUES ('x', 'pager', 'X', 1, '{}', 1, 1)",
        )
        .run(),
    ).toThrow(/CHECK/);
    const incident = db
      .prepare(
        `INSERT INTO alert_incidents (rule_id, rule_name, severity, metric, host_id, host_name, comparison, threshold,
           clear_threshold, state, started_at, fired_at, value, peak, summary)
         VALUES ('disk-full', 'Disk', 'warning', 'fs.used_percent', 'web-1', 'web-1', '>=', 90, 85, 'firing', 1, 2, 93, 93, 's')`,
      )
      .run().lastInsertRowid;
    db.prepare("INSERT INTO alert_events (incident_id, ts, kind, message) VALUES (?, 2, 'firing', 'x')").run(
      incident,
    );
    // The outbox: events stored first, then grouped into a message; deleting the channel drops both.
    const message = db
      .prepare(
        "INSERT INTO notify_messages (channel_id, created_at, title, body, event_count, state, expires_at) VALUES ('ops', 3, 't', '[]', 1, 'pending', 9)",
      )
      .run().lastInsertRowid;
    db.prepare(
      "INSERT INTO notify_events (channel_id, incident_id, created_at, payload, message_id) VALUES ('ops', ?, 3, '{}', ?)",
    ).run(incident, message);
    expect(() =>
      db
        .prepare(
          "INSERT INTO notify_messages (channel_id, created_at, title, body, event_count, state, expires_at) VALUES ('ops', 3, 't', '[]', 1, 'lost', 9)",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare("DELETE FROM alert_channels WHERE id = 'ops'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM notify_events').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM notify_messages').get()).toEqual({ n: 0 });
    // Incidents outlive their rules and channels; their events go with them.
    db.prepare('DELETE FROM alert_incidents').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM alert_events').get()).toEqual({ n: 0 });
    db.close();
  });

  it('005 adds command runs with their hosts and snippets; deleting a run deletes its hosts', () => {
    const path = join(dir, 'f.db');
    const before = openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version < 5) });
    before.prepare("INSERT INTO series (host_id, metric, label) VALUES ('local', 'cpu.usage', '')").run();
    before.close();
    const db = openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version <= 5) });
    expect(schemaVersion(db)).toBe(5);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['command_runs', 'command_run_hosts', 'command_snippets']),
    );
    expect(db.prepare('SELECT metric FROM series').all()).toEqual([{ metric: 'cpu.usage' }]);
    db.prepare(
      "INSERT INTO command_runs (id, command, actor, state, started_at, timeout_sec, concurrency) VALUES ('r1', 'uptime', 'desktop', 'finished', 1, 300, 10)",
    ).run();
    db.prepare(
      "INSERT INTO command_run_hosts (run_id, position, host_id, host_name, state) VALUES ('r1', 0, 'web-1', 'web-1', 'succeeded')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO command_run_hosts (run_id, position, host_id, host_name, state) VALUES ('r1', 1, 'web-2', 'web-2', 'maybe')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO command_run_hosts (run_id, position, host_id, host_name, state) VALUES ('nope', 0, 'web-2', 'web-2', 'queued')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM command_runs WHERE id = 'r1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM command_run_hosts').get()).toEqual({ n: 0 });
    db.prepare(
      "INSERT INTO command_snippets (id, name, command, created_at, updated_at) VALUES ('s1', 'Disk', 'df -h', 1, 1)",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO command_snippets (id, name, command, created_at, updated_at) VALUES ('s2', 'DISK', 'du', 1, 1)",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    db.close();
  });

  it('006 adds users, sessions, access keys, recovery codes, failures and lockouts, keeping the audit log', () => {
    const path = join(dir, 'accounts.db');
    const before = MIGRATIONS.filter((m) => m.version < 6);
    const old = openDatabase({ path, migrations: before });
    old
      .prepare(
        "INSERT INTO audit_log VALUES (1, 5, 'desktop', 'ipc', NULL, NULL, 'x', NULL, '{}', 'ok', NULL, 'p', 'h')",
      )
      .run();
    old.close();
    const db = openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version <= 6) });
    expect(schemaVersion(db)).toBe(6);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'users',
        'sessions',
        'access_keys',
        'recovery_codes',
        'login_failures',
        'lockouts',
      ]),
    );
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    const user = db.prepare(
      `INSERT INTO users (username, role, kind, password_hash, created_at) VALUES (?, ?, ?, ?, 1)`,
    );
    user.run('alice', 'admin', 'account', 'scrypt$…');
    // Roles are the three of the contract; an account needs a password hash, the desktop owner not.
    expect(() => user.run('bob', 'root', 'account', 'scrypt$…')).toThrow(/CHECK/);
    expect(() => user.run('carol', 'viewer', 'account', null)).toThrow(/CHECK/);
    user.run('desktop', 'admin', 'desktop', null);
    expect(() => user.run('alice', 'viewer', 'account', 'x')).toThrow(/UNIQUE|PRIMARY/);
    db.prepare(
      `INSERT INTO sessions (id, token_hash, username, role, method, created_at, last_seen_at, expires_at)
       VALUES ('s1', 'h1', 'alice', 'admin', 'password+totp', 1, 1, 2)`,
    ).run();
    // A session token's digest is unique; a session of an unknown user is refused.
    expect(() =>
      db
        .prepare(
          `INSERT INTO sessions (id, token_hash, username, role, method, created_at, last_seen_at, expires_at)
           VALUES ('s2', 'h1', 'alice', 'admin', 'password', 1, 1, 2)`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO sessions (id, token_hash, username, role, method, created_at, last_seen_at, expires_at)
           VALUES ('s3', 'h3', 'nobody', 'admin', 'password', 1, 1, 2)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO recovery_codes (username, code_hash) VALUES ('alice', 'c1')").run();
    db.prepare("INSERT INTO access_keys VALUES ('k1', 'kh', 'alice', 'wall', 'viewer', 1, 2, NULL)").run();
    // Deleting a user takes their sessions, keys and recovery codes along.
    db.prepare("DELETE FROM users WHERE username = 'alice'").run();
    for (const table of ['sessions', 'access_keys', 'recovery_codes']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    db.close();
  });

  it('007 adds the staging table; the history of 003 stays and reads together with new samples', () => {
    const path = join(dir, 'f.db');
    const v3 = openDatabase({ path, migrations: MIGRATIONS.slice(0, 3) });
    v3.prepare("INSERT INTO series (host_id, metric, label) VALUES ('web-1', 'cpu.usage', '')").run();
    const insert = v3.prepare('INSERT INTO samples_raw VALUES (1, ?, ?)');
    for (let i = 0; i < 60; i++) insert.run(T0 + i * 1000, 10);
    v3.prepare("UPDATE tier_rows SET rows = 60 WHERE tier = 'raw'").run();
    v3.close();

    const v7 = openDatabase({ path });
    expect(schemaVersion(v7)).toBe(7);
    expect(tables(v7)).toEqual(expect.arrayContaining(['history_hosts', 'samples_staging']));
    expect(v7.prepare('SELECT COUNT(*) AS n FROM samples_raw').get()).toEqual({ n: 60 });
    expect(v7.prepare('SELECT COUNT(*) AS n FROM samples_staging').get()).toEqual({ n: 0 });
    // The writer stages new samples under the series 003 knew; a chart reads both as one.
    const writer = new HistoryWriter(v7);
    for (let i = 60; i < 90; i++)
      writer.write([
        { host: 'web-1', ts: T0 + i * 1000, values: [{ metric: 'cpu.usage', label: '', value: 20 }] },
      ]);
    expect(v7.prepare('SELECT DISTINCT series_id FROM samples_staging').all()).toEqual([{ series_id: 1 }]);
    const chart = () =>
      new HistoryQueries(v7).range(
        { host: 'web-1', metric: 'cpu.usage', from: T0, to: T0 + 90_000, maxPoints: 3 },
        T0 + 90_000,
        DEFAULT_RETENTION,
      );
    const expected = [
      [T0, 10, 10, 10],
      [T0 + 30_000, 10, 10, 10],
      [T0 + 60_000, 20, 20, 20],
    ];
    expect(chart().series[0]!.points).toEqual(expected);
    writer.rollup(T0 + 2 * MINUTE);
    expect(chart().series[0]!.points).toEqual(expected);
    expect(v7.prepare("SELECT rows FROM tier_rows WHERE tier = 'raw'").get()).toEqual({ rows: 90 });
    // Staged rows are keyed by host, time and series: a tick is stored once.
    expect(v7.prepare('SELECT id, host_id FROM history_hosts').all()).toEqual([{ id: 1, host_id: 'web-1' }]);
    v7.prepare('INSERT INTO samples_staging VALUES (1, 5, 1, 1)').run();
    expect(() => v7.prepare('INSERT INTO samples_staging VALUES (1, 5, 1, 2)').run()).toThrow(
      /UNIQUE|PRIMARY/,
    );
    expect(() => v7.prepare("INSERT INTO history_hosts (host_id) VALUES ('web-1')").run()).toThrow(/UNIQUE/);
    v7.close();
  });

  it('refuses a database from a newer Hyperion, naming both versions, and changes nothing', () => {
    const path = join(dir, 'c.db');
    const db = openDatabase({ path });
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    let error: unknown;
    try {
      openDatabase({ path });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).code).toBe('newer_version');
    expect((error as Error).message).toContain(String(MIGRATIONS.length + 5));
    expect((error as Error).message).toMatch(/Upgrade Hyperion/);
  });

  it('refuses a file that is not a database with a sentence, not a stack trace', () => {
    const path = join(dir, 'd.db');
    writeFileSync(path, 'this is not sqlite '.repeat(100));
    expect(() => openDatabase({ path })).toThrow(StoreOpenError);
    try {
      openDatabase({ path });
    } catch (err) {
      expect((err as StoreOpenError).code).toBe('unreadable');
      expect((err as Error).message).toContain(path);
    }
  });

  it('rolls a failing migration back whole', () => {
    const path = join(dir, 'e.db');
    const broken = [
      ...MIGRATIONS.slice(0, 1),
      {
        version: 2,
        name: 'broken',
        up(db: ReturnType<typeof openDatabase>) {
          db.exec('CREATE TABLE half (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => openDatabase({ path, migrations: broken })).toThrow(/schema 2 \(broken\) failed: boom/);
    const db = openDatabase({ path, migrations: MIGRATIONS.slice(0, 1) });
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half');
    db.close();
  });
});
