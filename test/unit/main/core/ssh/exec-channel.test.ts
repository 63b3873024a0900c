// A command channel: exit status, output collection with a limit, and a connection that drops.
import { EventEmitter } from 'node:events';
import { Duplex, PassThrough } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { collectOutput, wrapExecChannel } from '../../../../../main/core/ssh/exec-channel';

/** Enough of ssh2's ClientChannel: a duplex for stdout/stdin with a stderr stream and exit/close events. */
function fakeChannel() {
  // Like ssh2's channel, writing (stdin) and reading (stdout) are independent sides.
  const duplex = new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() });
  const channel = Object.assign(duplex, { stderr: new PassThrough(), close: vi.fn() });
  return channel as unknown as ClientChannel & Duplex & { stderr: PassThrough; close: () => void };
}

describe('wrapExecChannel and collectOutput', () => {
  it('collects stdout, stderr and the exit code', async () => {
    const channel = fakeChannel();
    const exec = wrapExecChannel(channel, new Promise(() => {}));
    const collected = collectOutput(exec);
    channel.push('hello\n');
    channel.stderr.push('oops\n');
    channel.emit('exit', 3);
    channel.push(null);
    channel.stderr.push(null);
    await expect(collected).resolves.toEqual({
      code: 3,
      signal: null,
      stdout: 'hello\n',
      stderr: 'oops\n',
      truncated: false,
    });
  });

  it('reports a signal', async () => {
    const channel = fakeChannel();
    const exec = wrapExecChannel(channel, new Promise(() => {}));
    channel.emit('exit', null, 'TERM', false, '');
    await expect(exec.exit).resolves.toEqual({ code: null, signal: 'TERM' });
  });

  it('settles when the connection drops, even if nobody reads the output', async () => {
    const channel = fakeChannel();
    const dropped = new EventEmitter();
    const exec = wrapExecChannel(channel, new Promise((resolve) => dropped.once('drop', resolve)));
    channel.push('unread');
    dropped.emit('drop');
    await expect(exec.exit).resolves.toEqual({ code: null, signal: null });
  });

  it('keeps at most maxBytes of each stream', async () => {
    const channel = fakeChannel();
    const collected = collectOutput(wrapExecChannel(channel, new Promise(() => {})), 4);
    channel.push('abc');
    channel.push('defgh');
    channel.emit('exit', 0);
    channel.push(null);
    channel.stderr.push(null);
    await expect(collected).resolves.toMatchObject({ stdout: 'abcd', truncated: true, code: 0 });
  });

  it('closes the channel on request', () => {
    const channel = fakeChannel();
    wrapExecChannel(channel, new Promise(() => {})).close();
    expect(channel.close).toHaveBeenCalled();
  });
});
