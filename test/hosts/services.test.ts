// systemd services on a real systemd host (a systemd-nspawn container with its sshd on loopback),
// through the API: the unit list, start/stop/restart/reload/enable/disable (and --now), details, the
// unit's journal read and followed, an override applied and seen in the journal, "restart its
// service" from the process table, sudo for a login user with sudo, and "needs root or sudo" for one
// without. Each step checks the container's own systemctl, not only what the API says.
import type { api } from '../../common/api';
import type { ApiError } from '../../common/errors';
import type { ApiClient } from '../../common/rpc/client';
import type { HostStatus } from '../../common/schemas/hosts';
import type { JournalFollowEvent } from '../../common/schemas/services';
import { connectTestClient, createTestCore, FAST_CONNECTIONS, type TestCore } from '../helpers/core';
import {
  CONTAINER_USERS,
  ECHO_UNIT,
  installEchoUnit,
  startSystemdFleet,
  systemdHostsProblem,
  type SystemdFleet,
  type SystemdHost,
} from '../helpers/nspawn';

const problem = systemdHostsProblem();
if (problem && process.env.CI) throw new Error(`The systemd host tests cannot run: ${problem}`);

let fleet: SystemdFleet;
let box: SystemdHost;
let testCore: TestCore;
let client: ApiClient<typeof api>;
let statuses: Map<string, HostStatus>;
/** Saved hosts for the same container, logged in as root, as a sudoer, and as a plain user. */
const ids = { root: '', sudoer: '', plain: '' };

async function addHost(name: string, username: string): Promise<string> {
  const host = await client.call('hosts.add', {
    name,
    address: box.address,
    port: box.port,
    username,
    auth: { method: 'key', keyPath: fleet.keyPath },
  });
  await vi.waitFor(() => expect(['host_key_unknown', 'up']).toContain(statuses.get(host.id)?.state), {
    timeout: 15_000,
  });
  const status = statuses.get(host.id)!;
  if (status.state === 'host_key_unknown') {
    await client.call('hosts.acceptKey', { id: host.id, fingerprint: status.hostKey!.fingerprint });
  }
  await vi.waitFor(() => expect(statuses.get(host.id)?.state).toBe('up'), { timeout: 15_000 });
  return host.id;
}

beforeAll(async () => {
  if (problem) return;
  fleet = await startSystemdFleet(1, { prefix: 'svc' });
  box = fleet.hosts[0]!;
  await installEchoUnit(box);
  testCore = await createTestCore({ connectionDefaults: FAST_CONNECTIONS });
  await testCore.core.start();
  const harness = connectTestClient(testCore.core);
  client = harness.client;
  statuses = harness.statuses;
  ids.root = await addHost('box-root', CONTAINER_USERS.root);
  ids.sudoer = await addHost('box-ops', CONTAINER_USERS.sudoer);
  ids.plain = await addHost('box-plain', CONTAINER_USERS.plain);
});

afterAll(async () => {
  client?.close();
  await testCore?.dispose();
  await fleet?.stop();
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

/** What the container's own systemctl says. */
async function inBox(command: string): Promise<string> {
  return (await box.exec(command)).stdout.trim();
}

const unit = { unit: ECHO_UNIT };

describe.skipIf(problem)('systemd services on a real systemd host', () => {
  it('lists the units with description, load, active, sub and enabled state', async () => {
    const list = await client.call('services.list', { host: ids.root });
    if (!list.available) throw new Error(list.reason);
    const echo = list.units.find((u) => u.name === ECHO_UNIT);
    expect(echo).toEqual({
      name: ECHO_UNIT,
      description: 'Hyperion test echo service',
      load: 'loaded',
      active: 'inactive',
      sub: 'dead',
      enabled: 'disabled',
    });
    const ssh = list.units.find((u) => u.name === 'ssh.service');
    expect(ssh).toMatchObject({ active: 'active', sub: 'running', enabled: 'enabled' });
    expect(list.units.length).toBeGreaterThan(10);
  });

  it('lists timers and sockets too, with what a timer starts and when it runs next', async () => {
    const list = await client.call('services.list', { host: ids.root });
    if (!list.available) throw new Error(list.reason);
    const names = new Set(list.units.map((u) => u.name));
    // Every timer and socket the container's own systemctl lists is in the list.
    const own = (await inBox('systemctl list-units --type=timer,socket --all --plain --no-legend'))
      .split('\n')
      .map((line) => line.replace(/^[●*]\s*/, '').split(/\s+/)[0]!)
      .filter(Boolean);
    expect(own.some((n) => n.endsWith('.timer'))).toBe(true);
    expect(own.some((n) => n.endsWith('.socket'))).toBe(true);
    for (const name of own) expect(names).toContain(name);

    const timer = 'systemd-tmpfiles-clean.timer';
    const details = await client.call('services.details', { host: ids.root, unit: timer });
    expect(details.dependencies.triggers).toEqual([await inBox(`systemctl show -P Triggers ${timer}`)]);
    // systemd-tmpfiles-clean.timer runs on the boot clock: show gives no calendar time, list-timers does.
    const [row] = JSON.parse(await inBox(`systemctl list-timers --all -o json ${timer}`)) as {
      next: number;
    }[];
    expect(row!.next).toBeGreaterThan(0);
    expect(details.nextElapseAt).toBe(Math.round(row!.next / 1000));
    expect(details.nextElapseAt!).toBeGreaterThan(Date.now() - 60_000);
    const service = await client.call('services.details', {
      host: ids.root,
      unit: details.dependencies.triggers[0]!,
    });
    expect(service.dependencies.triggeredBy).toContain(timer);
  });

  it('starts, restarts, reloads and stops a unit, and shows its details', async () => {
    const started = await client.call('services.start', { host: ids.root, ...unit });
    expect(started).toMatchObject({ active: 'active', sub: 'running' });
    expect(started.message).toBe(`Started ${ECHO_UNIT} on box-root.`);
    expect(await inBox(`systemctl is-active ${ECHO_UNIT}`)).toBe('active');

    const details = await client.call('services.details', { host: ids.root, ...unit });
    expect(details.mainPid).toBe(Number(await inBox(`systemctl show -P MainPID ${ECHO_UNIT}`)));
    expect(details.fragmentPath).toBe(`/etc/systemd/system/${ECHO_UNIT}`);
    expect(details.canReload).toBe(true);
    expect(details.dependencies.after).toContain('basic.target');
    expect(details.activeSince).toBeGreaterThan(Date.now() - 60_000);
    // Counters as the container's systemd reports them (cgroup v1 here: no task accounting).
    const tasks = await inBox(`systemctl show -P TasksCurrent ${ECHO_UNIT}`);
    expect(details.tasks).toBe(tasks === '[not set]' ? null : Number(tasks));

    await client.call('services.restart', { host: ids.root, ...unit });
    const after = await client.call('services.details', { host: ids.root, ...unit });
    expect(after.mainPid).not.toBe(details.mainPid);

    await client.call('services.reload', { host: ids.root, ...unit });
    await vi.waitFor(
      async () => {
        const page = await client.call('services.journal', { host: ids.root, ...unit, lines: 50 });
        expect(page.entries.map((e) => e.message)).toContain('reloaded hello');
      },
      { timeout: 10_000 },
    );

    const stopped = await client.call('services.stop', { host: ids.root, ...unit });
    expect(stopped).toMatchObject({ active: 'inactive', sub: 'dead' });
    expect(await inBox(`systemctl is-active ${ECHO_UNIT}`)).toBe('inactive');
  });

  it('enables and disables, with and without --now', async () => {
    const enabled = await client.call('services.enable', { host: ids.root, ...unit });
    expect(enabled.enabled).toBe('enabled');
    expect(await inBox(`systemctl is-enabled ${ECHO_UNIT}`)).toBe('enabled');
    expect(await inBox(`systemctl is-active ${ECHO_UNIT}`)).toBe('inactive');
    const disabled = await client.call('services.disable', { host: ids.root, ...unit });
    expect(disabled.enabled).toBe('disabled');

    const now = await client.call('services.enable', { host: ids.root, ...unit, now: true });
    expect(now).toMatchObject({ enabled: 'enabled', active: 'active' });
    expect(await inBox(`systemctl is-active ${ECHO_UNIT}`)).toBe('active');
    const off = await client.call('services.disable', { host: ids.root, ...unit, now: true });
    expect(off).toMatchObject({ enabled: 'disabled', active: 'inactive' });
    expect(await inBox(`systemctl is-enabled ${ECHO_UNIT}; systemctl is-active ${ECHO_UNIT}`)).toBe(
      'disabled\ninactive',
    );
  });

  it('reads the journal by lines, priority and text, and follows it live', async () => {
    await client.call('services.start', { host: ids.root, ...unit });
    await vi.waitFor(
      async () => {
        const page = await client.call('services.journal', { host: ids.root, ...unit, lines: 5 });
        expect(page.entries.filter((e) => e.message === 'greeting hello').length).toBeGreaterThanOrEqual(4);
      },
      { timeout: 10_000 },
    );
    const five = await client.call('services.journal', { host: ids.root, ...unit, lines: 5 });
    expect(five.entries).toHaveLength(5);
    expect(five.partial).toBe(false);
    expect(five.entries.every((e) => e.unit === ECHO_UNIT)).toBe(true);
    expect(five.entries.at(-1)!.ts).toBeGreaterThan(Date.now() - 30_000);

    const errors = await client.call('services.journal', { host: ids.root, ...unit, priority: 3 });
    expect(errors.entries.filter((e) => e.message.startsWith('greeting'))).toEqual([]);

    const search = await client.call('services.journal', { host: ids.root, ...unit, search: 'GREETING HEL' });
    expect(search.entries.length).toBeGreaterThan(0);
    expect(search.entries.every((e) => e.message === 'greeting hello')).toBe(true);

    const events: JournalFollowEvent[] = [];
    const stop = client.subscribe(
      'services.journal.live',
      { host: ids.root, ...unit, lines: 3 },
      { onEvent: (e) => events.push(e) },
    );
    try {
      await vi.waitFor(() => expect(events[0]?.snapshot).toBe(true), { timeout: 10_000 });
      expect(events[0]!.entries).toHaveLength(3);
      const lastSnapshotTs = events[0]!.entries.at(-1)!.ts;
      await vi.waitFor(
        () => {
          const live = events.slice(1).flatMap((e) => e.entries);
          expect(live.filter((e) => e.message === 'greeting hello').length).toBeGreaterThanOrEqual(2);
        },
        { timeout: 10_000 },
      );
      const live = events.slice(1).flatMap((e) => e.entries);
      // No line twice: following starts after the snapshot's last cursor.
      expect(new Set(live.map((e) => e.cursor)).size).toBe(live.length);
      expect(live.every((e) => e.ts >= lastSnapshotTs)).toBe(true);
    } finally {
      stop();
    }
    // Stopping the stream ends journalctl on the host.
    await vi.waitFor(
      async () =>
        expect(await inBox('pgrep -c -f "[j]ournalctl --output=json --no-pager --follow" || true')).toBe('0'),
      {
        timeout: 10_000,
      },
    );
  });

  it('applies an override after a diff against what the person saw, and it takes effect', async () => {
    const before = await client.call('services.files', { host: ids.root, ...unit });
    expect(before.files.map((f) => f.path)).toEqual([`/etc/systemd/system/${ECHO_UNIT}`]);
    expect(before.files[0]!.content).toContain('Environment=GREETING=hello');
    expect(before.override).toBe('');
    expect(before.overridePath).toBe(`/etc/systemd/system/${ECHO_UNIT}.d/override.conf`);

    const invalid = await failure(
      client.call('services.setOverride', {
        host: ids.root,
        ...unit,
        content: '[Service]\nthis is not a setting\n',
        expected: '',
      }),
    );
    expect(invalid.code).toBe('invalid_input');
    expect(JSON.stringify(invalid.details)).toContain('line 2');

    const content = '[Service]\nEnvironment=GREETING=override\n';
    const applied = await client.call('services.setOverride', {
      host: ids.root,
      ...unit,
      content,
      expected: '',
      restart: true,
    });
    expect(applied.active).toBe('active');
    expect(await inBox(`cat /etc/systemd/system/${ECHO_UNIT}.d/override.conf`)).toBe(content.trim());
    await vi.waitFor(
      async () => {
        const page = await client.call('services.journal', { host: ids.root, ...unit, lines: 5 });
        expect(page.entries.at(-1)!.message).toBe('greeting override');
      },
      { timeout: 10_000 },
    );
    const files = await client.call('services.files', { host: ids.root, ...unit });
    expect(files.override).toBe(content);
    expect(files.files.find((f) => f.dropIn)?.path).toBe(files.overridePath);

    // Someone else changed it meanwhile: the diff the person saw is stale.
    const stale = await failure(
      client.call('services.setOverride', { host: ids.root, ...unit, content: '', expected: '' }),
    );
    expect(stale.code).toBe('conflict');
    expect(await inBox(`test -f ${files.overridePath} && echo kept`)).toBe('kept');

    await client.call('services.setOverride', {
      host: ids.root,
      ...unit,
      content: '',
      expected: content,
      restart: true,
    });
    expect(await inBox(`test -f ${files.overridePath} || echo gone`)).toBe('gone');
    await vi.waitFor(
      async () => {
        const page = await client.call('services.journal', { host: ids.root, ...unit, lines: 3 });
        expect(page.entries.at(-1)!.message).toBe('greeting hello');
      },
      { timeout: 10_000 },
    );
  });

  it('restarts the service of a process from the process table', async () => {
    const { processes } = await client.call('processes.list', { host: ids.root });
    const main = Number(await inBox(`systemctl show -P MainPID ${ECHO_UNIT}`));
    const row = processes.find((p) => p.pid === main)!;
    expect(row.unit).toBe(ECHO_UNIT);
    const sshd = processes.find((p) => p.name === 'sshd' && p.ppid === 1);
    expect(sshd?.unit).toBe('ssh.service');
    const result = await client.call('processes.restartService', {
      host: ids.root,
      pid: main,
      expect: { startTicks: row.startTicks },
    });
    expect(result.unit).toBe(ECHO_UNIT);
    expect(Number(await inBox(`systemctl show -P MainPID ${ECHO_UNIT}`))).not.toBe(main);
  });

  it('uses sudo -n for a login user with sudo', async () => {
    const stopped = await client.call('services.stop', { host: ids.sudoer, ...unit });
    expect(stopped.active).toBe('inactive');
    expect(await inBox(`systemctl is-active ${ECHO_UNIT}`)).toBe('inactive');
    await client.call('services.start', { host: ids.sudoer, ...unit });
    expect(await inBox(`systemctl is-active ${ECHO_UNIT}`)).toBe('active');
    // The whole journal is readable through sudo too.
    const page = await client.call('services.journal', { host: ids.sudoer, ...unit, lines: 3 });
    expect(page.partial).toBe(false);
    expect(page.entries).toHaveLength(3);
  });

  it('says "needs root or sudo" to a login user without sudo, and changes nothing', async () => {
    const mainBefore = await inBox(`systemctl show -P MainPID ${ECHO_UNIT}`);
    for (const call of [
      () => client.call('services.stop', { host: ids.plain, ...unit }),
      () => client.call('services.restart', { host: ids.plain, ...unit }),
      () => client.call('services.disable', { host: ids.plain, ...unit, now: true }),
    ]) {
      const err = await failure(call());
      expect(err.code).toBe('forbidden');
      expect(err.message).toMatch(
        new RegExp(`^\\w+ ${ECHO_UNIT.replace('.', '\\.')}.* needs root or sudo on box-plain\\.$`),
      );
      expect(err.message).not.toMatch(/Access denied|sudo:|password/);
    }
    const override = await failure(
      client.call('services.setOverride', {
        host: ids.plain,
        ...unit,
        content: '[Service]\nEnvironment=GREETING=nope\n',
        expected: '',
      }),
    );
    expect(override.message).toBe(`Changing the override of ${ECHO_UNIT} needs root or sudo on box-plain.`);
    expect(await inBox(`systemctl show -P MainPID ${ECHO_UNIT}`)).toBe(mainBefore);
    expect(await inBox(`test -e /etc/systemd/system/${ECHO_UNIT}.d/override.conf || echo none`)).toBe('none');
    // Reading works, but the journal is the user's own only: said, not hidden.
    const list = await client.call('services.list', { host: ids.plain });
    expect(list.available).toBe(true);
    const page = await client.call('services.journal', { host: ids.plain, ...unit, lines: 3 });
    expect(page.partial).toBe(true);
    expect(page.note).toContain('box-plain');

    const audit = await client.call('audit.list', { host: ids.plain, action: 'services.' });
    expect(audit.entries.map((e) => `${e.action}:${e.result}`)).toEqual(
      expect.arrayContaining(['services.stop:refused', 'services.setOverride:refused']),
    );
  });

  it('runs hostile but valid names and text as literal arguments: nothing else runs', async () => {
    const canary = '/tmp/hyperion-canary';
    // Valid by systemd's grammar, option-like: after "--" they are unit names, not options.
    for (const name of ['--help.service', '-.service', '-H.service', '--now.service']) {
      const err = await failure(client.call('services.stop', { host: ids.root, unit: name }));
      expect(err.code, name).toBe('not_found');
      expect(err.message).toBe(`There is no unit ${name} on box-root.`);
    }
    const journalBefore = await inBox(`systemctl is-active ${ECHO_UNIT}`);
    for (const search of [
      `$(touch ${canary})`,
      `\`touch ${canary}\``,
      `'; touch ${canary}; '`,
      `"; touch ${canary}"`,
    ]) {
      const page = await client.call('services.journal', {
        host: ids.root,
        unit: ECHO_UNIT,
        search,
        lines: 5,
      });
      expect(page.entries).toEqual([]);
      const viaSudo = await client.call('services.journal', {
        host: ids.sudoer,
        unit: ECHO_UNIT,
        search,
        lines: 5,
      });
      expect(viaSudo.entries).toEqual([]);
    }
    // An override's text goes through stdin: written as it is, never run.
    const content = `[Service]\n# $(touch ${canary}) \`touch ${canary}\`\nEnvironment=GREETING=hello\n`;
    await client.call('services.setOverride', { host: ids.root, ...unit, content, expected: '' });
    expect(await inBox(`cat /etc/systemd/system/${ECHO_UNIT}.d/override.conf`)).toBe(content.trim());
    await client.call('services.setOverride', { host: ids.root, ...unit, content: '', expected: content });
    expect(await inBox(`test -e ${canary} && echo ran || echo clean`)).toBe('clean');
    expect(await inBox(`systemctl is-active ${ECHO_UNIT}`)).toBe(journalBefore);
  });

  it('refuses a unit that does not exist', async () => {
    const err = await failure(
      client.call('services.start', { host: ids.root, unit: 'no-such-thing.service' }),
    );
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('There is no unit no-such-thing.service on box-root.');
  });
});
