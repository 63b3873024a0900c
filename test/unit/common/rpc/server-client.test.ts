// serveConnection + connect over linked memory transports: a tiny test contract for the edge
// cases, then the real API contract with the real core.
import { z } from 'zod';
import { api } from '../../../../common/api';
import { defineContract, type Caller, type Role } from '../../../../common/contract';
import { ApiError } from '../../../../common/errors';
import { connect, type ConnectOptions } from '../../../../common/rpc/client';
import { createMemoryTransportPair } from '../../../../common/rpc/memory-transport';
import { serveConnection, type Handlers, type ServeOptions } from '../../../../common/rpc/server';
import type { Core } from '../../../../main/core/core';
import { createTestCore, type TestCore } from '../../../helpers/core';
import { apiFailure, issuePaths } from '../../../helpers/api-errors';

const contract = defineContract({
  methods: {
    'math.add': {
      input: z.object({ a: z.number(), pair: z.object({ b: z.number() }) }).strict(),
      output: z.object({ sum: z.number() }),
      role: 'viewer',
      summary: 'Adds two numbers.',
    },
    'fail.plain': { input: z.object({}), output: z.null(), role: 'viewer', summary: 'Throws an Error.' },
    'fail.output': {
      input: z.object({}),
      output: z.object({ n: z.number() }),
      role: 'viewer',
      summary: 'Answers outside its schema.',
    },
    'admin.reset': { input: z.object({}), output: z.null(), role: 'admin', summary: 'Admins only.' },
    'never.answers': { input: z.object({}), output: z.null(), role: 'viewer', summary: 'Hangs.' },
  },
  streams: {
    counter: {
      params: z.object({ start: z.number().int().min(0) }),
      event: z.object({ n: z.number() }),
      role: 'viewer',
      summary: 'Numbers pushed by the test.',
    },
  },
});
type TestContract = typeof contract;

/** Handlers whose stream the test drives by hand, with a spy on each stream's stop. */
function makeHandlers() {
  const feeds = new Set<(n: number) => void>();
  const stop = vi.fn();
  const handlers: Handlers<TestContract> = {
    methods: {
      'math.add': ({ a, pair }) => ({ sum: a + pair.b }),
      'fail.plain': () => {
        throw new Error('disk /dev/sda1 exploded at /secret/path');
      },
      'fail.output': () => ({ n: 'not a number' }) as unknown as { n: number },
      'admin.reset': () => null,
      'never.answers': () => new Promise<null>(() => {}),
    },
    streams: {
      counter: ({ start }, emit) => {
        const feed = (n: number): void => emit({ n: start + n });
        feeds.add(feed);
        return () => {
          feeds.delete(feed);
          stop();
        };
      },
    },
  };
  const push = (n: number): void => feeds.forEach((feed) => feed(n));
  return { handlers, feeds, stop, push };
}

const withCode = (code: string): unknown => expect.objectContaining({ code });

function setup(role: Role = 'admin', options: ServeOptions = {}, connectOptions?: ConnectOptions) {
  const [clientEnd, serverEnd] = createMemoryTransportPair();
  const caller: Caller = { id: 'tester', role, via: 'memory' };
  const parts = makeHandlers();
  serveConnection(contract, parts.handlers, serverEnd, caller, options);
  const client = connect(contract, clientEnd, connectOptions);
  return { ...parts, client, clientEnd, serverEnd, caller };
}

describe('RPC over memory transports, test contract', () => {
  it('resolves a valid call with the typed output', async () => {
    const { client } = setup();
    const result = await client.call('math.add', { a: 2, pair: { b: 40 } });
    expect(result.sum).toBe(42);
  });

  it('answers malformed input with invalid_input pointing at the field', async () => {
    const { client } = setup();
    const error = await apiFailure(
      client.call('math.add', { a: 1, pair: { b: 'two' as unknown as number } }),
    );
    expect(error.code).toBe('invalid_input');
    expect(issuePaths(error)).toEqual(['pair.b']);
  });

  it('answers an unknown method with unknown_method, including inherited property names', async () => {
    const { client } = setup();
    for (const method of ['math.subtract', 'toString', '__proto__']) {
      const error = await apiFailure(client.call(method as 'math.add', { a: 1, pair: { b: 1 } }));
      expect(error.code).toBe('unknown_method');
    }
  });

  it('turns a thrown Error into internal without leaking its text, and keeps serving', async () => {
    const onInternalError = vi.fn();
    const onRefused = vi.fn();
    const { client } = setup('admin', { onInternalError, onRefused });
    const error = await apiFailure(client.call('fail.plain', {}));
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('exploded');
    expect(error.message).not.toContain('/secret/path');
    expect(error.details).toEqual({ cause: 'disk /dev/sda1 exploded at /secret/path' });
    expect(onInternalError).toHaveBeenCalledWith('fail.plain', expect.any(Error));
    expect(onRefused).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'tester' }),
      'fail.plain',
      withCode('internal'),
    );
    await expect(client.call('math.add', { a: 1, pair: { b: 1 } })).resolves.toEqual({ sum: 2 });
  });

  it('reports an output that breaks its schema as internal', async () => {
    const onInternalError = vi.fn();
    const { client } = setup('admin', { onInternalError });
    const error = await apiFailure(client.call('fail.output', {}));
    expect(error.code).toBe('internal');
    expect(onInternalError).toHaveBeenCalledWith('fail.output', expect.any(z.ZodError));
  });

  it('answers a message that is not an envelope with rejected, and keeps serving', async () => {
    const { client, clientEnd } = setup();
    const replies: unknown[] = [];
    clientEnd.onMessage((m) => replies.push(m));
    clientEnd.send({ hello: 'world' });
    clientEnd.send({ t: 'call', id: -1, method: 'math.add', input: {} });
    clientEnd.send('just a string');
    await vi.waitFor(() => expect(replies).toHaveLength(3));
    for (const reply of replies) {
      expect(reply).toMatchObject({ t: 'rejected', error: { code: 'invalid_message' } });
    }
    await expect(client.call('math.add', { a: 3, pair: { b: 4 } })).resolves.toEqual({ sum: 7 });
  });

  it('refuses a viewer calling an admin method with forbidden, and tells onRefused', async () => {
    const onRefused = vi.fn();
    const { client, caller } = setup('viewer', { onRefused });
    const error = await apiFailure(client.call('admin.reset', {}));
    expect(error.code).toBe('forbidden');
    expect(error.details).toEqual({ need: 'admin' });
    expect(onRefused).toHaveBeenCalledTimes(1);
    expect(onRefused).toHaveBeenCalledWith(caller, 'admin.reset', withCode('forbidden'));
    await expect(client.call('math.add', { a: 1, pair: { b: 2 } })).resolves.toEqual({ sum: 3 });
  });

  it('lets an admin call the admin method', async () => {
    const { client } = setup('admin');
    await expect(client.call('admin.reset', {})).resolves.toBeNull();
  });

  it('delivers stream events until unsubscribe, then stops the server-side stream', async () => {
    const { client, feeds, push, stop } = setup();
    const events: { n: number }[] = [];
    const unsubscribe = client.subscribe('counter', { start: 100 }, { onEvent: (e) => events.push(e) });
    await vi.waitFor(() => expect(feeds.size).toBe(1));
    push(1);
    push(2);
    await vi.waitFor(() => expect(events).toEqual([{ n: 101 }, { n: 102 }]));
    unsubscribe();
    push(3); // still in flight before the unsub arrives: must not reach the callback
    await vi.waitFor(() => expect(stop).toHaveBeenCalledTimes(1));
    expect(feeds.size).toBe(0);
    expect(events).toEqual([{ n: 101 }, { n: 102 }]);
  });

  it('ends a stream with bad params or an unknown name through onError', async () => {
    const { client, feeds } = setup();
    const bad = await new Promise<ApiError>((resolve) =>
      client.subscribe('counter', { start: -1 }, { onEvent: () => {}, onError: resolve }),
    );
    expect(bad.code).toBe('invalid_input');
    expect(issuePaths(bad)).toEqual(['start']);
    const unknown = await new Promise<ApiError>((resolve) =>
      client.subscribe('nope' as 'counter', { start: 0 }, { onEvent: () => {}, onError: resolve }),
    );
    expect(unknown.code).toBe('unknown_stream');
    expect(feeds.size).toBe(0);
  });

  it('rejects pending calls with disconnected and stops server streams when the transport closes', async () => {
    const { client, clientEnd, serverEnd, feeds, stop } = setup();
    client.subscribe('counter', { start: 0 }, { onEvent: () => {} });
    await vi.waitFor(() => expect(feeds.size).toBe(1));
    const pending = client.call('never.answers', {});
    serverEnd.close();
    const error = await apiFailure(pending);
    expect(error.code).toBe('disconnected');
    expect(stop).toHaveBeenCalledTimes(1);
    expect(client.state).toBe('closed');
    expect(clientEnd.isOpen).toBe(false);
    expect((await apiFailure(client.call('math.add', { a: 1, pair: { b: 1 } }))).code).toBe('disconnected');
  });

  it('rejects pending calls at once when the client itself is closed', async () => {
    const { client } = setup('admin', {}, { callTimeoutMs: 10_000 });
    const pending = client.call('never.answers', {});
    client.close();
    expect((await apiFailure(pending)).code).toBe('disconnected');
  });

  it('fails a call that takes longer than callTimeoutMs with timeout', async () => {
    const { client } = setup('admin', {}, { callTimeoutMs: 30 });
    const started = Date.now();
    const error = await apiFailure(client.call('never.answers', {}));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    await expect(client.call('math.add', { a: 1, pair: { b: 1 } })).resolves.toEqual({ sum: 2 });
  });
});

describe('RPC over memory transports, real API and core', () => {
  let core: Core;
  let testCore: TestCore;

  beforeAll(async () => {
    testCore = await createTestCore({ sampleIntervalMs: 100 });
    core = testCore.core;
    await core.start();
    // The first reading only primes the counters; wait for a real sample so snapshots have data.
    await vi.waitFor(() => expect(core.hub.latest('local')).toBeDefined(), { timeout: 5000, interval: 20 });
  });
  afterAll(async () => {
    await testCore.dispose();
  });

  function apiClient() {
    const [clientEnd, serverEnd] = createMemoryTransportPair();
    serveConnection(api, core.handlers, serverEnd, { id: 'tester', role: 'viewer', via: 'memory' });
    return connect(api, clientEnd);
  }

  it('answers app.info and metrics.latest', async () => {
    const client = apiClient();
    const info = await client.call('app.info', {});
    expect(info).toMatchObject({ name: 'Hyperion', version: 'test', sampleIntervalMs: 100 });
    expect(info.platform).toBe(process.platform);
    const latest = await client.call('metrics.latest', { host: 'local' });
    expect(latest?.hostId).toBe('local');
    await expect(client.call('metrics.latest', { host: 'elsewhere' })).resolves.toBeNull();
  });

  it('refuses a bad host id and unknown keys with invalid_input', async () => {
    const client = apiClient();
    const bad = await apiFailure(client.call('metrics.latest', { host: 'Not A Host!' }));
    expect(bad.code).toBe('invalid_input');
    expect(issuePaths(bad)).toEqual(['host']);
    const extra = await apiFailure(
      client.call('app.info', { debug: true } as unknown as Record<string, never>),
    );
    expect(extra.code).toBe('invalid_input');
  });

  it('streams metrics.live as a snapshot, then new samples; unsubscribe stops them', async () => {
    const client = apiClient();
    const watchersBefore = core.hub.watcherCount;
    const events: { snapshot: boolean; samples: { hostId: string; ts: number }[] }[] = [];
    const unsubscribe = client.subscribe(
      'metrics.live',
      { hosts: ['local'], historySec: 60 },
      { onEvent: (e) => events.push(e) },
    );
    await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(2), { timeout: 3000, interval: 20 });
    const [first, second] = events;
    expect(first?.snapshot).toBe(true);
    expect(first?.samples.length).toBeGreaterThan(0);
    expect(second?.snapshot).toBe(false);
    expect(second?.samples.length).toBeGreaterThan(0);
    expect(events.slice(1).every((e) => !e.snapshot)).toBe(true);
    const newest = Math.max(...(first?.samples ?? []).map((s) => s.ts));
    for (const s of second?.samples ?? []) {
      expect(s.hostId).toBe('local');
      expect(s.ts).toBeGreaterThan(newest);
    }
    expect(core.hub.watcherCount).toBe(watchersBefore + 1);

    unsubscribe();
    await vi.waitFor(() => expect(core.hub.watcherCount).toBe(watchersBefore));
    const count = events.length;
    await new Promise((resolve) => setTimeout(resolve, 350)); // three more sampling intervals
    expect(events).toHaveLength(count);
  });

  it('ends metrics.live with invalid_input for bad params, and unknown_stream for a wrong name', async () => {
    const client = apiClient();
    const wait = (stream: string, params: unknown) =>
      new Promise<ApiError>((resolve) =>
        client.subscribe(stream as 'metrics.live', params as { hosts: string[] }, {
          onEvent: () => resolve(new ApiError('internal', 'an event instead of an error')),
          onError: resolve,
        }),
      );
    const empty = await wait('metrics.live', { hosts: [] });
    expect(empty.code).toBe('invalid_input');
    expect(issuePaths(empty)).toEqual(['hosts']);
    const history = await wait('metrics.live', { hosts: ['local'], historySec: 99999 });
    expect(issuePaths(history)).toEqual(['historySec']);
    expect((await wait('metrics.dead', { hosts: ['local'] })).code).toBe('unknown_stream');
  });
});
