// The stream under an SSH session that is not a TCP socket (a jump host's channel): bytes counted both
// ways, its end and its errors passed on, and a destroy that does not wait for the other side.
import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { ByteCountingStream, hasByteCounts } from '../../../../../main/core/ssh/transport';

/** A channel-like duplex: what is written to it is recorded; what it "receives" is pushed by the test. */
function fakeChannel() {
  const written: Buffer[] = [];
  const channel = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk);
      done();
    },
  });
  return { channel, written };
}

describe('ByteCountingStream', () => {
  it('passes bytes both ways and counts them', async () => {
    const { channel, written } = fakeChannel();
    const stream = new ByteCountingStream(channel);
    const received: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => received.push(chunk));
    stream.write(Buffer.from('SSH-2.0-client\r\n'));
    channel.push(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n'));
    channel.push(Buffer.from('more'));
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(written).toString()).toBe('SSH-2.0-client\r\n');
    expect(Buffer.concat(received).toString()).toBe('SSH-2.0-OpenSSH_9.2\r\nmore');
    expect(stream.bytesWritten).toBe(16);
    expect(stream.bytesRead).toBe(25);
    expect(hasByteCounts(stream)).toBe(true);
  });

  it('ends and closes when the channel ends', async () => {
    const { channel } = fakeChannel();
    const stream = new ByteCountingStream(channel);
    stream.resume();
    const closed = new Promise((resolve) => stream.once('close', resolve));
    channel.push(null);
    await closed;
    expect(stream.readableEnded).toBe(true);
  });

  it('closes when the channel is closed under it (its connection went away)', async () => {
    const { channel } = fakeChannel();
    const stream = new ByteCountingStream(channel);
    const closed = new Promise((resolve) => stream.once('close', resolve));
    channel.emit('close');
    await closed;
  });

  it('passes an error on', async () => {
    const { channel } = fakeChannel();
    const stream = new ByteCountingStream(channel);
    const failed = new Promise<Error>((resolve) => stream.once('error', resolve));
    channel.destroy(new Error('channel broke'));
    expect((await failed).message).toBe('channel broke');
  });

  it('closes at once when destroyed, and asks the channel to close', async () => {
    const { channel } = fakeChannel();
    const closeChannel = vi.spyOn(channel, 'destroy');
    const stream = new ByteCountingStream(channel);
    const closed = new Promise((resolve) => stream.once('close', resolve));
    stream.destroy();
    await closed;
    expect(closeChannel).toHaveBeenCalled();
  });

  it('tells counted streams from others', () => {
    expect(hasByteCounts(new Socket())).toBe(true);
    expect(hasByteCounts(fakeChannel().channel)).toBe(false);
  });
});
