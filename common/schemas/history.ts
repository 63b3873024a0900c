// History as the UI asks for it: one metric of one host over a time range, at most N points.
import { z } from 'zod';
import { MetricName } from '../metrics';
import { HostId } from './sample';

export const Tier = z.enum(['raw', '1m', '1h']);
export type Tier = z.infer<typeof Tier>;

export const RangeQuery = z
  .object({
    host: HostId,
    metric: MetricName,
    /** Which series of the metric (cores, interfaces, mounts…); all of them when omitted. */
    labels: z.array(z.string().max(512)).max(512).optional(),
    from: z.number().int().nonnegative(),
    to: z.number().int().positive(),
    /** The chart's width in pixels, roughly: never more points than this per series. */
    maxPoints: z.number().int().min(2).max(10_000).default(600),
  })
  .refine((q) => q.to > q.from, { message: '"to" must be after "from"', path: ['to'] })
  .refine((q) => q.to - q.from <= 3 * 366 * 24 * 3_600_000, {
    message: 'at most three years at once',
    path: ['from'],
  });
export type RangeQuery = z.input<typeof RangeQuery>;

/** [bucket start (ms), min, average, max] — or null where the data stops (a gap). */
export const RangePoint = z.union([z.tuple([z.number(), z.number(), z.number(), z.number()]), z.null()]);
export type RangePoint = z.infer<typeof RangePoint>;

export const SeriesSet = z.object({
  tier: Tier,
  /** The averaging step of each point (ms): a zoomed-out chart says so. */
  stepMs: z.number().int().positive(),
  from: z.number(),
  to: z.number(),
  series: z.array(z.object({ label: z.string(), points: z.array(RangePoint) })),
  /** Times the host was unreachable within the range. */
  outages: z.array(z.object({ start: z.number(), end: z.number().nullable(), reason: z.string() })),
});
export type SeriesSet = z.infer<typeof SeriesSet>;

export const RetentionSettings = z.object({
  rawHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  minuteDays: z
    .number()
    .int()
    .min(1)
    .max(3 * 365),
  hourDays: z
    .number()
    .int()
    .min(1)
    .max(20 * 365),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const StoreState = z.enum(['ok', 'behind', 'full', 'error']);

export const StoreStatus = z.object({
  state: StoreState,
  /** A sentence: what is wrong and what Hyperion does about it. */
  message: z.string(),
  queuedValues: z.number().int(),
  droppedValues: z.number().int(),
  lastWriteAt: z.number().nullable(),
});
export type StoreStatus = z.infer<typeof StoreStatus>;

export const StorageStats = z.object({
  path: z.string(),
  fileBytes: z.number(),
  walBytes: z.number(),
  freeBytes: z.number().nullable(),
  tiers: z.array(
    z.object({ tier: Tier, rows: z.number(), bytes: z.number(), oldest: z.number().nullable() }),
  ),
  hosts: z.array(
    z.object({
      host: z.string(),
      series: z.number(),
      rows: z.number(),
      estimatedBytes: z.number(),
      oldest: z.number().nullable(),
    }),
  ),
  retention: RetentionSettings,
});
export type StorageStats = z.infer<typeof StorageStats>;
