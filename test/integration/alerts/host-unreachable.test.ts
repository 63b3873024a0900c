// The built-in "host unreachable" rule against a real sshd on loopback: killed, the host raises the
// alert once `for` has passed; started again, the alert resolves, and the incident tells it all.
import type { Api } from '../../../common/api';
import type { AlertsChanged } from '../../../common/schemas/alerts';
import type { ApiClient } from '../../../common/rpc/client';
import {
  connectTestClient,
  createTestCore,
  FAST_CONNECTIONS,
  type TestClient,
  type TestCore,
} from '../../helpers/core';
import { startSshdFleet, type SshdFleet } from '../../helpers/sshd';

let fleet: SshdFleet;
let testCore: TestCore;
let harness: TestClient;
let client: ApiClient<Api>;
const changes: AlertsChanged[] = [];

beforeAll(async () => {
  fleet = await startSshdFleet(1, { namePrefix: 'down', port: 2422 });
  testCore = await createTestCore({ connectionDefaults: FAST_CONNECTIONS, alertTuning: { tickMs: 100 } });
  await testCore.core.start();
  harness = connectTestClient(testCore.core);
  client = harness.client;
  client.subscribe('alerts.changed', {}, { onEvent: (e) => changes.push(e) });
}, 60_000);

afterAll(async () => {
  client?.close();
  await testCore?.dispose();
  await fleet?.stop();
});

describe('host unreachable', () => {
  it('fires when sshd is killed and resolves when it is back', async () => {
    const h = fleet.hosts[0]!;
    const host = await client.call('hosts.add', {
      name: 'web-down',
      address: h.address,
      port: h.port,
      username: fleet.user.name,
      auth: { method: 'key', keyPath: fleet.clientKeys.privateKeyPath },
    });
    const pending = await harness.waitForState(host.id, 'host_key_unknown');
    await client.call('hosts.acceptKey', { id: host.id, fingerprint: pending.hostKey!.fingerprint });
    await harness.waitForState(host.id, 'up');

    // The built-in rule, edited: 2 seconds instead of a minute, so the test takes seconds.
    const rule = (await client.call('alerts.rules.list', {})).find((r) => r.builtin === 'host-unreachable')!;
    const { id, builtin: _b, createdAt: _c, updatedAt: _u, ...body } = rule;
    await client.call('alerts.rules.update', { id, rule: { ...body, forSec: 2 } });

    await h.kill();
    const killedAt = Date.now();
    await harness.waitForState(host.id, 'unreachable', 20_000);
    const firing = await vi.waitFor(
      async () => {
        const { alerts } = await client.call('alerts.active', {});
        const alert = alerts.find((a) => a.ruleId === id && a.host === host.id && a.state === 'firing');
        expect(alert).toBeDefined();
        return alert!;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(firing).toMatchObject({
      severity: 'critical',
      hostName: 'web-down',
      summary: 'web-down cannot be reached over SSH.',
    });
    // Not before `for`: it was pending for at least 2 seconds after the host became unreachable.
    expect(firing.firedAt! - firing.since).toBeGreaterThanOrEqual(2_000);
    expect(firing.firedAt!).toBeGreaterThan(killedAt);
    expect(changes.some((e) => e.alerts.some((a) => a.key === firing.key && a.state === 'pending'))).toBe(
      true,
    );

    await h.restart();
    await harness.waitForState(host.id, 'up', 20_000);
    await vi.waitFor(
      async () => {
        const { alerts } = await client.call('alerts.active', {});
        expect(alerts.find((a) => a.key === firing.key)).toBeUndefined();
      },
      { timeout: 10_000, interval: 100 },
    );
    // The stream says so too (its change goes out right after the state changed).
    await vi.waitFor(() => expect(changes.some((e) => e.removed.includes(firing.key))).toBe(true));
    const incident = await client.call('alerts.incident', { id: firing.incidentId! });
    expect(incident.state).toBe('resolved');
    expect(incident.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['pending', 'firing', 'resolved']),
    );
    const history = await client.call('alerts.history', { host: host.id });
    expect(history.incidents).toHaveLength(1);
  });
});
