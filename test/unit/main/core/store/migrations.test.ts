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
  it('are numbered from 1 upwards, each number once', () => {
    // Numbers are reserved per feature branch (this one holds 008 while 004–007 are built
    // elsewhere); the holes close when the branches are merged.
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
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

  it('008 adds the staging table; the history of 003 stays and reads together with new samples', () => {
    const path = join(dir, 'f.db');
    const v3 = openDatabase({ path, migrations: MIGRATIONS.slice(0, 3) });
    v3.prepare("INSERT INTO series (host_id, metric, label) VALUES ('web-1', 'cpu.usage', '')").run();
    const insert = v3.prepare('INSERT INTO samples_raw VALUES (1, ?, ?)');
    for (let i = 0; i < 60; i++) insert.run(T0 + i * 1000, 10);
    v3.prepare("UPDATE tier_rows SET rows = 60 WHERE tier = 'raw'").run();
    v3.close();

    const v8 = openDatabase({ path });
    expect(schemaVersion(v8)).toBe(8);
    expect(tables(v8)).toEqual(expect.arrayContaining(['history_hosts', 'samples_staging']));
    expect(v8.prepare('SELECT COUNT(*) AS n FROM samples_raw').get()).toEqual({ n: 60 });
    expect(v8.prepare('SELECT COUNT(*) AS n FROM samples_staging').get()).toEqual({ n: 0 });
    // The writer stages new samples under the series 003 knew; a chart reads both as one.
    const writer = new HistoryWriter(v8);
    for (let i = 60; i < 90; i++)
      writer.write([
        { host: 'web-1', ts: T0 + i * 1000, values: [{ metric: 'cpu.usage', label: '', value: 20 }] },
      ]);
    expect(v8.prepare('SELECT DISTINCT series_id FROM samples_staging').all()).toEqual([{ series_id: 1 }]);
    const chart = () =>
      new HistoryQueries(v8).range(
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
    expect(v8.prepare("SELECT rows FROM tier_rows WHERE tier = 'raw'").get()).toEqual({ rows: 90 });
    // Staged rows are keyed by host, time and series: a tick is stored once.
    expect(v8.prepare('SELECT id, host_id FROM history_hosts').all()).toEqual([{ id: 1, host_id: 'web-1' }]);
    v8.prepare('INSERT INTO samples_staging VALUES (1, 5, 1, 1)').run();
    expect(() => v8.prepare('INSERT INTO samples_staging VALUES (1, 5, 1, 2)').run()).toThrow(
      /UNIQUE|PRIMARY/,
    );
    expect(() => v8.prepare("INSERT INTO history_hosts (host_id) VALUES ('web-1')").run()).toThrow(/UNIQUE/);
    v8.close();
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
