// Runs a command on many hosts at once, within a concurrency limit: each host in a new exec channel of
// its connection, output streamed live and kept up to a limit, a timeout and cancel that really stop
// the remote process (SIGTERM, then SIGKILL, to its process group), every host's end audited.
import { StringDecoder } from 'node:string_decoder';
import { ApiError } from '../../../common/errors';
import {
  summarize,
  type CommandHostResult,
  type CommandHostState,
  type CommandLiveEvent,
  type CommandRun,
  type HostOutput,
  type OutputChunk,
  type OutputStream,
} from '../../../common/schemas/commands';
import type { AuditRecord } from '../audit/audit-log';
import { silentLogger, type Logger } from '../log';
import type { ExecChannel, ExecExit } from '../ssh/exec-channel';
import { newId, type CommandStore, type KeptChunk } from './command-store';
import type { HostChannels } from './host-channels';

export interface RunActor {
  id: string;
  via: AuditRecord['via'];
  address?: string | null;
}

export interface RunRequest {
  command: string;
  hosts: string[];
  concurrency: number;
  timeoutSec: number;
}

export interface CommandRunnerOptions {
  store: CommandStore;
  hosts: HostChannels;
  /** Where each host's outcome is recorded (the audit log). */
  audit?: (record: AuditRecord) => void;
  log?: Logger;
  now?: () => number;
  /** Output kept per host, live and in history (default 256 KiB). */
  outputLimitBytes?: number;
  /** Tail of each host's output in a live snapshot (default 32 KiB). */
  snapshotTailBytes?: number;
  /** Between SIGTERM and SIGKILL, and between SIGKILL and closing the channel (default 3 s). */
  killGraceMs?: number;
  /** Live output gathers this long before it goes out (default 50 ms). */
  flushMs?: number;
}

type StopReason = 'timed_out' | 'cancelled';

interface HostJob {
  position: number;
  result: CommandHostResult;
  chunks: KeptChunk[];
  keptBytes: number;
  decoders: Record<OutputStream, StringDecoder>;
  channel: ExecChannel | undefined;
  abort: AbortController;
  stopReason: StopReason | undefined;
  timers: ReturnType<typeof setTimeout>[];
}

type LiveListener = (event: CommandLiveEvent) => void;

interface ActiveRun {
  run: CommandRun;
  jobs: HostJob[];
  queue: HostJob[];
  running: number;
  cancelled: boolean;
  actor: RunActor;
  listeners: Set<LiveListener>;
  pendingOutput: OutputChunk[];
  pendingHosts: Set<HostJob>;
  flushTimer: ReturnType<typeof setTimeout> | undefined;
  done: Promise<CommandRun>;
  resolveDone: (run: CommandRun) => void;
}

const FINAL: ReadonlySet<CommandHostState> = new Set([
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'unreachable',
  'interrupted',
]);
/** One live event carries at most this much output; the rest follows in the next. */
const MAX_EVENT_OUTPUT = 512 * 1024;
/** After the exit status, output still in flight gets this long to arrive. */
const DRAIN_MS = 2_000;

export class CommandRunner {
  private readonly active = new Map<string, ActiveRun>();
  private readonly runListeners = new Set<(run: CommandRun, deleted?: boolean) => void>();
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly limit: number;
  private readonly tail: number;
  private readonly grace: number;
  private readonly flushMs: number;

  constructor(private readonly options: CommandRunnerOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
    this.limit = options.outputLimitBytes ?? 256 * 1024;
    this.tail = options.snapshotTailBytes ?? 32 * 1024;
    this.grace = options.killGraceMs ?? 3_000;
    this.flushMs = options.flushMs ?? 50;
  }

  /** Starts a run and answers at once; the hosts run in the background, `concurrency` at a time. */
  start(request: RunRequest, actor: RunActor): CommandRun {
    const names = request.hosts.map((id) => {
      const name = this.options.hosts.name(id);
      if (name === undefined) throw new ApiError('not_found', `There is no saved host with id "${id}".`);
      return name;
    });
    const startedAt = this.now();
    const jobs: HostJob[] = request.hosts.map((id, position) => ({
      position,
      result: {
        host: id,
        name: names[position]!,
        state: 'queued',
        exitCode: null,
        signal: null,
        startedAt: null,
        finishedAt: null,
        durationMs: null,
        outputBytes: 0,
        truncated: false,
        error: null,
      },
      chunks: [],
      keptBytes: 0,
      decoders: { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') },
      channel: undefined,
      abort: new AbortController(),
      stopReason: undefined,
      timers: [],
    }));
    const run: CommandRun = {
      id: newId(),
      command: request.command,
      actor: actor.id,
      state: 'running',
      startedAt,
      finishedAt: null,
      timeoutSec: request.timeoutSec,
      concurrency: request.concurrency,
      hosts: jobs.map((j) => j.result),
      summary: summarize(jobs.map((j) => j.result)),
    };
    this.options.store.insertRun(run);
    let resolveDone: (run: CommandRun) => void = () => {};
    const done = new Promise<CommandRun>((resolve) => (resolveDone = resolve));
    const active: ActiveRun = {
      run,
      jobs,
      queue: [...jobs],
      running: 0,
      cancelled: false,
      actor,
      listeners: new Set(),
      pendingOutput: [],
      pendingHosts: new Set(),
      flushTimer: undefined,
      done,
      resolveDone,
    };
    this.active.set(run.id, active);
    this.announce(active);
    this.pump(active);
    return this.snapshotRun(active);
  }

  /** Stops a whole run, or one host of it. Hosts still queued never start. */
  cancel(runId: string, hostId?: string): CommandRun {
    const active = this.active.get(runId);
    if (!active) {
      const past = this.options.store.getRun(runId);
      if (!past) throw new ApiError('not_found', 'There is no such run.');
      return past; // already over: nothing to stop
    }
    const jobs = hostId ? active.jobs.filter((j) => j.result.host === hostId) : active.jobs;
    if (hostId && jobs.length === 0)
      throw new ApiError('not_found', `Host "${hostId}" is not part of this run.`);
    if (!hostId) active.cancelled = true;
    for (const job of jobs) this.stop(active, job, 'cancelled');
    return this.snapshotRun(active);
  }

  get(runId: string): CommandRun {
    const active = this.active.get(runId);
    if (active) return this.snapshotRun(active);
    const past = this.options.store.getRun(runId);
    if (!past) throw new ApiError('not_found', 'There is no such run.');
    return past;
  }

  output(runId: string, hostId: string): HostOutput {
    const job = this.active.get(runId)?.jobs.find((j) => j.result.host === hostId);
    if (job) {
      return {
        host: hostId,
        chunks: job.chunks.map((c) => ({ ...c })),
        outputBytes: job.result.outputBytes,
        truncated: job.result.truncated,
      };
    }
    const stored = this.options.store.output(runId, hostId);
    if (!stored) throw new ApiError('not_found', 'There is no such run, or the host is not part of it.');
    return stored;
  }

  /** Resolves when the run has ended on every host. */
  wait(runId: string): Promise<CommandRun> {
    const active = this.active.get(runId);
    return active ? active.done : Promise.resolve(this.get(runId));
  }

  activeRuns(): CommandRun[] {
    return [...this.active.values()].map((a) => this.snapshotRun(a));
  }

  deleteRun(runId: string): void {
    if (this.active.has(runId))
      throw new ApiError('conflict', 'The run is still going: cancel it or wait for it to end first.');
    if (!this.options.store.deleteRun(runId)) throw new ApiError('not_found', 'There is no such run.');
    for (const listener of this.runListeners) listener({ id: runId } as CommandRun, true);
  }

  /** Told about each run as it starts, changes (summary) and ends, and about deleted runs. */
  onRunChanged(listener: (run: CommandRun, deleted?: boolean) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  /** Snapshot first (the run and each host's output tail), then new output and changed hosts. */
  subscribe(runId: string, listener: LiveListener): () => void {
    const active = this.active.get(runId);
    if (!active) {
      const run = this.get(runId);
      const output: OutputChunk[] = [];
      const omitted: Record<string, number> = {};
      for (const h of run.hosts) {
        const stored = this.options.store.output(runId, h.host);
        if (!stored) continue;
        const { chunks, skipped } = tailOf(stored.chunks, this.tail);
        for (const c of chunks) output.push({ host: h.host, ...c });
        if (skipped > 0) omitted[h.host] = skipped;
      }
      listener({ snapshot: true, run, output, omitted });
      return () => {};
    }
    // Output not sent yet goes to the earlier listeners first: the snapshot already holds it.
    this.flush(active);
    const output: OutputChunk[] = [];
    const omitted: Record<string, number> = {};
    for (const job of active.jobs) {
      const { chunks, skipped } = tailOf(job.chunks, this.tail);
      for (const c of chunks) output.push({ host: job.result.host, ...c });
      if (skipped > 0) omitted[job.result.host] = skipped;
    }
    listener({ snapshot: true, run: this.snapshotRun(active), output, omitted });
    active.listeners.add(listener);
    return () => active.listeners.delete(listener);
  }

  /** Cancels everything still running (Hyperion is stopping) and waits for the runs to end. */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const active of runs) this.cancel(active.run.id);
    await Promise.all(runs.map((a) => a.done));
  }

  private snapshotRun(active: ActiveRun): CommandRun {
    const hosts = active.jobs.map((j) => ({ ...j.result }));
    return { ...active.run, hosts, summary: summarize(hosts) };
  }

  /** Starts queued hosts while there is room. */
  private pump(active: ActiveRun): void {
    while (active.running < active.run.concurrency && active.queue.length > 0) {
      const job = active.queue.shift()!;
      if (FINAL.has(job.result.state)) continue;
      active.running++;
      void this.runHost(active, job)
        .catch((err: unknown) => {
          this.log.error('command run failed on a host', { host: job.result.host, error: String(err) });
          this.finish(active, job, 'failed', {
            error: 'Something went wrong inside Hyperion while the command ran.',
          });
        })
        .finally(() => {
          active.running--;
          this.pump(active);
          this.maybeFinishRun(active);
        });
    }
    this.maybeFinishRun(active);
  }

  private async runHost(active: ActiveRun, job: HostJob): Promise<void> {
    const { result } = job;
    this.setState(active, job, 'running');
    const acquired = await this.options.hosts.acquire(result.host, job.abort.signal);
    if (job.stopReason) {
      if (acquired.ok) acquired.release();
      return this.finish(active, job, job.stopReason, { error: stopMessage(job.stopReason, active) });
    }
    if (!acquired.ok) return this.finish(active, job, 'unreachable', { error: acquired.error });
    try {
      result.startedAt = this.now();
      const opened = await acquired.connection.exec(active.run.command);
      if (!opened.ok) return this.finish(active, job, 'unreachable', { error: opened.error.message });
      const channel = opened.value;
      job.channel = channel;
      // The command reads no input: it sees end-of-file at once, as under `ssh host cmd < /dev/null`.
      channel.stdin.end();
      const ended = Promise.all([
        endOf(channel.stdout, (chunk) => this.append(active, job, 'stdout', chunk)),
        endOf(channel.stderr, (chunk) => this.append(active, job, 'stderr', chunk)),
      ]);
      job.timers.push(setTimeout(() => this.stop(active, job, 'timed_out'), active.run.timeoutSec * 1000));
      if (job.stopReason) this.signalStop(job); // cancelled while the channel opened
      const exit = await channel.exit;
      await Promise.race([ended, delay(DRAIN_MS)]);
      this.flushDecoders(active, job);
      this.finishFromExit(active, job, exit, acquired.connection.label);
    } finally {
      acquired.release();
    }
  }

  private finishFromExit(active: ActiveRun, job: HostJob, exit: ExecExit, label: string): void {
    const base = { exitCode: exit.code, signal: exit.signal };
    if (job.stopReason) {
      return this.finish(active, job, job.stopReason, {
        ...base,
        error: stopMessage(job.stopReason, active),
      });
    }
    if (exit.code === 0) return this.finish(active, job, 'succeeded', base);
    if (exit.code !== null)
      return this.finish(active, job, 'failed', { ...base, error: `Exited with status ${exit.code}.` });
    if (exit.signal)
      return this.finish(active, job, 'failed', { ...base, error: `Killed by ${exit.signal}.` });
    this.finish(active, job, 'failed', {
      ...base,
      error: `The connection to ${label} was lost while the command ran; it may still be running there.`,
    });
  }

  /** SIGTERM to the process group, SIGKILL after a grace period, then the channel is closed. */
  private stop(active: ActiveRun, job: HostJob, reason: StopReason): void {
    if (FINAL.has(job.result.state) || job.stopReason) return;
    job.stopReason = reason;
    if (job.result.state === 'queued') {
      this.finish(active, job, reason, { error: stopMessage(reason, active) });
      return;
    }
    job.abort.abort();
    // Without a channel yet, runHost sees stopReason once the channel opens (or never opens).
    if (job.channel) this.signalStop(job);
  }

  private signalStop(job: HostJob): void {
    const channel = job.channel;
    if (!channel) return;
    channel.signal('TERM');
    job.timers.push(
      setTimeout(() => {
        channel.signal('KILL');
        job.timers.push(setTimeout(() => channel.close(), this.grace));
      }, this.grace),
    );
  }

  private append(active: ActiveRun, job: HostJob, stream: OutputStream, chunk: Buffer): void {
    job.result.outputBytes += chunk.length;
    if (job.keptBytes >= this.limit) {
      job.result.truncated = true;
      active.pendingHosts.add(job);
      this.scheduleFlush(active);
      return;
    }
    const room = this.limit - job.keptBytes;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) job.result.truncated = true;
    job.keptBytes += kept.length;
    this.keep(active, job, stream, job.decoders[stream].write(kept));
  }

  private flushDecoders(active: ActiveRun, job: HostJob): void {
    for (const stream of ['stdout', 'stderr'] as const)
      this.keep(active, job, stream, job.decoders[stream].end());
  }

  private keep(active: ActiveRun, job: HostJob, stream: OutputStream, text: string): void {
    if (!text) return;
    const last = job.chunks[job.chunks.length - 1];
    if (last && last.stream === stream) last.text += text;
    else job.chunks.push({ stream, text });
    const pending = active.pendingOutput[active.pendingOutput.length - 1];
    if (pending && pending.host === job.result.host && pending.stream === stream) pending.text += text;
    else active.pendingOutput.push({ host: job.result.host, stream, text });
    active.pendingHosts.add(job);
    this.scheduleFlush(active);
  }

  private setState(active: ActiveRun, job: HostJob, state: CommandHostState): void {
    job.result.state = state;
    active.pendingHosts.add(job);
    this.scheduleFlush(active);
  }

  private finish(
    active: ActiveRun,
    job: HostJob,
    state: CommandHostState,
    details: { exitCode?: number | null; signal?: string | null; error?: string | null },
  ): void {
    if (FINAL.has(job.result.state)) return;
    for (const timer of job.timers) clearTimeout(timer);
    job.timers = [];
    const { result } = job;
    const finishedAt = this.now();
    result.state = state;
    result.exitCode = details.exitCode ?? null;
    result.signal = details.signal ?? null;
    result.error = details.error ?? null;
    result.finishedAt = finishedAt;
    result.durationMs = result.startedAt === null ? null : finishedAt - result.startedAt;
    try {
      this.options.store.updateHost(active.run.id, job.position, result, job.chunks);
    } catch (err) {
      this.log.error('command result not stored', { run: active.run.id, error: String(err) });
    }
    try {
      this.options.audit?.({
        actor: active.actor.id,
        via: active.actor.via,
        address: active.actor.address ?? null,
        host: result.host,
        action: 'commands.result',
        target: active.run.command.slice(0, 500),
        args: {
          run: active.run.id,
          state,
          exitCode: result.exitCode,
          signal: result.signal,
          durationMs: result.durationMs,
          outputBytes: result.outputBytes,
        },
        result: state === 'succeeded' ? 'ok' : 'failed',
        error: result.error,
      });
    } catch (err) {
      this.log.error('command result not audited', { run: active.run.id, error: String(err) });
    }
    active.pendingHosts.add(job);
    this.scheduleFlush(active);
  }

  private maybeFinishRun(active: ActiveRun): void {
    if (active.run.state !== 'running') return;
    if (!active.jobs.every((j) => FINAL.has(j.result.state)) || active.running > 0) return;
    active.run.state = active.cancelled ? 'cancelled' : 'finished';
    active.run.finishedAt = this.now();
    try {
      this.options.store.finishRun(active.run.id, active.run.state, active.run.finishedAt);
    } catch (err) {
      this.log.error('command run end not stored', { run: active.run.id, error: String(err) });
    }
    this.flush(active);
    this.active.delete(active.run.id);
    active.resolveDone(this.snapshotRun(active));
  }

  private scheduleFlush(active: ActiveRun): void {
    if (active.flushTimer) return;
    active.flushTimer = setTimeout(() => {
      active.flushTimer = undefined;
      this.flush(active);
    }, this.flushMs);
  }

  /** One event per tick for every listener: output since the last one and the hosts that changed. */
  private flush(active: ActiveRun): void {
    if (active.flushTimer) {
      clearTimeout(active.flushTimer);
      active.flushTimer = undefined;
    }
    if (active.pendingHosts.size === 0 && active.pendingOutput.length === 0 && active.run.state === 'running')
      return;
    let size = 0;
    let take = 0;
    while (take < active.pendingOutput.length && size < MAX_EVENT_OUTPUT) {
      size += active.pendingOutput[take]!.text.length;
      take++;
    }
    const output = active.pendingOutput.splice(0, take);
    const changed = [...active.pendingHosts].map((j) => ({ ...j.result }));
    active.pendingHosts.clear();
    const hosts = active.jobs.map((j) => j.result);
    const event: CommandLiveEvent = {
      snapshot: false,
      run: { ...active.run, hosts: changed, summary: summarize(hosts) },
      output,
    };
    for (const listener of active.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error('command listener failed', { error: String(err) });
      }
    }
    if (changed.length > 0 || active.run.state !== 'running') this.announce(active);
    if (active.pendingOutput.length > 0) this.scheduleFlush(active);
  }

  private announce(active: ActiveRun): void {
    const run = this.snapshotRun(active);
    for (const listener of this.runListeners) {
      try {
        listener(run);
      } catch (err) {
        this.log.error('run listener failed', { error: String(err) });
      }
    }
  }
}

function stopMessage(reason: StopReason, active: ActiveRun): string {
  return reason === 'timed_out' ? `Stopped after the ${active.run.timeoutSec} s timeout.` : 'Cancelled.';
}

/** The last `bytes` (about) of a host's output, and how much was left out before it. */
function tailOf(chunks: readonly KeptChunk[], bytes: number): { chunks: KeptChunk[]; skipped: number } {
  const out: KeptChunk[] = [];
  let size = 0;
  let skipped = 0;
  for (let i = chunks.length - 1; i >= 0; i--) {
    const chunk = chunks[i]!;
    const length = Buffer.byteLength(chunk.text);
    if (size >= bytes) {
      skipped += length;
      continue;
    }
    if (size + length > bytes) {
      const keep = chunk.text.slice(chunk.text.length - (bytes - size));
      skipped += length - Buffer.byteLength(keep);
      out.unshift({ stream: chunk.stream, text: keep });
      size = bytes;
      continue;
    }
    out.unshift({ ...chunk });
    size += length;
  }
  return { chunks: out, skipped };
}

function endOf(stream: NodeJS.ReadableStream, onData: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer | string) =>
      onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
