// Every mutating call and every refusal of access lands in the audit log, through the real RPC server.
import { api } from '../../../../../common/api';
import type { Role } from '../../../../../common/contract';
import { connect } from '../../../../../common/rpc/client';
import { createMemoryTransportPair } from '../../../../../common/rpc/memory-transport';
import { serveConnection } from '../../../../../common/rpc/server';
import { createTestCore, type TestCore } from '../../../../helpers/core';

let t: TestCore;
beforeEach(async () => {
  t = await createTestCore();
});
afterEach(() => t.dispose());

function clientAs(role: Role, id = `${role}-user`) {
  const [a, b] = createMemoryTransportPair();
  serveConnection(
    api,
    t.core.handlers,
    b,
    { id, role, via: 'websocket', address: '192.0.2.7' },
    t.core.serveOptions,
  );
  return connect(api, a);
}

describe('audit of API calls', () => {
  it('records a mutating call with its actor, address, target and redacted arguments', async () => {
    const admin = clientAs('admin', 'alice');
    await admin.call('hosts.add', {
      name: 'web-1',
      address: '127.0.0.9',
      port: 22,
      username: 'root',
      auth: { method: 'password', secret: 'sup3r-secret-pw' },
      tags: [],
    });
    const [entry] = t.core.audit.list({}).entries;
    expect(entry).toMatchObject({
      actor: 'alice',
      via: 'websocket',
      address: '192.0.2.7',
      action: 'hosts.add',
      target: 'web-1',
      result: 'ok',
      error: null,
    });
    expect(JSON.stringify(entry)).not.toContain('sup3r-secret-pw');
    expect((entry!.args.auth as { secret: string }).secret).toBe('[redacted]');
  });

  it('records a refusal by role, even of a method that changes nothing', async () => {
    const viewer = clientAs('viewer', 'victor');
    await expect(viewer.call('hosts.sshConfigCandidates', {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(viewer.call('storage.compact', {})).rejects.toMatchObject({ code: 'forbidden' });
    const entries = t.core.audit.list({}).entries;
    expect(entries.map((e) => [e.action, e.actor, e.result])).toEqual([
      ['storage.compact', 'victor', 'refused'],
      ['hosts.sshConfigCandidates', 'victor', 'refused'],
    ]);
    expect(entries[0]!.error).toMatch(/may not use storage.compact; it needs admin/);
  });

  it('records input refused as invalid, with the reason, and leaves read-only calls out', async () => {
    const admin = clientAs('admin');
    await admin.call('hosts.list', {});
    await admin.call('audit.verify', {});
    await expect(admin.call('hosts.reconnect', { id: 'x; rm -rf /' } as never)).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const entries = t.core.audit.list({}).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'hosts.reconnect', result: 'refused', host: 'x; rm -rf /' });
    expect(entries[0]!.error).toMatch(/^The input of hosts.reconnect is not valid\. id:/);
  });

  it('records a call that failed inside as failed', async () => {
    const admin = clientAs('admin');
    await expect(admin.call('hosts.remove', { id: 'no-such-host' })).rejects.toBeTruthy();
    expect(t.core.audit.list({}).entries[0]).toMatchObject({
      action: 'hosts.remove',
      host: 'no-such-host',
      result: 'failed',
    });
  });

  it('serves the log, its export and its verification over the contract', async () => {
    const admin = clientAs('admin');
    await admin.call('settings.setMonitoring', { fastIntervalMs: 1000, backgroundIntervalMs: 5000 });
    const seen: number[] = [];
    admin.subscribe('audit.appended', {}, { onEvent: (e) => seen.push(...e.entries.map((x) => x.seq)) });
    await vi.waitFor(() => expect(seen).toEqual([]));
    await admin.call('settings.setMonitoring', { fastIntervalMs: 2000, backgroundIntervalMs: 5000 });
    await vi.waitFor(() => expect(seen).toEqual([2]));
    const page = await admin.call('audit.list', { action: 'settings.' });
    expect(page.entries.map((e) => e.seq)).toEqual([2, 1]);
    const csv = await admin.call('audit.export', { format: 'csv' });
    expect(csv.rows).toBe(2);
    expect(csv.body.split('\r\n')[0]).toMatch(/^seq,time_iso,time_ms,actor/);
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, checked: 2 });
  });
});
