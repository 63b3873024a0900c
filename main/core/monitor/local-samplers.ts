// The two ways to sample this machine: /proc and /sys on Linux, systeminformation elsewhere.
import type { Sample } from '../../../common/schemas/sample';
import { thisMachineClock } from '../collectors/host-clock';
import type { LocalLinuxReader } from '../collectors/linux/local-reader';
import { sampleFromSnapshot, type LinuxCounterState } from '../collectors/linux/snapshot';
import type { SystemInformationReader } from '../collectors/si/si-reader';
import { sampleFromSystemInformation, type SiCounterState } from '../collectors/si/si-sample';

/** Takes the next sample; undefined while the counters are being primed. */
export interface LocalSampler {
  next(): Sample | undefined | Promise<Sample | undefined>;
  close?(): void;
}

export function linuxSampler(reader: LocalLinuxReader, hostId: string, displayName: string): LocalSampler {
  let state: LinuxCounterState | undefined;
  return {
    next() {
      const step = sampleFromSnapshot(hostId, displayName, state, reader.read());
      state = step.state;
      if (step.sample) step.sample.host.clock = thisMachineClock(step.sample.ts);
      return step.sample;
    },
    close: () => reader.close(),
  };
}

export function systemInformationSampler(
  reader: SystemInformationReader,
  hostId: string,
  displayName: string,
): LocalSampler {
  let state: SiCounterState | undefined;
  return {
    async next() {
      const step = sampleFromSystemInformation(state, await reader.read(), hostId, displayName);
      state = step.state;
      if (step.sample) step.sample.host.clock = thisMachineClock(step.sample.ts);
      return step.sample;
    },
    close: () => void reader.close(),
  };
}
