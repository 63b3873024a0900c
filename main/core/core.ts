// The composition root of the core: builds its parts and wires them. Electron-free.
import type { Api } from '../../common/api';
import type { Handlers } from '../../common/rpc/server';
import { createHandlers } from './api/handlers';
import { LocalFilesystems } from './collectors/linux/local-filesystems';
import { LocalLinuxReader } from './collectors/linux/local-reader';
import { SampleHub } from './live/sample-hub';
import { silentLogger, type Logger } from './log';
import { LocalMonitor } from './monitor/local-monitor';

export const LOCAL_HOST_ID = 'local';

export interface CoreOptions {
  version: string;
  /** Sampling interval of the local machine (ms). */
  sampleIntervalMs?: number;
  /** Root of /proc and /sys (tests point it at a fixture tree). */
  procRoot?: string;
  log?: Logger;
}

export interface Core {
  readonly handlers: Handlers<Api>;
  readonly hub: SampleHub;
  start(): void;
  stop(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const log = options.log ?? silentLogger;
  const sampleIntervalMs = options.sampleIntervalMs ?? 1000;
  const hub = new SampleHub({ retainPerHost: Math.ceil(3_600_000 / sampleIntervalMs) });
  if (process.platform !== 'linux') {
    log.warn('local sampling reads /proc and /sys; this platform has neither', {
      platform: process.platform,
    });
  }
  const filesystems = new LocalFilesystems({ root: options.procRoot });
  const reader = new LocalLinuxReader({ root: options.procRoot, filesystems });
  const monitor = new LocalMonitor({
    hostId: LOCAL_HOST_ID,
    displayName: 'This computer',
    reader,
    intervalMs: sampleIntervalMs,
    publish: (sample) => hub.publish(sample),
    log,
  });
  const handlers = createHandlers({
    version: options.version,
    startedAt: Date.now(),
    sampleIntervalMs,
    hub,
  });
  return {
    handlers,
    hub,
    start: () => {
      filesystems.start();
      monitor.start();
    },
    stop: async () => {
      monitor.stop();
      filesystems.stop();
    },
  };
}
