// Terminals through the API contract against real sshd hosts on loopback: a shell in a new channel of
// the host's connection, typing and seeing the answer, resize, scrollback for a late viewer, flow
// control for a flood of output, the shell's exit, a dropped connection and the new shell after it,
// sessions private to their owner, and every start and end in the audit log.
import type { TerminalEvent, TerminalSession } from '../../../common/schemas/terminal';
import { apiFailure } from '../../helpers/api-errors';
import type { TestClient, TestCore } from '../../helpers/core';
import { startToolsCore, type ToolsCore } from '../../helpers/ssh-tools';
import type { SshdFleet } from '../../helpers/sshd';

let stage: ToolsCore;
let fleet: SshdFleet;
let testCore: TestCore;
let harness: TestClient;
let ids: string[];

beforeAll(async () => {
  stage = await startToolsCore(2, {
    prefix: 'term',
    port: 2732,
    sshTools: { terminal: { highWaterChars: 64 * 1024, endedKeepMs: 200 } },
  });
  ({ fleet, testCore, harness, ids } = stage);
}, 60_000);

afterAll(async () => {
  await stage?.stop();
});

interface Screen {
  text: () => string;
  session: () => TerminalSession;
  viewer: () => string;
  events: TerminalEvent[];
  stop: () => void;
}

/** Attaches to a session and gathers what a terminal would draw. */
function watch(sessionId: string, ack = true): Screen {
  let text = '';
  let session: TerminalSession | undefined;
  let viewer = '';
  const events: TerminalEvent[] = [];
  const stop = harness.client.subscribe(
    'terminal.output',
    { session: sessionId },
    {
      onEvent: (event) => {
        events.push(event);
        text += event.data;
        if (event.session) session = event.session;
        if (event.viewer) viewer = event.viewer;
        if (ack && event.data.length > 0) {
          void harness.client.call('terminal.ack', {
            session: sessionId,
            viewer,
            bytes: event.data.length,
          });
        }
      },
    },
  );
  return { text: () => text, session: () => session!, viewer: () => viewer, events, stop };
}

const type = (session: string, data: string) => harness.client.call('terminal.input', { session, data });

describe('terminals', () => {
  it('opens a shell on the existing connection, answers what is typed, resizes, and audits start and end', async () => {
    const logins = fleet.hosts[0]!.logLines(/Accepted publickey/).length;
    const opened = await harness.client.call('terminal.open', { host: ids[0]!, cols: 80, rows: 24 });
    expect(opened.state).toBe('open');
    expect(opened.generation).toBe(1);
    const screen = watch(opened.id);
    await type(opened.id, 'echo hello-$((6*7)); echo "term=$TERM"\r');
    await vi.waitFor(() => expect(screen.text()).toContain('hello-42'), { timeout: 5_000 });
    await vi.waitFor(() => expect(screen.text()).toContain('term=xterm-256color'));
    await harness.client.call('terminal.resize', { session: opened.id, cols: 100, rows: 30 });
    await type(opened.id, 'stty size\r');
    await vi.waitFor(() => expect(screen.text()).toMatch(/\b30 100\b/), { timeout: 5_000 });
    expect(fleet.hosts[0]!.logLines(/Accepted publickey/).length).toBe(logins);

    expect((await harness.client.call('terminal.sessions', { host: ids[0]! })).map((s) => s.id)).toContain(
      opened.id,
    );
    const closed = await harness.client.call('terminal.close', { session: opened.id });
    expect(closed.state).toBe('closed');
    screen.stop();
    expect((await harness.client.call('terminal.sessions', {})).map((s) => s.id)).not.toContain(opened.id);

    const audit = testCore.core.audit.list({ action: 'terminal.', limit: 10 }).entries;
    const start = audit.find((e) => e.action === 'terminal.start' && e.args.session === opened.id)!;
    const end = audit.find((e) => e.action === 'terminal.end' && e.args.session === opened.id)!;
    expect(start).toMatchObject({ host: ids[0], actor: 'test', result: 'ok' });
    expect(end).toMatchObject({ host: ids[0], result: 'ok' });
    expect(end.args.reason).toBe('closed by the user');
  });

  it('gives a late viewer the scrollback first', async () => {
    const opened = await harness.client.call('terminal.open', { host: ids[0]!, cols: 80, rows: 24 });
    const first = watch(opened.id);
    await type(opened.id, 'echo early-$((2+3))\r');
    await vi.waitFor(() => expect(first.text()).toContain('early-5'));
    first.stop();
    const late = watch(opened.id);
    await vi.waitFor(() => expect(late.events.length).toBeGreaterThan(0));
    expect(late.events[0]!.snapshot).toBe(true);
    expect(late.events[0]!.data).toContain('early-5');
    expect(late.events[0]!.session!.state).toBe('open');
    late.stop();
    await harness.client.call('terminal.close', { session: opened.id });
  });

  it('holds a flood of output while the viewer falls behind, and lets it through as it catches up', async () => {
    const opened = await harness.client.call('terminal.open', { host: ids[0]!, cols: 80, rows: 24 });
    const slow = watch(opened.id, false);
    await vi.waitFor(() => expect(slow.viewer()).not.toBe(''));
    await type(opened.id, "head -c 8000000 /dev/zero | tr '\\0' a; echo; echo flood-$((40+2))\r");
    await new Promise((r) => setTimeout(r, 1_500));
    // The shell is paused: what arrived is bounded by our high water mark plus SSH's 2 MiB window.
    const held = slow.text().length;
    expect(held).toBeLessThan(3_000_000);
    expect(slow.text()).not.toContain('flood-42');
    // Catching up: every ack lets more through until the end.
    await vi.waitFor(
      async () => {
        await harness.client.call('terminal.ack', {
          session: opened.id,
          viewer: slow.viewer(),
          bytes: 1 << 30,
        });
        expect(slow.text()).toContain('flood-42');
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(slow.text().length).toBeGreaterThan(8_000_000);
    slow.stop();
    await harness.client.call('terminal.close', { session: opened.id });
  });

  it('says when the shell exits by itself, with its status', async () => {
    const opened = await harness.client.call('terminal.open', { host: ids[0]!, cols: 80, rows: 24 });
    const screen = watch(opened.id);
    await type(opened.id, 'exit 7\r');
    await vi.waitFor(() => expect(screen.session().state).toBe('closed'), { timeout: 5_000 });
    expect(screen.session().exitCode).toBe(7);
    expect(screen.session().message).toBe('The shell exited with status 7.');
    // Start again in the same tab: a new shell.
    const again = await harness.client.call('terminal.reconnect', { session: opened.id });
    expect(again).toMatchObject({ state: 'open', generation: 2 });
    await type(opened.id, 'echo back-$((1+1))\r');
    await vi.waitFor(() => expect(screen.text()).toContain('back-2'), { timeout: 5_000 });
    screen.stop();
    await harness.client.call('terminal.close', { session: opened.id });
  });

  it('shows a dropped connection and opens a new shell when the host comes back', async () => {
    const host = fleet.hosts[1]!;
    const opened = await harness.client.call('terminal.open', { host: ids[1]!, cols: 80, rows: 24 });
    const screen = watch(opened.id);
    await type(opened.id, 'echo before-$((5+5))\r');
    await vi.waitFor(() => expect(screen.text()).toContain('before-10'));
    await host.kill();
    await vi.waitFor(() => expect(screen.session().state).toBe('dropped'), { timeout: 10_000 });
    expect(screen.session().message).toMatch(/connection to term2 was lost at \d\d:\d\d:\d\d/);
    expect(screen.text()).toMatch(/connection to term2 lost/);
    const refused = await apiFailure(type(opened.id, 'echo nope\r'));
    expect(refused.code).toBe('conflict');

    await host.restart();
    await vi.waitFor(() => expect(screen.session().state).toBe('open'), { timeout: 15_000 });
    expect(screen.session().generation).toBe(2);
    expect(screen.text()).toMatch(/new shell on term2/);
    await type(opened.id, 'echo after-$((3+4))\r');
    await vi.waitFor(() => expect(screen.text()).toContain('after-7'), { timeout: 5_000 });
    screen.stop();
    await harness.client.call('terminal.close', { session: opened.id });

    const ends = testCore.core.audit
      .list({ action: 'terminal.end', limit: 20 })
      .entries.filter((e) => e.args.session === opened.id);
    expect(ends.map((e) => [e.args.generation, e.result]).sort()).toEqual([
      [1, 'failed'],
      [2, 'ok'],
    ]);
  });

  it('keeps sessions private to their owner', async () => {
    const opened = await harness.client.call('terminal.open', { host: ids[0]!, cols: 80, rows: 24 });
    const stranger = { id: 'someone-else', via: 'memory' as const };
    const terminals = testCore.core.sshTools.terminals;
    expect(terminals.list(stranger)).toEqual([]);
    expect(() => terminals.input(opened.id, stranger, 'id\r')).toThrow(/over \(or was never yours\)/);
    expect(() => terminals.attach(opened.id, stranger, () => {})).toThrow(/never yours/);
    await harness.client.call('terminal.close', { session: opened.id });
  });

  it('refuses an unknown host and bad sizes', async () => {
    expect(
      (await apiFailure(harness.client.call('terminal.open', { host: 'nope', cols: 80, rows: 24 }))).code,
    ).toBe('not_found');
    expect(
      (await apiFailure(harness.client.call('terminal.open', { host: ids[0]!, cols: 0, rows: 24 }))).code,
    ).toBe('invalid_input');
  });
});
