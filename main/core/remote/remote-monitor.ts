// Watches one SSH host: keeps its sampler channel running on the host's one connection, asks for a
// reading every interval, and publishes samples. A drop resets the counters, so the outage stays a
// gap: the first reading after reconnecting only primes the rates.
import type { Sample } from '../../../common/schemas/sample';
import { sampleFromSnapshot, type LinuxCounterState } from '../collectors/linux/snapshot';
import type { Logger } from '../log';
import type { ConnectionStatus, HostConnection } from '../ssh/connection';
import type { ExecChannel } from '../ssh/exec-channel';
import {
  emptyFacts,
  samplerCpuTicks,
  snapshotFromReading,
  updateFacts,
  type RemoteFacts,
} from './remote-snapshot';
import { SamplerOutputParser, type SamplerReading } from './sampler-output';
import { samplerCommand } from './sampler-script';

/** Linux's USER_HZ: /proc times are in hundredths of a second on every mainstream architecture. */
const CLOCK_TICKS_PER_SEC = 100;
/** Mounts, df and facts are read on one tick in this many (and on the first). */
const SLOW_EVERY = 15;
/** A reading not back after this many intervals means a stuck channel: it is reopened. */
const STALL_INTERVALS = 5;
/** How often the monitors check whether a reading is due (the fastest possible interval). */
const BEAT_MS = 250;

/**
 * One beat for every host's monitor: a timer re-armed four times a second per host cost, at 50
 * hosts, three times what one shared timer does (measured 0.20 % against 0.07 % of a core).
 */
class SharedBeat {
  private readonly monitors = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;

  join(check: () => void): () => void {
    this.monitors.add(check);
    this.timer ??= setInterval(() => {
      for (const monitor of this.monitors) monitor();
    }, BEAT_MS);
    return () => {
      this.monitors.delete(check);
      if (this.monitors.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }
}

const beat = new SharedBeat();

export interface MonitoringCost {
  wireBytesPerSec: number | null;
  samplerCpuPercent: number | null;
  rttMs: number | null;
  intervalMs: number;
}

export interface RemoteMonitorOptions {
  hostId: string;
  displayName: () => string;
  connection: HostConnection;
  /** The current sampling interval: fast while someone watches, slower otherwise. */
  intervalMs: () => number;
  publish: (sample: Sample) => void;
  log: Logger;
  now?: () => number;
}

export class RemoteMonitor {
  private channel: ExecChannel | undefined;
  private opening = false;
  private parser: SamplerOutputParser | undefined;
  private counters: LinuxCounterState | undefined;
  private facts: RemoteFacts = emptyFacts();
  private soon: ReturnType<typeof setTimeout> | undefined;
  private leaveBeat: (() => void) | undefined;
  private tickNo = 0;
  private lastRequestAt = 0;
  private awaiting: { tick: number; sentAt: number } | undefined;
  private running = false;
  private lastCpu: { ticks: number; at: number } | undefined;
  private lastWire: { bytes: number; at: number } | undefined;
  private cost: MonitoringCost = {
    wireBytesPerSec: null,
    samplerCpuPercent: null,
    rttMs: null,
    intervalMs: 0,
  };
  private readonly now: () => number;
  private offStatus: (() => void) | undefined;

  constructor(private readonly options: RemoteMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  get monitoringCost(): MonitoringCost {
    return this.cost;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.offStatus = this.options.connection.onStatus((status) => this.onStatus(status));
    this.options.connection.start();
    // One host's failure must not skip the others' checks on the shared beat.
    this.leaveBeat = beat.join(() => {
      try {
        this.tick();
      } catch (err) {
        this.options.log.warn('sampling check failed', { host: this.options.hostId, error: String(err) });
      }
    });
    this.checkSoon();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.offStatus?.();
    this.leaveBeat?.();
    this.leaveBeat = undefined;
    if (this.soon) clearTimeout(this.soon);
    this.closeChannel();
    await this.options.connection.stop();
  }

  private onStatus(status: ConnectionStatus): void {
    if (status.state !== 'up') this.closeChannel();
    else this.checkSoon();
  }

  /** A check now rather than at the next beat (the connection came up, the channel opened). */
  private checkSoon(): void {
    if (!this.running || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.tick();
    }, 0);
  }

  /**
   * Runs on the shared beat and asks for a reading when the host's interval has passed, so a host
   * that comes on screen speeds up at once instead of after its slow background interval.
   */
  private tick(): void {
    if (!this.running) return;
    if (this.options.connection.status.state !== 'up') return;
    if (!this.channel) {
      void this.openChannel();
      return;
    }
    const interval = this.options.intervalMs();
    const now = this.now();
    if (this.awaiting) {
      if (now - this.awaiting.sentAt < Math.max(interval, 1_000) * STALL_INTERVALS) return; // still answering
      this.options.log.warn('sampler stalled; reopening its channel', { host: this.options.hostId });
      this.closeChannel();
      return;
    }
    if (now - this.lastRequestAt < interval - BEAT_MS / 2) return;
    this.lastRequestAt = now;
    this.tickNo++;
    const slow = this.tickNo === 1 || this.tickNo % SLOW_EVERY === 0;
    this.awaiting = { tick: this.tickNo, sentAt: now };
    this.channel.stdin.write(slow ? 'f\n' : 't\n');
  }

  private async openChannel(): Promise<void> {
    if (this.opening) return;
    this.opening = true;
    try {
      const result = await this.options.connection.exec(samplerCommand());
      if (!result.ok) {
        this.options.log.warn('could not start the sampler', {
          host: this.options.hostId,
          error: result.error.message,
        });
        return;
      }
      if (!this.running) {
        result.value.close();
        return;
      }
      const channel = result.value;
      this.channel = channel;
      this.tickNo = 0;
      this.lastRequestAt = 0;
      this.awaiting = undefined;
      this.counters = undefined;
      this.facts = emptyFacts();
      this.lastCpu = undefined;
      const parser = new SamplerOutputParser((reading) => this.onReading(reading));
      this.parser = parser;
      channel.stdout.setEncoding('utf8');
      channel.stdout.on('data', (chunk: string) => parser.push(chunk));
      channel.stderr.resume();
      void channel.exit.then(() => {
        if (this.channel === channel) this.closeChannel();
      });
      this.checkSoon();
    } finally {
      this.opening = false;
    }
  }

  private closeChannel(): void {
    const channel = this.channel;
    this.channel = undefined;
    this.parser = undefined;
    this.awaiting = undefined;
    this.counters = undefined;
    if (channel) {
      // The connection may already be gone (zlib torn down): closing is best effort.
      try {
        channel.stdin.end('q\n');
        channel.close();
      } catch {
        // the channel is already gone
      }
    }
  }

  private onReading(reading: SamplerReading): void {
    const receivedAt = this.now();
    if (this.awaiting?.tick === reading.tick) this.awaiting = undefined;
    this.facts = updateFacts(this.facts, reading, receivedAt);
    this.updateCost(reading, receivedAt);
    try {
      const { sample, state } = sampleFromSnapshot(
        this.options.hostId,
        this.options.displayName(),
        this.counters,
        snapshotFromReading(reading, this.facts, receivedAt),
      );
      this.counters = state;
      if (sample) this.options.publish(sample);
    } catch (err) {
      this.options.log.warn('unreadable sampler output', { host: this.options.hostId, error: String(err) });
    }
  }

  private updateCost(reading: SamplerReading, at: number): void {
    const connection = this.options.connection;
    const traffic = connection.traffic;
    const wire = traffic.bytesSent + traffic.bytesReceived;
    const cpu = samplerCpuTicks(reading);
    let wireBytesPerSec = this.cost.wireBytesPerSec;
    if (this.lastWire && at > this.lastWire.at) {
      wireBytesPerSec = ((wire - this.lastWire.bytes) * 1000) / (at - this.lastWire.at);
    }
    let samplerCpuPercent = this.cost.samplerCpuPercent;
    if (cpu !== undefined && this.lastCpu && at > this.lastCpu.at && cpu >= this.lastCpu.ticks) {
      samplerCpuPercent =
        ((cpu - this.lastCpu.ticks) / CLOCK_TICKS_PER_SEC / ((at - this.lastCpu.at) / 1000)) * 100;
    }
    // Costs are averaged over at least ten seconds: one clock tick is 1 % of a one-second interval.
    if (!this.lastWire || at - this.lastWire.at >= 10_000) this.lastWire = { bytes: wire, at };
    if (cpu !== undefined && (!this.lastCpu || at - this.lastCpu.at >= 10_000))
      this.lastCpu = { ticks: cpu, at };
    this.cost = {
      wireBytesPerSec,
      samplerCpuPercent,
      rttMs: connection.rttMs ?? null,
      intervalMs: this.options.intervalMs(),
    };
  }
}
