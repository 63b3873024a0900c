// One sample of a host over an open SSH connection: start the sampler, take two readings one
// interval apart, stop. For the CLI; the app keeps a sampler running instead (RemoteMonitor).
import type { Sample } from '../../../common/schemas/sample';
import { sampleFromSnapshot, type LinuxCounterState } from '../collectors/linux/snapshot';
import type { HostConnection } from '../ssh/connection';
import { emptyFacts, snapshotFromReading, updateFacts } from './remote-snapshot';
import { SamplerOutputParser, type SamplerReading } from './sampler-output';
import { samplerCommand } from './sampler-script';

export async function sampleOnce(
  connection: HostConnection,
  hostId: string,
  displayName: string,
  intervalMs: number,
  timeoutMs = 15_000,
): Promise<Sample> {
  const opened = await connection.exec(samplerCommand());
  if (!opened.ok) throw new Error(opened.error.message);
  const channel = opened.value;
  const waiting: ((reading: SamplerReading) => void)[] = [];
  const parser = new SamplerOutputParser((reading) => waiting.shift()?.(reading));
  channel.stdout.setEncoding('utf8');
  channel.stdout.on('data', (chunk: string) => parser.push(chunk));
  let stderr = '';
  channel.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(0, 2000)));
  const next = (request: 'f' | 't'): Promise<SamplerReading> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `the host did not answer within ${timeoutMs / 1000} s${stderr ? `: ${stderr.trim()}` : ''}`,
            ),
          ),
        timeoutMs,
      );
      waiting.push((reading) => {
        clearTimeout(timer);
        resolve(reading);
      });
      channel.stdin.write(`${request}\n`);
    });
  try {
    const first = await next('f');
    let facts = updateFacts(emptyFacts(), first, Date.now());
    const primed: LinuxCounterState = sampleFromSnapshot(
      hostId,
      displayName,
      undefined,
      snapshotFromReading(first, facts, Date.now()),
    ).state;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const second = await next('t');
    facts = updateFacts(facts, second);
    const { sample } = sampleFromSnapshot(
      hostId,
      displayName,
      primed,
      snapshotFromReading(second, facts, Date.now()),
    );
    if (!sample)
      throw new Error(
        'the host’s counters went backwards between the two readings (did it reboot?); try again',
      );
    return sample;
  } finally {
    channel.stdin.end('q\n');
    channel.close();
  }
}
