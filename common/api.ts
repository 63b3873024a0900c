// The one API contract between the core and every UI: methods and streams, declared once.
import { z } from 'zod';
import { defineContract } from './contract';
import { HostId, Sample } from './schemas/sample';

export const AppInfo = z.object({
  name: z.literal('Hyperion'),
  version: z.string(),
  platform: z.string(),
  hostname: z.string(),
  startedAt: z.number(),
  /** How often the local machine is sampled while watched (ms). */
  sampleIntervalMs: z.number().int().positive(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const LiveParams = z.object({
  hosts: z.array(HostId).min(1).max(500),
  /** Seconds of recent samples to include in the first (snapshot) event. */
  historySec: z.number().int().min(0).max(3600).default(300),
});

export const LiveEvent = z.object({
  /** True for the first event of a subscription: the recent past; later events are new samples. */
  snapshot: z.boolean(),
  samples: z.array(Sample),
});
export type LiveEvent = z.infer<typeof LiveEvent>;

export const api = defineContract({
  methods: {
    'app.info': {
      input: z.object({}).strict(),
      output: AppInfo,
      role: 'viewer',
      summary: 'Name, version and platform of the Hyperion core.',
    },
    'metrics.latest': {
      input: z.object({ host: HostId }).strict(),
      output: Sample.nullable(),
      role: 'viewer',
      summary: 'The most recent sample of one host, or null before the first one.',
    },
  },
  streams: {
    'metrics.live': {
      params: LiveParams,
      event: LiveEvent,
      role: 'viewer',
      summary: 'Recent samples of the watched hosts, then each new sample as it is taken.',
    },
  },
});

export type Api = typeof api;
