// HostConnection against real throwaway sshd hosts on 127.0.0.N: logins, host keys, outages, channels.
import {
  HostConnection,
  type ConnectionState,
  type HostConnectionOptions,
} from '../../../main/core/ssh/connection';
import { collectOutput } from '../../../main/core/ssh/exec-channel';
import {
  createHostKeyCheck,
  hostPortId,
  type KnownKey,
  type KnownKeyStore,
} from '../../../main/core/ssh/host-key-policy';
import { startSshdFleet, type SshdFleet, type SshdHost } from '../../helpers/sshd';

/** Hyperion's own key store, in memory (the SQLite one is someone else's). */
class MemoryKeyStore implements KnownKeyStore {
  private readonly keys = new Map<string, KnownKey[]>();
  get(hostPort: string): KnownKey[] {
    return this.keys.get(hostPort) ?? [];
  }
  add(host: SshdHost, key: KnownKey): void {
    const id = hostPortId(host.address, host.port);
    this.keys.set(id, [...this.get(id), key]);
  }
}

const SHORT_BACKOFF = { initialMs: 100, maxMs: 400 };

let fleet: SshdFleet;
let debugFleet: SshdFleet;
let store: MemoryKeyStore;
const open: HostConnection[] = [];

beforeAll(async () => {
  [fleet, debugFleet] = await Promise.all([
    startSshdFleet(16),
    // DEBUG1 logs every userauth request: proof that no credential was offered before the key was accepted.
    startSshdFleet(1, { logLevel: 'DEBUG1', namePrefix: 'dbg', firstAddress: 60 }),
  ]);
  store = new MemoryKeyStore();
  for (const host of fleet.hosts) store.add(host, host.hostKey());
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.stop()));
});

afterAll(async () => {
  await Promise.all([fleet?.stop(), debugFleet?.stop()]);
});

function connectTo(
  host: SshdHost,
  auth: HostConnectionOptions['auth'],
  extra: Partial<HostConnectionOptions> = {},
): HostConnection {
  const connection = new HostConnection({
    host: host.address,
    port: host.port,
    username: fleet.user.name,
    auth,
    checkHostKey: createHostKeyCheck({ host: host.address, port: host.port, store, knownHosts: [] }),
    connectTimeoutMs: 5_000,
    backoff: SHORT_BACKOFF,
    ...extra,
  });
  open.push(connection);
  connection.start();
  return connection;
}

function waitForState(connection: HostConnection, state: ConnectionState, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (connection.status.state === state) return resolve();
    const timer = setTimeout(() => {
      stop();
      reject(
        new Error(`${connection.label} stayed ${connection.status.state} (${connection.status.message})`),
      );
    }, timeoutMs);
    const stop = connection.onStatus((status) => {
      if (status.state !== state) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const host = (index: number): SshdHost => {
  const h = fleet.hosts[index];
  if (!h) throw new Error(`no host ${index}`);
  return h;
};

describe('HostConnection against real sshd', () => {
  it('starts the fleet fast', () => {
    expect(fleet.hosts).toHaveLength(16);
    expect(fleet.startMs).toBeLessThan(5_000);
    console.info(`16 sshd hosts started in ${fleet.startMs.toFixed(0)} ms`);
  });

  it('brings 10 hosts up at once with a key, one login each, commands as channels on it', async () => {
    const hosts = fleet.hosts.slice(0, 10);
    const began = performance.now();
    const connections = hosts.map((h) => connectTo(h, { privateKey: fleet.clientKeys.privateKey }));
    await Promise.all(connections.map((c) => waitForState(c, 'up')));
    const upMs = performance.now() - began;
    expect(upMs).toBeLessThan(5_000);

    for (const connection of connections) {
      for (let round = 0; round < 2; round++) {
        const result = await connection.exec('echo hello; echo oops >&2; exit 3');
        if (!result.ok) throw new Error(result.error.message);
        const output = await collectOutput(result.value);
        expect(output).toMatchObject({ stdout: 'hello\n', stderr: 'oops\n', code: 3, signal: null });
      }
    }
    for (const h of hosts) expect(h.logLines(/Accepted publickey for hyperion-test/)).toHaveLength(1);

    const first = connections[0] as HostConnection;
    const rtt = await first.measureRtt();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(1_000);
    expect(first.rttMs).toBeDefined();
    const traffic = first.traffic;
    expect(traffic.bytesSent).toBeGreaterThan(1_000);
    expect(traffic.bytesReceived).toBeGreaterThan(1_000);
    expect(first.algorithms?.cs.compress).toBe('zlib@openssh.com');
    expect(first.lastHostKey?.verdict).toBe('trusted');
    console.info(`10 hosts up in ${upMs.toFixed(0)} ms; rtt ${rtt} ms; traffic ${JSON.stringify(traffic)}`);
  });

  it('logs in with a passphrase-protected key', async () => {
    const connection = connectTo(host(10), {
      privateKey: fleet.clientKeys.encryptedKey,
      passphrase: fleet.clientKeys.passphrase,
    });
    await waitForState(connection, 'up');
    expect(host(10).logLines(/Accepted publickey/)).toHaveLength(1);
  });

  it('says so when the passphrase is wrong, without connecting', async () => {
    const connection = connectTo(host(10), { privateKey: fleet.clientKeys.encryptedKey, passphrase: 'nope' });
    await waitForState(connection, 'auth_failed');
    expect(connection.status.error?.code).toBe('key_unreadable');
    expect(connection.status.message).toMatch(/passphrase/);
  });

  it('logs in with a password', async () => {
    const connection = connectTo(host(11), { password: fleet.user.password });
    await waitForState(connection, 'up');
    expect(host(11).logLines(/Accepted password for hyperion-test/)).toHaveLength(1);
  });

  it('stops at auth_failed on a wrong password, without a retry storm, until reconnectNow', async () => {
    const h = host(12);
    const connection = connectTo(h, { password: 'wrong password' });
    await waitForState(connection, 'auth_failed');
    expect(connection.status.error?.code).toBe('auth_failed');
    expect(connection.status.nextRetryAt).toBeUndefined();
    // Ten backoff periods go by: still one attempt.
    await sleep(1_000);
    expect(connection.status.state).toBe('auth_failed');
    expect(h.logLines(/Failed password/)).toHaveLength(1);
    expect(connection.outages).toHaveLength(1);

    connection.reconnectNow({ auth: { password: fleet.user.password } });
    await waitForState(connection, 'up');
    expect(h.logLines(/Failed password/)).toHaveLength(1);
    expect(h.logLines(/Accepted password/)).toHaveLength(1);
    expect(connection.outages[0]?.end).toBeGreaterThanOrEqual(connection.outages[0]?.start ?? Infinity);
  });

  it('waits at host_key_unknown without sending a credential, then connects once the key is accepted', async () => {
    const h = debugFleet.hosts[0] as SshdHost;
    const ownStore = new MemoryKeyStore();
    const connection = new HostConnection({
      host: h.address,
      port: h.port,
      username: debugFleet.user.name,
      auth: { privateKey: debugFleet.clientKeys.privateKey, password: debugFleet.user.password },
      checkHostKey: createHostKeyCheck({ host: h.address, port: h.port, store: ownStore, knownHosts: [] }),
      backoff: SHORT_BACKOFF,
    });
    open.push(connection);
    connection.start();
    await waitForState(connection, 'host_key_unknown');
    const fingerprint = await h.fingerprint();
    expect(connection.lastHostKey?.presented.fingerprint).toBe(fingerprint);
    expect(connection.status.hostKey?.presented.fingerprint).toBe(fingerprint);
    expect(connection.status.message).toContain(fingerprint);
    expect(connection.status.nextRetryAt).toBeUndefined();

    await sleep(300);
    expect(h.logLines(/Connection from 127\.0\.0\.1/).length).toBeGreaterThanOrEqual(1);
    expect(h.logLines(/userauth-request|Accepted|Failed|Postponed/)).toEqual([]);

    const presented = connection.lastHostKey?.presented;
    if (!presented) throw new Error('no presented key');
    ownStore.add(h, { type: presented.type, keyBase64: presented.keyBase64 });
    connection.reconnectNow();
    await waitForState(connection, 'up');
    expect(h.logLines(/userauth-request/).length).toBeGreaterThanOrEqual(1);
    expect(h.logLines(/Accepted publickey/)).toHaveLength(1);
  });

  it('refuses a changed host key with both fingerprints, and does not retry', async () => {
    const h = host(13);
    const oldFingerprint = await h.fingerprint();
    const connection = connectTo(h, { privateKey: fleet.clientKeys.privateKey });
    await waitForState(connection, 'up');

    await h.kill();
    await h.regenerateHostKey();
    const newFingerprint = await h.fingerprint();
    expect(newFingerprint).not.toBe(oldFingerprint);
    await h.restart();

    await waitForState(connection, 'host_key_mismatch');
    expect(connection.status.error?.code).toBe('host_key_mismatch');
    expect(connection.status.message).toContain(oldFingerprint);
    expect(connection.status.message).toContain(newFingerprint);
    expect(connection.status.nextRetryAt).toBeUndefined();
    const accepted = h.logLines(/Accepted/).length;
    await sleep(600);
    expect(connection.status.state).toBe('host_key_mismatch');
    expect(h.logLines(/Accepted/)).toHaveLength(accepted);
  });

  it('goes unreachable when sshd dies mid-session, retries with backoff, and records the outage', async () => {
    const h = host(14);
    const connection = connectTo(h, { privateKey: fleet.clientKeys.privateKey });
    await waitForState(connection, 'up');
    const running = await connection.exec('sleep 30');
    if (!running.ok) throw new Error(running.error.message);

    const states: ConnectionState[] = [];
    connection.onStatus((s) => states.push(s.state));
    const killedAt = Date.now();
    await h.kill();
    await waitForState(connection, 'unreachable');
    const exit = await running.value.exit;
    expect(exit.code).toBeNull();
    expect(connection.status.error?.code).toBe('connection_lost');
    expect(connection.status.nextRetryAt).toBeGreaterThanOrEqual(Date.now() - 50);
    await expect(connection.exec('true')).resolves.toMatchObject({
      ok: false,
      error: { code: 'not_connected' },
    });

    await sleep(800);
    expect(connection.status.state).not.toBe('up');
    await h.restart();
    await waitForState(connection, 'up', 3_000);
    const restartedAt = Date.now();

    expect(states.filter((s) => s === 'connecting').length).toBeGreaterThanOrEqual(2);
    const refusals = states.filter((s) => s === 'unreachable').length;
    expect(refusals).toBeGreaterThanOrEqual(2);
    expect(refusals).toBeLessThan(30);
    const [outage] = connection.outages;
    expect(connection.outages).toHaveLength(1);
    expect(outage?.start).toBeGreaterThanOrEqual(killedAt - 5);
    expect(outage?.end).toBeLessThanOrEqual(restartedAt);
    expect((outage?.end ?? 0) - (outage?.start ?? 0)).toBeGreaterThanOrEqual(800);
    expect(h.logLines(/Accepted publickey/)).toHaveLength(2);
  });

  it('notices a host that hangs (keepalives unanswered), times out logins to it, and recovers', async () => {
    const h = host(15);
    const connection = connectTo(
      h,
      { privateKey: fleet.clientKeys.privateKey },
      { keepaliveIntervalMs: 150, keepaliveCountMax: 2, connectTimeoutMs: 400 },
    );
    await waitForState(connection, 'up');
    const codes: string[] = [];
    connection.onStatus((s) => {
      if (s.error) codes.push(`${s.error.code}: ${s.message}`);
    });
    h.freeze();
    try {
      await waitForState(connection, 'unreachable', 3_000);
      expect(connection.status.message).toMatch(/stopped answering \(2 keepalives without a reply\)/);
      // The frozen sshd's kernel still accepts TCP, but no SSH banner comes: the login timer ends it.
      await waitForState(connection, 'connecting', 3_000);
      await waitForState(connection, 'unreachable', 3_000);
      expect(connection.status.message).toMatch(/did not complete the SSH login within/);
    } finally {
      h.thaw();
    }
    await waitForState(connection, 'up', 5_000);
    expect(codes.every((c) => c.startsWith('timeout'))).toBe(true);
    expect(connection.outages).toHaveLength(1);
    expect(connection.outages[0]?.end).toBeDefined();
  });
});
