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

/** A host's clock and zone, so times can be shown as the host reads them and "now" is the host's. */
export const HostClock = z.object({
  /** Minutes east of UTC at the sample's time (+120 for UTC+2). */
  utcOffsetMin: z
    .number()
    .int()
    .min(-24 * 60)
    .max(24 * 60),
  /** The IANA zone (e.g. "Europe/Paris") when the host names it; null otherwise. */
  timeZone: z.string().max(64).nullable(),
  /** The host's clock minus Hyperion's in ms (positive: the host is ahead); about ±1 s for SSH hosts. */
  offsetMs: z.number(),
});
export type HostClock = z.infer<typeof HostClock>;

export const HostFacts = z.object({
  name: z.string(),
  hostname: z.string(),
  os: z.string(),
  kernel: z.string(),
  uptimeSec: z.number().nonnegative(),
  cores: z.number().int().positive(),
  /** Absent while unknown (an SSH host before its first slow tick, or an older core). */
  clock: HostClock.optional(),
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
