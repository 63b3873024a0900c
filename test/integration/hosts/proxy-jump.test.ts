// Jump hosts end to end through the API, against real sshd hosts on loopback: a saved host reached
// through a saved bastion's one connection (a direct-tcpip channel, as `ssh -J`), the target's own key
// checked before any credential goes to it, the bastion's outage named on the target, chains of jump
// hosts, and loops refused.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { api, LiveEvent } from '../../../common/api';
import type { HostInput, HostStatus } from '../../../common/schemas/hosts';
import type { Sample } from '../../../common/schemas/sample';
import type { ApiClient } from '../../../common/rpc/client';
import { apiFailure, issuePaths } from '../../helpers/api-errors';
import { connectTestClient, createTestCore, FAST_CONNECTIONS, type TestCore } from '../../helpers/core';
import { startSshdFleet, type SshdFleet, type SshdHost } from '../../helpers/sshd';

let fleet: SshdFleet;
let testCore: TestCore;
let client: ApiClient<typeof api>;
let statuses: Map<string, HostStatus>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  // DEBUG1: sshd logs every userauth request and every direct-tcpip channel it opens.
  fleet = await startSshdFleet(5, { namePrefix: 'jump', port: 2522, logLevel: 'DEBUG1' });
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

const server = (i: number): SshdHost => fleet.hosts[i]!;

const keyHost = (h: SshdHost, name: string, proxyJump: string | null = null): HostInput => ({
  name,
  address: h.address,
  port: h.port,
  username: fleet.user.name,
  auth: { method: 'key', keyPath: fleet.clientKeys.privateKeyPath },
  proxyJump,
});

async function waitFor(
  id: string,
  check: (s: HostStatus) => boolean,
  what: string,
  timeout = 15_000,
): Promise<HostStatus> {
  await vi.waitFor(
    () => {
      const s = statuses.get(id);
      if (!s || !check(s)) throw new Error(`${id} is ${s?.state} (${s?.message}), expected ${what}`);
    },
    { timeout, interval: 50 },
  );
  return statuses.get(id)!;
}

const waitForState = (id: string, state: HostStatus['state'], timeout?: number) =>
  waitFor(id, (s) => s.state === state, state, timeout);

async function addAndTrust(input: HostInput): Promise<string> {
  const host = await client.call('hosts.add', input);
  const pending = await waitForState(host.id, 'host_key_unknown');
  await client.call('hosts.acceptKey', { id: host.id, fingerprint: pending.hostKey!.fingerprint });
  await waitForState(host.id, 'up');
  return host.id;
}

async function samplesArrive(id: string, count: number): Promise<Sample[]> {
  const seen: Sample[] = [];
  const stop = client.subscribe(
    'metrics.live',
    { hosts: [id], historySec: 0 },
    { onEvent: (e: LiveEvent) => seen.push(...e.samples.filter((s) => s.hostId === id)) },
  );
  try {
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(count), {
      timeout: 15_000,
      interval: 100,
    });
  } finally {
    stop();
  }
  return seen;
}

/** The direct-tcpip channels a bastion's sshd opened, as `address:port` (OpenSSH logs them at DEBUG1). */
function forwardedTo(bastion: SshdHost): string[] {
  return bastion
    .logLines(/server_request_direct_tcpip: originator/)
    .map((line) => /target (\S+) port (\d+)/.exec(line))
    .flatMap((m) => (m ? [`${m[1]}:${m[2]}`] : []));
}

/**
 * The processes on the client end of the TCP connection that `target`'s sshd logged last: found
 * through /proc by the source port it logged, so it tells a jumped connection from a direct one
 * even though every address here is on loopback.
 */
function clientEndOfLastConnection(target: SshdHost): number[] {
  const lines = target.logLines(/Connection from \S+ port \d+ on /);
  const m = /Connection from (\S+) port (\d+) on /.exec(lines.at(-1) ?? '');
  if (!m) throw new Error(`${target.name} logged no connection`);
  const inodes = tcpSockets()
    .filter(
      (s) =>
        s.local === `${m[1]}:${m[2]}` && s.remote === `${target.address}:${target.port}` && s.state === '01', // ESTABLISHED
    )
    .map((s) => s.inode);
  if (inodes.length === 0) throw new Error(`no open socket from ${m[1]}:${m[2]} to ${target.name}`);
  return processesHolding(new Set(inodes));
}

function tcpSockets(): { local: string; remote: string; state: string; inode: string }[] {
  const ip = (hex: string) => {
    const [addr = '', port = ''] = hex.split(':');
    const bytes = (addr.match(/../g) ?? []).map((b) => parseInt(b, 16)).reverse();
    return `${bytes.join('.')}:${parseInt(port, 16)}`;
  };
  return readFileSync('/proc/net/tcp', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .map((f) => ({ local: ip(f[1]!), remote: ip(f[2]!), state: f[3]!, inode: f[9]! }));
}

function processesHolding(inodes: Set<string>): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Whether `pid` is the sshd of `host` or one of the session processes it forked. */
function belongsTo(pid: number, host: SshdHost): boolean {
  const listener = Number(readFileSync(join(host.dir, 'sshd.pid'), 'utf8').trim());
  for (let p: number | undefined = pid; p && p > 1; p = parentOf(p)) if (p === listener) return true;
  return false;
}

describe('jump hosts (ProxyJump)', () => {
  it('checks the target’s own key through the bastion, sending it no credential until it is accepted', async () => {
    const bastion = server(0);
    const target = server(1);
    ids.bastion = await addAndTrust(keyHost(bastion, 'bastion'));
    const host = await client.call('hosts.add', keyHost(target, 'web-behind', ids.bastion));
    ids.target = host.id;
    expect(host.proxyJump).toBe(ids.bastion);

    const pending = await waitForState(host.id, 'host_key_unknown');
    // The TARGET's key, reached through the bastion, not the bastion's.
    expect(pending.hostKey?.fingerprint).toBe(await target.fingerprint());
    expect(pending.hostKey?.fingerprint).not.toBe(await bastion.fingerprint());
    expect(pending.message).toContain(target.address);
    expect(forwardedTo(bastion)).toContain(`${target.address}:${target.port}`);
    // Give it time: nothing may reach the login stage on the target while its key is not trusted.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(target.logLines(/userauth|Accepted|Failed|Postponed/)).toEqual([]);

    await client.call('hosts.acceptKey', { id: host.id, fingerprint: pending.hostKey!.fingerprint });
    await waitForState(host.id, 'up');
    expect(target.logLines(/Accepted publickey/)).toHaveLength(1);

    const samples = await samplesArrive(host.id, 2);
    expect(samples[0]!.cpu.cores.length).toBeGreaterThan(0);
    // Bytes are counted on the tunnel: the target's cost is its own, measured on its channel.
    const up = await waitFor(host.id, (s) => (s.wireBytesPerSec ?? 0) > 0, 'a wire cost', 15_000);
    expect(up.state).toBe('up');
  });

  it('reaches the target through the bastion’s one connection, never directly and never by a second login', () => {
    const bastion = server(0);
    const target = server(1);
    // One login on the bastion, however many channels it carries.
    expect(bastion.logLines(/Accepted publickey/)).toHaveLength(1);
    expect(bastion.log()).toMatch(/channel \d+: new (direct-tcpip )?\[direct-tcpip\]/);
    // The target's sshd was reached from a socket held by the bastion's sshd, not by this process.
    const clientEnd = clientEndOfLastConnection(target);
    expect(clientEnd.length).toBeGreaterThan(0);
    expect(clientEnd).not.toContain(process.pid);
    for (const pid of clientEnd) expect(belongsTo(pid, bastion), `pid ${pid}`).toBe(true);
    // And this process has no TCP connection of its own to the target.
    const own = processesHolding(
      new Set(
        tcpSockets()
          .filter((s) => s.remote === `${target.address}:${target.port}`)
          .map((s) => s.inode),
      ),
    );
    expect(own).not.toContain(process.pid);
  });

  it('names the jump host when the bastion goes down, and brings both back when it returns', async () => {
    const bastion = server(0);
    await bastion.kill();
    await waitForState(ids.bastion!, 'unreachable', 10_000);
    const down = await waitFor(
      ids.target!,
      (s) => s.state === 'unreachable' && s.message.includes('jump host bastion'),
      'unreachable because of its jump host',
      10_000,
    );
    expect(down.message).toMatch(/because its jump host bastion is down/);
    expect(down.message).toContain('web-behind');
    // It keeps saying so while the bastion stays away.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(statuses.get(ids.target!)?.message).toMatch(/because its jump host bastion is down/);

    await bastion.restart();
    await waitForState(ids.bastion!, 'up', 15_000);
    await waitForState(ids.target!, 'up', 15_000);
    await samplesArrive(ids.target!, 2);
  });

  it('refuses a jump host that would make a loop, on the proxyJump field, and changes nothing', async () => {
    const hosts = await client.call('hosts.list', {});
    const bastion = hosts.find((h) => h.id === ids.bastion)!;
    const input = (proxyJump: string): HostInput => ({
      ...keyHost(server(0), bastion.name, proxyJump),
      address: bastion.address,
    });

    const itself = await apiFailure(client.call('hosts.update', { id: bastion.id, host: input(bastion.id) }));
    expect(itself.code).toBe('invalid_input');
    expect(issuePaths(itself)).toEqual(['proxyJump']);

    const loop = await apiFailure(client.call('hosts.update', { id: bastion.id, host: input(ids.target!) }));
    expect(loop.code).toBe('invalid_input');
    expect(issuePaths(loop)).toEqual(['proxyJump']);
    expect(loop.message).toContain('bastion → web-behind → bastion');

    const missing = await apiFailure(
      client.call('hosts.add', keyHost(server(2), 'nowhere', 'no-such-host-000000')),
    );
    expect(issuePaths(missing)).toEqual(['proxyJump']);

    const removing = await apiFailure(client.call('hosts.remove', { id: bastion.id }));
    expect(removing.code).toBe('conflict');
    expect(removing.message).toContain('web-behind');

    expect(await client.call('hosts.list', {})).toEqual(hosts);
    expect(statuses.get(ids.bastion!)?.state).toBe('up');
    expect(statuses.get(ids.target!)?.state).toBe('up');
  });

  it('follows a chain of two jump hosts, each logged in once, and refuses closing it into a loop', async () => {
    const [hop1, hop2, deep] = [server(2), server(3), server(4)];
    const hop1Id = await addAndTrust(keyHost(hop1, 'hop-1'));
    const hop2Id = await addAndTrust(keyHost(hop2, 'hop-2', hop1Id));
    const deepId = await addAndTrust(keyHost(deep, 'deep', hop2Id));
    await samplesArrive(deepId, 2);

    // Each hop forwards only to the next one (once per login attempt of the host behind it).
    expect(new Set(forwardedTo(hop1))).toEqual(new Set([`${hop2.address}:${hop2.port}`]));
    expect(new Set(forwardedTo(hop2))).toEqual(new Set([`${deep.address}:${deep.port}`]));
    for (const h of [hop1, hop2, deep]) expect(h.logLines(/Accepted publickey/), h.name).toHaveLength(1);
    for (const pid of clientEndOfLastConnection(deep)) expect(belongsTo(pid, hop2)).toBe(true);
    for (const pid of clientEndOfLastConnection(hop2)) expect(belongsTo(pid, hop1)).toBe(true);

    const hop1Host = (await client.call('hosts.list', {})).find((h) => h.id === hop1Id)!;
    const loop = await apiFailure(
      client.call('hosts.update', {
        id: hop1Id,
        host: { ...keyHost(hop1, hop1Host.name, deepId), address: hop1Host.address },
      }),
    );
    expect(loop.code).toBe('invalid_input');
    expect(issuePaths(loop)).toEqual(['proxyJump']);
    expect(loop.message).toContain('hop-1 → deep → hop-2 → hop-1');
  });
});
