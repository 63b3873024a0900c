// The audit log on a real SQLite file: append, page, filter, and a hash chain that catches tampering.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, GENESIS_HASH } from '../../../../../main/core/audit/audit-log';
import { openDatabase, type Db } from '../../../../../main/core/store/database';

let dir: string;
let db: Db;
let clock: number;
let log: AuditLog;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperion-audit-'));
  db = openDatabase({ path: join(dir, 'hyperion.db') });
  clock = 1_700_000_000_000;
  log = new AuditLog(db, () => clock++);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function fill(n: number): void {
  for (let i = 0; i < n; i++) {
    log.record({
      actor: i % 2 ? 'alice' : 'bob',
      via: 'websocket',
      address: '127.0.0.1',
      host: i % 3 === 0 ? 'web-1' : 'local',
      action: i % 2 ? 'services.restart' : 'processes.signal',
      target: i % 2 ? 'nginx.service' : 1000 + i,
      args: { signal: 'TERM', n: i },
      result: i === 4 ? 'refused' : 'ok',
      error: i === 4 ? 'needs root or sudo on web-1' : null,
    });
  }
}

/** Drops the append-only triggers, as someone editing the file by hand would. */
function tamper(sql: string): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.exec(sql);
}

describe('AuditLog', () => {
  it('numbers entries 1, 2, 3 and chains each to the one before', () => {
    const a = log.record({
      actor: 'desktop',
      via: 'ipc',
      action: 'hosts.add',
      target: 'web-1',
      result: 'ok',
    });
    const b = log.record({
      actor: 'desktop',
      via: 'ipc',
      action: 'hosts.remove',
      host: 'web-1',
      result: 'ok',
    });
    expect([a.seq, b.seq]).toEqual([1, 2]);
    const rows = db.prepare('SELECT prev_hash, hash FROM audit_log ORDER BY seq').all() as {
      prev_hash: string;
      hash: string;
    }[];
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toBe(b.hash);
  });

  it('never stores a secret among the arguments', () => {
    const entry = log.record({
      actor: 'desktop',
      via: 'ipc',
      action: 'hosts.add',
      args: {
        name: 'web-1',
        auth: { method: 'password', secret: 'hunter2-secret' },
        webhookUrl: 'https://x',
      },
      result: 'ok',
    });
    expect(entry.args).toEqual({
      name: 'web-1',
      auth: { method: 'password', secret: '[redacted]' },
      webhookUrl: '[redacted]',
    });
    const raw = JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
    expect(raw).not.toContain('hunter2-secret');
  });

  it('pages newest first and filters by host, action prefix, actor, result, text and time', () => {
    fill(10);
    const first = log.list({ limit: 4 });
    expect(first.entries.map((e) => e.seq)).toEqual([10, 9, 8, 7]);
    expect(first.nextBeforeSeq).toBe(7);
    const second = log.list({ limit: 4, beforeSeq: 7 });
    expect(second.entries.map((e) => e.seq)).toEqual([6, 5, 4, 3]);
    expect(log.list({ limit: 4, beforeSeq: 3 }).nextBeforeSeq).toBeNull();

    expect(log.list({ host: 'web-1' }).entries.map((e) => e.seq)).toEqual([10, 7, 4, 1]);
    expect(log.list({ action: 'services.' }).entries).toHaveLength(5);
    expect(log.list({ action: 'services' }).entries).toHaveLength(0);
    expect(log.list({ actor: 'alice', result: 'ok' }).entries.every((e) => e.actor === 'alice')).toBe(true);
    expect(log.list({ result: 'refused' }).entries.map((e) => e.error)).toEqual([
      'needs root or sudo on web-1',
    ]);
    expect(log.list({ text: 'NGINX' }).entries).toHaveLength(5);
    expect(log.list({ from: 1_700_000_000_002, to: 1_700_000_000_004 }).entries.map((e) => e.seq)).toEqual([
      4, 3,
    ]);
  });

  it('verifies an intact chain', () => {
    expect(log.verify()).toMatchObject({ ok: true, checked: 0, message: 'The audit log is empty.' });
    fill(25);
    expect(log.verify()).toEqual({
      ok: true,
      checked: 25,
      brokenAt: null,
      message: 'All 25 entries of the audit log are intact and in order.',
    });
  });

  it('finds an edited row', () => {
    fill(8);
    tamper("UPDATE audit_log SET result = 'ok', error = NULL WHERE seq = 5");
    const result = log.verify();
    expect(result).toMatchObject({ ok: false, brokenAt: 5, checked: 4 });
    expect(result.message).toMatch(/entry 5 was changed/);
  });

  it('finds a row whose hash was recomputed to hide an edit: the next link breaks', () => {
    fill(8);
    tamper("UPDATE audit_log SET actor = 'mallory', hash = 'f' || substr(hash, 2) WHERE seq = 3");
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('finds a removed row', () => {
    fill(8);
    tamper('DELETE FROM audit_log WHERE seq = 6');
    const result = log.verify();
    expect(result).toMatchObject({ ok: false, brokenAt: 6 });
    expect(result.message).toMatch(/entry 6 is missing/);
  });

  it('tells listeners about each new entry', () => {
    const seen: number[] = [];
    const off = log.onRecord((e) => seen.push(e.seq));
    fill(2);
    off();
    fill(1);
    expect(seen).toEqual([1, 2]);
  });

  it('yields every matching entry oldest first for export', () => {
    fill(6);
    expect([...log.all({ actor: 'bob' })].map((e) => e.seq)).toEqual([1, 3, 5]);
  });
});
