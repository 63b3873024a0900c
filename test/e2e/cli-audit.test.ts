// `hyperion audit verify|list|export` on a real database, as a user runs the built command.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../main/core/audit/audit-log';
import { openDatabase } from '../../main/core/store/database';
import { HYPERION_BIN, REPO_ROOT } from '../helpers/serve-process';

function hyperion(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [HYPERION_BIN, ...args],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15_000 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'hyperion-cli-audit-'));
  const db = openDatabase({ path: join(dataDir, 'hyperion.db') });
  const log = new AuditLog(db);
  for (let i = 0; i < 5; i++) {
    log.record({
      actor: 'alice',
      via: 'websocket',
      host: i < 3 ? 'web-1' : 'db-1',
      action: i % 2 ? 'services.restart' : 'processes.signal',
      target: i % 2 ? 'nginx.service' : String(4000 + i),
      args: { n: i },
      result: 'ok',
    });
  }
  db.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('hyperion audit', () => {
  it('lists, exports and verifies an intact log', async () => {
    const list = await hyperion('audit', 'list', '--host', 'web-1', '--data-dir', dataDir);
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(3);
    expect(list.stdout).toMatch(/alice \(websocket\)\s+services\.restart nginx\.service on web-1\s+ok/);

    const csv = await hyperion('audit', 'export', '--action', 'services.', '--data-dir', dataDir);
    expect(csv.code).toBe(0);
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(3); // header + two restarts

    const verify = await hyperion('audit', 'verify', '--data-dir', dataDir);
    expect(verify).toMatchObject({
      code: 0,
      stdout: 'All 5 entries of the audit log are intact and in order.\n',
    });
  });

  it('exits 1 naming the entry once a row is edited behind Hyperion’s back', async () => {
    const db = openDatabase({ path: join(dataDir, 'hyperion.db') });
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET target = '1' WHERE seq = 2").run();
    db.close();
    const verify = await hyperion('audit', 'verify', '--data-dir', dataDir);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/tampered with: entry 2 was changed/);
  });

  it('says what is wrong with a bad command line', async () => {
    const run = await hyperion('audit', 'shred', '--data-dir', dataDir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('audit needs one of: verify, list, export');
  });
});
