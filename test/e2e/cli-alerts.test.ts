// `hyperion alerts active|history|export` on a real database, as a user runs the built command.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addEvent, insertIncident, markResolved } from '../../main/core/alerts/incidents-repo';
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
  dataDir = mkdtempSync(join(tmpdir(), 'hyperion-cli-alerts-'));
  const db = openDatabase({ path: join(dataDir, 'hyperion.db') });
  const base = {
    ruleId: 'disk-full',
    ruleName: 'Disk almost full',
    metric: 'fs.used_percent',
    comparison: '>=' as const,
    threshold: 90,
    clearThreshold: 85,
    startedAt: Date.now() - 60_000,
    firedAt: Date.now() - 50_000,
  };
  const firing = insertIncident(db, {
    ...base,
    severity: 'warning',
    host: 'web-1',
    hostName: 'web-1',
    label: '/var',
    value: 93,
    summary: '/var on web-1 is 93 % full',
  });
  addEvent(db, {
    incidentId: firing,
    ts: base.firedAt,
    kind: 'firing',
    message: '/var on web-1 is 93 % full',
  });
  const resolved = insertIncident(db, {
    ...base,
    severity: 'critical',
    host: 'db-1',
    hostName: 'db-1',
    label: '/',
    value: 97,
    summary: '/ on db-1 is 97 % full',
  });
  markResolved(db, resolved, Date.now() - 10_000, 80, 97);
  db.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('hyperion alerts', () => {
  it('prints what fires now, exiting 1 while something does', async () => {
    const active = await hyperion('alerts', 'active', '--data-dir', dataDir);
    expect(active.code).toBe(1);
    expect(active.stdout.trim().split('\n')).toHaveLength(1);
    expect(active.stdout).toMatch(
      /WARNING\s+Disk almost full on web-1 \(\/var\)\s+firing — \/var on web-1 is 93 % full/,
    );
    const none = await hyperion('alerts', 'active', '--host', 'db-1', '--data-dir', dataDir);
    expect(none).toMatchObject({ code: 0, stdout: 'Nothing is firing.\n' });
  });

  it('prints the history and exports it with timelines', async () => {
    const history = await hyperion('alerts', 'history', '--severity', 'critical', '--data-dir', dataDir);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/CRITICAL\s+Disk almost full on db-1 \(\/\)\s+resolved/);
    const csv = await hyperion('alerts', 'export', '--data-dir', dataDir);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/firing: \/var on web-1 is 93 % full/);
    const json = JSON.parse(
      (await hyperion('alerts', 'export', '--format', 'json', '--host', 'web-1', '--data-dir', dataDir))
        .stdout,
    );
    expect(json.incidents.map((i: { host: string }) => i.host)).toEqual(['web-1']);
    expect(json.incidents[0].events[0].kind).toBe('firing');
  });

  it('refuses bad flags with the usage', async () => {
    const bad = await hyperion('alerts', 'export', '--severity', 'loud', '--data-dir', dataDir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--severity is info, warning or critical/);
    const sub = await hyperion('alerts', 'delete', '--data-dir', dataDir);
    expect(sub.code).toBe(2);
  });
});
