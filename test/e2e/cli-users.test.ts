// `hyperion users list|reset` against the data folder of a running `hyperion serve`: the way back in
// for an admin who lost phone and recovery codes, with the reset ending their sessions and keys.
import { execFile } from 'node:child_process';
import { AUTH_PATHS } from '../../common/schemas/accounts';
import { authRequest, authStep, TestAuthenticator } from '../helpers/accounts';
import { apiFailure } from '../helpers/api-errors';
import { HYPERION_BIN, REPO_ROOT, startServe, type ServeProcess } from '../helpers/serve-process';

const ENV = { HYPERION_SECRETS: 'file', HYPERION_SECRET_KEY: '7a'.repeat(32) };

function hyperion(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [HYPERION_BIN, ...args],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15_000, env: { ...process.env, ...ENV } },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

let server: ServeProcess;
beforeAll(async () => {
  server = await startServe({ as: 'viewer', env: ENV });
});
afterAll(() => server?.stop());

describe('hyperion users', () => {
  it('lists the accounts with role, 2FA and last sign-in', async () => {
    const list = await hyperion('users', 'list', '--data-dir', server.dataDir);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^admin {2}admin {2}2FA \(10 codes\) {2}active {2}last sign-in \d{4}-.*from 127\.0\.0\.1$/,
    );
    expect(lines[1]).toMatch(/^viewer {2}viewer {2}no 2FA {2}active/);
  });

  it('resets an admin: old keys and sockets stop working, the temporary password leads to a new password and new 2FA', async () => {
    const { client } = await server.client('admin');
    await expect(client.call('hosts.list', {})).resolves.toEqual([]);
    const reset = await hyperion('users', 'reset', 'admin', '--data-dir', server.dataDir);
    expect(reset.code).toBe(0);
    const password = /\n {4}(\S{20})\n/.exec(reset.stdout)?.[1];
    expect(password).toBeDefined();
    // The open socket's key is gone: its next call is refused.
    expect((await apiFailure(client.call('hosts.list', {}))).code).toMatch(/unauthorized|disconnected/);

    const first = await authStep(server.origin, AUTH_PATHS.login, { username: 'admin', password });
    expect(first.step.next).toBe('change-password');
    if (first.step.next !== 'change-password') return;
    const chosen = await authStep(server.origin, AUTH_PATHS.password, {
      ticket: first.step.ticket,
      newPassword: 'a brand new admin password',
    });
    expect(chosen.step.next).toBe('enrol');
    if (chosen.step.next !== 'enrol') return;
    const app = new TestAuthenticator(chosen.step.enrolment.secret);
    const done = await authRequest(server.origin, AUTH_PATHS.enrol, {
      ticket: chosen.step.ticket,
      otp: await app.next(),
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ next: 'signed-in', user: { username: 'admin', role: 'admin' } });

    const audit = await hyperion('audit', 'list', '--action', 'users.reset', '--data-dir', server.dataDir);
    expect(audit.stdout).toMatch(/cli \(cli\)\s+users\.reset admin\s+ok/);
    expect(audit.stdout).not.toContain(password!);
  });

  it('says what is wrong: an unknown name, a missing name, no database', async () => {
    expect(await hyperion('users', 'reset', 'nobody', '--data-dir', server.dataDir)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no account called "nobody"'),
    });
    expect((await hyperion('users', 'reset', '--data-dir', server.dataDir)).code).toBe(2);
    expect((await hyperion('users', 'list', '--data-dir', '/nonexistent-hyperion')).stderr).toMatch(
      /no Hyperion database/,
    );
  });
});
