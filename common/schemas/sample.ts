// The sample: one host at one instant, the shared vocabulary of collectors, streams and store.
// Rates are per second over the last interval; percentages 0–100; bytes are bytes; times ms since epoch.
import { z } from 'zod';
import { DisksSample, MemorySample, NetworkSample } from './metrics';

export const HostId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a host id is 1–63 lowercase letters, digits, "-" or "_"');
export type HostId = z.infer<typeof HostId>;

const Percent = z.number().min(0).max(100);

export const CpuModes = z.object({
  usage: Percent,
  user: Percent,
  nice: Percent,
  system: Percent,
  iowait: Percent,
  irq: Percent,
  softirq: Percent,
  steal: Percent,
  idle: Percent,
});
export type CpuModes = z.infer<typeof CpuModes>;

export const Temperature = z.object({ sensor: z.string(), celsius: z.number() });
export type Temperature = z.infer<typeof Temperature>;

export const CpuSample = z.object({
  total: CpuModes,
  /** One per logical CPU, in CPU number order. */
  cores: z.array(CpuModes),
  load: z.tuple([z.number(), z.number(), z.number()]),
  /** Empty when the host has no readable sensor: a state, not an error. */
  temperatures: z.array(Temperature),
});
export type CpuSample = z.infer<typeof CpuSample>;

export const HostFacts = z.object({
  name: z.string(),
  hostname: z.string(),
  os: z.string(),
  kernel: z.string(),
  uptimeSec: z.number().nonnegative(),
  cores: z.number().int().positive(),
});
export type HostFacts = z.infer<typeof HostFacts>;

export const Sample = z.object({
  hostId: HostId,
  ts: z.number(),
  intervalMs: z.number().nonnegative(),
  host: HostFacts,
  cpu: CpuSample,
  memory: MemorySample,
  network: NetworkSample,
  disks: DisksSample,
});
export type Sample = z.infer<typeof Sample>;
