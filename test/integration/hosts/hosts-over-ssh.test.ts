// Saved hosts end to end through the API contract, against real sshd hosts on loopback: key
// verification before any credential, logins, samples of every metric group, outages as gaps,
// and bad input refused with nothing changed.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { api, LiveEvent } from '../../../common/api';
import type { ApiError } from '../../../common/errors';
import type { HostStatus } from '../../../common/schemas/hosts';
import type { Sample } from '../../../common/schemas/sample';
import type { ApiClient } from '../../../common/rpc/client';
import { connectTestClient, createTestCore, FAST_CONNECTIONS, type TestCore } from '../../helpers/core';
import { startSshdFleet, type SshdFleet, type SshdHost } from '../../helpers/sshd';

let fleet: SshdFleet;
let testCore: TestCore;
let client: ApiClient<typeof api>;
let statuses: Map<string, HostStatus>;
const samples = new Map<string, Sample[]>();

beforeAll(async () => {
  fleet = await startSshdFleet(12, { namePrefix: 'svc', port: 2322 });
  testCore = await createTestCore({
    connectionDefaults: FAST_CONNECTIONS,
  });
  await testCore.core.start();
  const harness = connectTestClient(testCore.core);
  client = harness.client;
  statuses = harness.statuses;
}, 60_000);

afterAll(async () => {
  client?.close();
  await testCore?.dispose();
  await fleet?.stop();
});

function watchSamples(id: string): () => void {
  samples.set(id, []);
  return client.subscribe(
    'metrics.live',
    { hosts: [id], historySec: 0 },
    {
      onEvent: (e: LiveEvent) => samples.get(id)!.push(...e.samples),
    },
  );
}

async function waitForState(id: string, state: HostStatus['state'], timeout = 15_000): Promise<HostStatus> {
  await vi.waitFor(() => expect(statuses.get(id)?.state).toBe(state), { timeout, interval: 50 });
  return statuses.get(id)!;
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

const keyHost = (h: SshdHost, name: string) => ({
  name,
  address: h.address,
  port: h.port,
  username: fleet.user.name,
  auth: { method: 'key' as const, keyPath: fleet.clientKeys.privateKeyPath },
});

async function addAndTrust(h: SshdHost, name: string): Promise<string> {
  const host = await client.call('hosts.add', keyHost(h, name));
  const pending = await waitForState(host.id, 'host_key_unknown');
  await client.call('hosts.acceptKey', { id: host.id, fingerprint: pending.hostKey!.fingerprint });
  await waitForState(host.id, 'up');
  return host.id;
}

describe('saved hosts over SSH', () => {
  it('shows an unknown key first and sends no credential until it is accepted', async () => {
    const h = fleet.hosts[0]!;
    const host = await client.call('hosts.add', keyHost(h, 'web-1'));
    const pending = await waitForState(host.id, 'host_key_unknown');
    expect(pending.hostKey?.fingerprint).toBe(await h.fingerprint());
    expect(pending.message).toContain(h.address);
    // Give it time: nothing may reach the login stage while the key is not trusted.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(h.logLines(/Accepted|Failed|Postponed|authentication/i)).toEqual([]);

    const wrong = await failure(
      client.call('hosts.acceptKey', { id: host.id, fingerprint: `SHA256:${'A'.repeat(43)}` }),
    );
    expect(wrong.code).toBe('conflict');
    await client.call('hosts.acceptKey', { id: host.id, fingerprint: pending.hostKey!.fingerprint });
    await waitForState(host.id, 'up');
    expect(h.logLines(/Accepted publickey/)).toHaveLength(1);
  });

  it('samples every metric group of a remote host, with the same shape as the local one', async () => {
    const id = (await client.call('hosts.list', {})).find((h) => h.name === 'web-1')!.id;
    const stop = watchSamples(id);
    await vi.waitFor(() => expect(samples.get(id)!.length).toBeGreaterThanOrEqual(3), {
      timeout: 10_000,
      interval: 100,
    });
    stop();
    const sample = samples.get(id)!.at(-1)!;
    // The loopback host is this machine: its figures must agree with the local reading.
    expect(sample.cpu.cores).toHaveLength(cpus().length);
    expect(sample.host.hostname).toBe(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
    // Its clock is this machine's clock (same kernel): the zone matches, the offset is under 2 s.
    expect(sample.host.clock?.utcOffsetMin).toBe(0 - new Date().getTimezoneOffset() || 0);
    expect(Math.abs(sample.host.clock!.offsetMs)).toBeLessThan(2_000);
    expect(sample.memory.totalBytes).toBe(testCore.core.hub.latest('local')!.memory.totalBytes);
    expect(sample.network.interfaces.map((i) => i.name)).toContain('lo');
    expect(sample.disks.filesystems.map((f) => f.mount)).toContain('/');
    expect(sample.intervalMs).toBeGreaterThan(500);
    expect(sample.intervalMs).toBeLessThan(2_000);
    // The fleet is watching: the host is sampled at the fast rate, and its cost is measured.
    await vi.waitFor(
      () => {
        const s = statuses.get(id)!;
        expect(s.wireBytesPerSec).toBeGreaterThan(0);
        expect(s.samplerCpuPercent).not.toBeNull();
      },
      { timeout: 15_000, interval: 200 },
    );
  });

  it('logs in with a password kept in the secret store, never in the database', async () => {
    const h = fleet.hosts[1]!;
    const host = await client.call('hosts.add', {
      name: 'db-1',
      address: h.address,
      port: h.port,
      username: fleet.user.name,
      auth: { method: 'password', secret: fleet.user.password },
    });
    expect(host.auth).toEqual({ method: 'password', keyPath: null, hasSecret: true });
    const pending = await waitForState(host.id, 'host_key_unknown');
    await client.call('hosts.acceptKey', { id: host.id, fingerprint: pending.hostKey!.fingerprint });
    await waitForState(host.id, 'up');
    testCore.core.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of ['hyperion.db', 'hyperion.db-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(testCore.dataDir, file));
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(fleet.user.password))).toBe(false);
    }
  });

  it('stops at "login failed" on a wrong password without retrying', async () => {
    const h = fleet.hosts[2]!;
    const host = await client.call('hosts.add', {
      name: 'bad-password',
      address: h.address,
      port: h.port,
      username: fleet.user.name,
      auth: { method: 'password', secret: 'not the password' },
    });
    const pending = await waitForState(host.id, 'host_key_unknown');
    await client.call('hosts.acceptKey', { id: host.id, fingerprint: pending.hostKey!.fingerprint });
    const failed = await waitForState(host.id, 'auth_failed');
    expect(failed.message).toMatch(/password|log ?in|authenticat/i);
    const attempts = h.logLines(/Failed password/).length;
    await new Promise((r) => setTimeout(r, 2_000));
    expect(h.logLines(/Failed password/).length).toBe(attempts);
  });

  it('refuses bad input with a message on the field, and changes nothing', async () => {
    const before = await client.call('hosts.list', {});
    const h = fleet.hosts[3]!;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...keyHost(h, 'x'), address: '' }, 'address'],
      [{ ...keyHost(h, 'x'), address: '-oProxyCommand=touch /tmp/pwned' }, 'address'],
      [{ ...keyHost(h, 'x'), port: 0 }, 'port'],
      [{ ...keyHost(h, 'x'), port: 70000 }, 'port'],
      [{ ...keyHost(h, 'x'), username: 'root; rm -rf /' }, 'username'],
      [{ ...keyHost(h, 'x'), auth: { method: 'key', keyPath: '/nonexistent/id_ed25519' } }, 'auth.keyPath'],
      [
        { ...keyHost(h, 'x'), auth: { method: 'key', keyPath: fleet.clientKeys.encryptedKeyPath } },
        'auth.secret',
      ],
      [
        {
          ...keyHost(h, 'x'),
          auth: { method: 'key', keyPath: fleet.clientKeys.encryptedKeyPath, secret: 'wrong' },
        },
        'auth.secret',
      ],
      [{ ...keyHost(h, 'web-1') }, 'name'],
    ];
    for (const [input, field] of cases) {
      const error = await failure(client.call('hosts.add', input as never));
      expect(error.code, JSON.stringify(input)).toBe('invalid_input');
      const paths = (error.details as { issues: { path: string }[] }).issues.map((i) => i.path);
      expect(paths, JSON.stringify(input)).toContain(field);
    }
    expect(await client.call('hosts.list', {})).toEqual(before);
  });

  it('logs in with a passphrase-protected key', async () => {
    const h = fleet.hosts[3]!;
    const host = await client.call('hosts.add', {
      ...keyHost(h, 'passphrase-host'),
      auth: {
        method: 'key',
        keyPath: fleet.clientKeys.encryptedKeyPath,
        secret: fleet.clientKeys.passphrase,
      },
    });
    const pending = await waitForState(host.id, 'host_key_unknown');
    await client.call('hosts.acceptKey', { id: host.id, fingerprint: pending.hostKey!.fingerprint });
    await waitForState(host.id, 'up');
  });

  it('refuses a changed host key, naming both fingerprints, until it is replaced deliberately', async () => {
    const h = fleet.hosts[4]!;
    const id = await addAndTrust(h, 'rebuilt');
    const oldFingerprint = await h.fingerprint();
    await h.regenerateHostKey();
    await h.kill();
    await h.restart();
    const mismatch = await waitForState(id, 'host_key_mismatch', 20_000);
    const newFingerprint = await h.fingerprint();
    expect(mismatch.hostKey?.fingerprint).toBe(newFingerprint);
    expect(mismatch.hostKey?.expectedFingerprints).toContain(oldFingerprint);
    expect(mismatch.message).toMatch(/changed|differ|does not match/i);
    await client.call('hosts.acceptKey', { id, fingerprint: newFingerprint });
    await waitForState(id, 'up');
  });

  it('records an sshd killed mid-stream as an outage and a gap, and reconnects when it returns', async () => {
    const h = fleet.hosts[5]!;
    const id = await addAndTrust(h, 'flaky');
    const stop = watchSamples(id);
    await vi.waitFor(() => expect(samples.get(id)!.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    await h.kill();
    await waitForState(id, 'unreachable', 10_000);
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 2_000));
    await h.restart();
    await waitForState(id, 'up', 15_000);
    const upAt = Date.now();
    const countAtUp = samples.get(id)!.length;
    await vi.waitFor(() => expect(samples.get(id)!.length).toBeGreaterThan(countAtUp + 1), {
      timeout: 10_000,
    });
    stop();
    const times = samples.get(id)!.map((s) => s.ts);
    // No sample was invented for the time the host was down.
    expect(times.filter((t) => t > downAt && t < upAt)).toEqual([]);
    const outages = testCore.core.hosts.outages(id);
    expect(outages.length).toBeGreaterThanOrEqual(1);
    expect(outages.at(-1)!.end).toBeDefined();
  });

  it('watches ten hosts at once', async () => {
    const ids = await Promise.all(fleet.hosts.slice(6, 12).map((h, i) => addAndTrust(h, `batch-${i}`)));
    const all = await client.call('hosts.list', {});
    const up = all.filter((h) => statuses.get(h.id)?.state === 'up');
    expect(up.length).toBeGreaterThanOrEqual(10);
    for (const id of ids) expect(statuses.get(id)?.state).toBe('up');
  });

  it('forgets a removed host and its secret', async () => {
    const db1 = (await client.call('hosts.list', {})).find((h) => h.name === 'db-1')!;
    await client.call('hosts.remove', { id: db1.id });
    expect((await client.call('hosts.list', {})).map((h) => h.name)).not.toContain('db-1');
    expect(await testCore.core.secrets.get(`host:${db1.id}:password` as never)).toBeUndefined();
  });
});
