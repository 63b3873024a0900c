// The remote sampler script run for real by this machine's sh, parsed by the shared parsers: the
// agentless path without SSH in the way.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  sampleFromSnapshot,
  type LinuxCounterState,
} from '../../../../../main/core/collectors/linux/snapshot';
import {
  emptyFacts,
  samplerCpuTicks,
  snapshotFromReading,
  updateFacts,
} from '../../../../../main/core/remote/remote-snapshot';
import { SamplerOutputParser, type SamplerReading } from '../../../../../main/core/remote/sampler-output';
import { samplerCommand } from '../../../../../main/core/remote/sampler-script';

let child: ChildProcessWithoutNullStreams;
const readings: SamplerReading[] = [];

beforeAll(() => {
  child = spawn('sh', ['-c', samplerCommand()]);
  const parser = new SamplerOutputParser((r) => readings.push(r));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => parser.push(chunk));
});

afterAll(() => {
  child.stdin.end('q\n');
});

async function request(kind: 'f' | 't'): Promise<SamplerReading> {
  const count = readings.length;
  child.stdin.write(`${kind}\n`);
  await vi.waitFor(() => expect(readings.length).toBe(count + 1), { timeout: 5_000, interval: 10 });
  return readings.at(-1)!;
}

describe('the remote sampler script', () => {
  it('answers each request with one numbered reading, slow sections only when asked', async () => {
    const slow = await request('f');
    expect(slow.tick).toBe(1);
    expect([...slow.sections.keys()]).toEqual(
      expect.arrayContaining([
        'stat',
        'meminfo',
        'netdev',
        'diskstats',
        'hostname',
        'mounts',
        'dfk',
        'dfi',
        'blocks',
      ]),
    );
    const fast = await request('t');
    expect(fast.tick).toBe(2);
    expect(fast.sections.has('dfk')).toBe(false);
    expect(fast.sections.has('stat')).toBe(true);
    // Filtering keeps a normal tick small: well under the 4 KB/s budget before compression.
    expect(fast.bytes).toBeLessThan(4096);
  });

  it('feeds the shared parsers: two readings make a full sample of this machine', async () => {
    let facts = updateFacts(emptyFacts(), await request('f'));
    const first = sampleFromSnapshot(
      'h',
      'h',
      undefined,
      snapshotFromReading(readings.at(-1)!, facts, Date.now()),
    );
    const state: LinuxCounterState = first.state;
    await new Promise((r) => setTimeout(r, 300));
    const second = await request('t');
    facts = updateFacts(facts, second);
    const { sample } = sampleFromSnapshot('h', 'h', state, snapshotFromReading(second, facts, Date.now()));
    expect(sample?.cpu.cores).toHaveLength(cpus().length);
    expect(sample?.host.hostname).toBe(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
    expect(sample?.memory.totalBytes).toBeGreaterThan(0);
    // Filesystems measured on the slow tick carry over to fast ones.
    expect(sample?.disks.filesystems.map((f) => f.mount)).toContain('/');
    expect(samplerCpuTicks(second)).toBeGreaterThanOrEqual(0);
  });

  it('never contains a single quote (it travels inside one)', () => {
    expect(() => samplerCommand()).not.toThrow();
    expect(samplerCommand().startsWith("exec sh -c '")).toBe(true);
  });
});
