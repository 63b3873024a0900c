import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelFile, ReadBuffer } from '../../../../../../main/core/collectors/linux/kernel-file';

describe('KernelFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hyperion-kernel-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads /proc afresh on every read through the same descriptor', async () => {
    const file = new KernelFile('/proc/uptime', new ReadBuffer());
    const first = file.read();
    await new Promise((done) => setTimeout(done, 30));
    const second = file.read();
    expect(second).toMatch(/^\d+\.\d+ \d+\.\d+\n$/);
    expect(Number(second.split(' ')[0])).toBeGreaterThan(Number(first.split(' ')[0]));
    file.close();
  });

  it('reads a file larger than its buffer whole, and a shorter text after a longer one', () => {
    const path = join(dir, 'stat');
    const long = 'cpu 1 2 3\n'.repeat(5000); // 50 KB: the 16 KiB buffer doubles twice
    writeFileSync(path, long);
    const buffer = new ReadBuffer();
    const file = new KernelFile(path, buffer);
    expect(file.read()).toBe(long);
    expect(buffer.bytes.length).toBeGreaterThanOrEqual(long.length);
    writeFileSync(path, 'cpu 4 5 6\n');
    expect(file.read()).toBe('cpu 4 5 6\n');
    file.close();
  });

  it('shares one buffer between files without mixing their texts', () => {
    const buffer = new ReadBuffer();
    writeFileSync(join(dir, 'a'), 'alpha');
    writeFileSync(join(dir, 'b'), 'beta');
    const a = new KernelFile(join(dir, 'a'), buffer);
    const b = new KernelFile(join(dir, 'b'), buffer);
    const first = a.read();
    expect(b.read()).toBe('beta');
    expect(first).toBe('alpha');
    a.close();
    b.close();
  });

  it('reports a missing file as an error, or undefined when optional, and opens it once it exists', () => {
    const path = join(dir, 'temp1_input');
    const file = new KernelFile(path, new ReadBuffer());
    expect(() => file.read()).toThrow(/ENOENT/);
    expect(file.readOptional()).toBeUndefined();
    writeFileSync(path, '47000\n');
    expect(file.readOptional()).toBe('47000\n');
    file.close();
    file.close(); // closing twice is harmless
    expect(file.read()).toBe('47000\n'); // and a closed file opens again on the next read
    file.close();
  });
});
