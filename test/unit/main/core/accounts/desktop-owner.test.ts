// The desktop app's owner (the workstation user, admin over IPC): 2FA set up without a password,
// step-up before dangerous actions, the app lock, and a restart that opens locked — through the
// real RPC server and core over memory transports, as the Electron window reaches them.
import { api, type Api } from '../../../../../common/api';
import type { Caller } from '../../../../../common/contract';
import { connect, type ApiClient } from '../../../../../common/rpc/client';
import { createMemoryTransportPair } from '../../../../../common/rpc/memory-transport';
import { serveConnection } from '../../../../../common/rpc/server';
import { TestAuthenticator } from '../../../../helpers/accounts';
import { apiFailure } from '../../../../helpers/api-errors';
import { createTestCore, type TestCore } from '../../../../helpers/core';
import type { Core } from '../../../../../main/core/core';

const DESKTOP: Caller = {
  id: 'desktop',
  role: 'admin',
  via: 'ipc',
  credential: { kind: 'desktop', id: 'desktop' },
};

function window(core: Core): ApiClient<Api> {
  const [a, b] = createMemoryTransportPair();
  serveConnection(api, core.handlers, b, DESKTOP, core.serveOptions);
  return connect(api, a);
}

const SECRET_KEY = '5e'.repeat(32);
let test: TestCore;
let now = Date.now();
beforeEach(async () => {
  now = Date.now();
  test = await createTestCore({ accounts: { now: () => now }, env: { HYPERION_SECRET_KEY: SECRET_KEY } });
});
afterEach(() => test.dispose());

async function enrol(client: ApiClient<Api>): Promise<TestAuthenticator> {
  const enrolment = await client.call('accounts.beginTotp', {});
  const app = new TestAuthenticator(
    enrolment.secret,
    () => now,
    async (ms) => {
      now += ms;
    },
  );
  const { recoveryCodes } = await client.call('accounts.confirmTotp', { otp: await app.next() });
  expect(recoveryCodes).toHaveLength(10);
  return app;
}

describe('the desktop owner', () => {
  it('is an admin without password or sessions, and sets 2FA up without a password', async () => {
    const client = window(test.core);
    const me = await client.call('accounts.me', {});
    expect(me).toMatchObject({
      kind: 'desktop',
      role: 'admin',
      session: null,
      user: { username: 'desktop', twoFactor: false },
    });
    expect(
      (
        await apiFailure(
          client.call('accounts.changePassword', { currentPassword: 'x', newPassword: 'x'.repeat(12) }),
        )
      ).code,
    ).toBe('forbidden');
    await enrol(client);
    expect((await client.call('accounts.me', {})).user.twoFactor).toBe(true);
    // Moving 2FA to a new phone then needs a code from the old one.
    expect((await apiFailure(client.call('accounts.beginTotp', {}))).code).toBe('invalid_input');
    // The owner is not one of serve's accounts.
    expect(await client.call('users.list', {})).toEqual([]);
  });

  it('cannot turn on step-up or the app lock before 2FA is set up', async () => {
    const client = window(test.core);
    const policy = await client.call('accounts.policy', {});
    const error = await apiFailure(
      client.call('accounts.setPolicy', { ...policy, stepUp: { enabled: true, validMinutes: 5 } }),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/two-factor authentication for your own account first/);
  });

  it('confirms a dangerous action with a code; "0 minutes" asks every time', async () => {
    const client = window(test.core);
    const app = await enrol(client);
    const policy = await client.call('accounts.policy', {});
    await client.call('accounts.setPolicy', { ...policy, stepUp: { enabled: true, validMinutes: 0 } });
    expect((await apiFailure(client.call('hosts.remove', { id: 'nope' }))).code).toBe('step_up_required');
    // Commands are dangerous only on more than one host: one host is not held up by step-up.
    expect(
      (await apiFailure(client.call('commands.run', { command: 'true', hosts: ['nope', 'nada'] }))).code,
    ).toBe('step_up_required');
    await client.call('accounts.stepUp', { otp: await app.next() });
    expect((await apiFailure(client.call('hosts.remove', { id: 'nope' }))).code).toBe('not_found');
    // Spent by that call.
    expect((await apiFailure(client.call('hosts.remove', { id: 'nope' }))).code).toBe('step_up_required');
    // Turning 2FA off is refused while step-up depends on it.
    expect((await apiFailure(client.call('accounts.disableTotp', { otp: await app.next() }))).code).toBe(
      'forbidden',
    );
  });

  it('locks the app: everything but unlocking is refused until a code is typed, and a restart opens locked', async () => {
    const client = window(test.core);
    const app = await enrol(client);
    const policy = await client.call('accounts.policy', {});
    await client.call('accounts.setPolicy', { ...policy, appLock: { enabled: true, idleMinutes: 5 } });
    await client.call('accounts.lock', {});
    expect((await client.call('accounts.me', {})).locked).toBe(true);
    const refused = await apiFailure(client.call('hosts.list', {}));
    expect(refused.code).toBe('locked');
    expect((await apiFailure(client.call('accounts.unlock', { otp: '000000' }))).code).toBe('invalid_input');
    await client.call('accounts.unlock', { otp: await app.next() });
    await expect(client.call('hosts.list', {})).resolves.toEqual([]);
    const audit = await client.call('audit.list', { action: 'accounts.' });
    expect(audit.entries.map((e) => `${e.action} ${e.result}`)).toEqual(
      expect.arrayContaining(['accounts.lock ok', 'accounts.unlock ok', 'accounts.unlock refused']),
    );

    // The app starts again on the same data: locked, as after a long absence.
    const dataDir = test.dataDir;
    await test.core.stop();
    const again = await createTestCore({
      dataDir,
      accounts: { now: () => now },
      env: { HYPERION_SECRET_KEY: SECRET_KEY },
    });
    try {
      const reopened = window(again.core);
      expect((await apiFailure(reopened.call('hosts.list', {}))).code).toBe('locked');
      await reopened.call('accounts.unlock', { otp: await app.next() });
      await expect(reopened.call('hosts.list', {})).resolves.toEqual([]);
    } finally {
      await again.core.stop();
      test = { ...test, dispose: async () => again.dispose() };
    }
  });
});
