// The process table of any host and the actions on one process. A table is read only while someone
// watches it (one reader per host, however many watch), and every action re-reads the process
// first: it must exist, and be the one the person confirmed (same start time), before anything runs.
import { setPriority } from 'node:os';
import { ApiError } from '../../../common/errors';
import type {
  ProcessActionResult,
  ProcessesLiveEvent,
  ProcessRow,
  ProcessTableInfo,
  SignalName,
} from '../../../common/schemas/processes';
import { commandFailed, runEscalating } from '../actions/escalate';
import type { HostRunner } from '../actions/host-runner';
import { privilegeError } from '../actions/privilege';
import type { RunnerSource } from '../actions/runners';
import type { Logger } from '../log';
import { LocalProcReader } from './local-proc-reader';
import { parseProcess, type RawProcess } from './proc-parse';
import { parsePsOutput, type ProcTexts } from './ps-output';
import { psCommand } from './ps-script';
import { diffRows, readingFromTexts, readingNotes, tableRows, type ProcReading } from './process-table';

export interface ProcessServiceOptions {
  runners: RunnerSource;
  /** Where /proc of this computer is (tests use fixture trees). */
  procRoot?: string;
  log: Logger;
  /** Restarts a unit: the services part does it, with the same checks as its own action. */
  restartUnit: (host: string, unit: string) => Promise<{ message: string }>;
  /** The first reading has no CPU %; the second follows after this long (default 700 ms). */
  secondReadingMs?: number;
}

type Emit = (event: ProcessesLiveEvent) => void;

interface Watcher {
  intervalMs: number;
  emit: Emit;
}

interface HostWatch {
  watchers: Set<Watcher>;
  rows: Map<number, ProcessRow>;
  info: ProcessTableInfo | undefined;
  previous: ProcReading | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  reading: boolean;
  /** The next event must be a whole table (first, or after the host was unavailable). */
  needSnapshot: boolean;
  stopped: boolean;
}

/** A fixed script: the host facts and one process's stat, status and cgroup, framed like psCommand. */
const ONE_PROCESS_SCRIPT = [
  'cd /proc || exit 3',
  "printf '@@uptime\\n@@stat\\n@@meminfo\\n@@passwd\\n@@pagesize\\n@@pstat\\n'; grep -sH '' \"$1\"/stat",
  "printf '@@powner\\n'; stat -c '%u %n' \"$1\" 2>/dev/null",
  "printf '@@pio\\n@@pcgroup\\n'; grep -sH -e '^0::' -e ':name=systemd:' \"$1\"/cgroup",
  'exit 0',
].join('; ');

export class ProcessService {
  private readonly watches = new Map<string, HostWatch>();
  private readonly local: LocalProcReader;

  constructor(private readonly options: ProcessServiceOptions) {
    this.local = new LocalProcReader(options.procRoot);
  }

  /** One reading of a host's table (CPU % is null: it needs two). */
  async list(host: string): Promise<{ info: ProcessTableInfo; processes: ProcessRow[] }> {
    const { reading, passwd, info } = await this.readOnce(this.options.runners.runnerFor(host));
    return { info, processes: tableRows(reading, undefined, passwd) };
  }

  /** Watches a host's table: the whole table first, then what changed, every interval. */
  watch(host: string, intervalMs: number, emit: Emit): () => void {
    // Refuse an unknown host at once rather than inside the loop.
    this.options.runners.runnerFor(host);
    let watch = this.watches.get(host);
    const watcher: Watcher = { intervalMs, emit };
    if (!watch) {
      watch = {
        watchers: new Set(),
        rows: new Map(),
        info: undefined,
        previous: undefined,
        timer: undefined,
        reading: false,
        needSnapshot: true,
        stopped: false,
      };
      this.watches.set(host, watch);
      watch.watchers.add(watcher);
      void this.tick(host, watch);
    } else {
      watch.watchers.add(watcher);
      if (watch.info && !watch.needSnapshot) {
        emit({ kind: 'snapshot', info: watch.info, processes: [...watch.rows.values()] });
      }
    }
    const current = watch;
    return () => {
      current.watchers.delete(watcher);
      if (current.watchers.size > 0) return;
      current.stopped = true;
      if (current.timer) clearTimeout(current.timer);
      if (this.watches.get(host) === current) this.watches.delete(host);
    };
  }

  /** Hosts whose table is being read now (tests and the bench check that nothing reads unwatched). */
  watchedHosts(): string[] {
    return [...this.watches.keys()];
  }

  stop(): void {
    for (const watch of this.watches.values()) {
      watch.stopped = true;
      if (watch.timer) clearTimeout(watch.timer);
    }
    this.watches.clear();
  }

  async signal(
    host: string,
    pid: number,
    signal: SignalName,
    expect?: { startTicks: number },
  ): Promise<ProcessActionResult> {
    const runner = this.options.runners.runnerFor(host);
    const p = await this.confirmProcess(runner, pid, expect);
    const what = `Sending SIG${signal} to ${p.name} (PID ${pid})`;
    if (runner.local) {
      try {
        process.kill(pid, `SIG${signal}`);
      } catch (err) {
        throw this.localError(err, what, runner, pid);
      }
    } else {
      const out = await runEscalating(runner, ['kill', '-s', signal, '--', String(pid)], what);
      if (out.code !== 0) {
        if (/no such process/i.test(out.stderr)) throw gone(pid, runner.label);
        throw commandFailed(what, runner.label, out);
      }
    }
    return { ok: true, message: `Sent SIG${signal} to ${p.name} (PID ${pid}) on ${runner.label}.` };
  }

  async renice(
    host: string,
    pid: number,
    nice: number,
    expect?: { startTicks: number },
  ): Promise<ProcessActionResult> {
    const runner = this.options.runners.runnerFor(host);
    const p = await this.confirmProcess(runner, pid, expect);
    const what = `Setting the nice value of ${p.name} (PID ${pid}) to ${nice}`;
    if (runner.local) {
      try {
        setPriority(pid, nice);
      } catch (err) {
        throw this.localError(err, what, runner, pid);
      }
    } else {
      // "renice N -p PID" sets N (util-linux, BSD, BusyBox); "-n" means an increment in some of them.
      const out = await runEscalating(runner, ['renice', String(nice), '-p', String(pid)], what);
      if (out.code !== 0) {
        if (/no such process/i.test(out.stderr)) throw gone(pid, runner.label);
        throw commandFailed(what, runner.label, out);
      }
    }
    const after = await this.readProcess(runner, pid);
    if (!after) throw gone(pid, runner.label);
    // Only the main thread is reniced: its value is what /proc/PID/stat reports.
    if (after.nice !== nice) {
      throw new ApiError('conflict', `${what} did not take effect on ${runner.label}: it is ${after.nice}.`, {
        nice: after.nice,
      });
    }
    return {
      ok: true,
      message: `${p.name} (PID ${pid}) on ${runner.label} now runs at nice ${after.nice}.`,
      nice: after.nice,
    };
  }

  async restartService(
    host: string,
    pid: number,
    expect?: { startTicks: number },
  ): Promise<ProcessActionResult> {
    const runner = this.options.runners.runnerFor(host);
    const p = await this.confirmProcess(runner, pid, expect);
    if (p.userUnit) {
      throw new ApiError(
        'conflict',
        `${p.name} (PID ${pid}) belongs to ${p.userUnit} of a user's own systemd, not a system service: restart it as that user.`,
      );
    }
    if (!p.unit) {
      throw new ApiError(
        'conflict',
        `${p.name} (PID ${pid}) on ${runner.label} does not belong to a system service.`,
      );
    }
    const done = await this.options.restartUnit(host, p.unit);
    return { ok: true, message: done.message, unit: p.unit };
  }

  private async confirmProcess(
    runner: HostRunner,
    pid: number,
    expect: { startTicks: number } | undefined,
  ): Promise<RawProcess> {
    const p = await this.readProcess(runner, pid);
    if (!p) throw gone(pid, runner.label);
    if (expect && expect.startTicks !== p.startTicks) {
      throw new ApiError(
        'conflict',
        `PID ${pid} on ${runner.label} is now another process (${p.name}): nothing was done. Look at the table again.`,
        { startTicks: p.startTicks },
      );
    }
    return p;
  }

  /** One process as it is now, or undefined when there is none with that PID. */
  private async readProcess(runner: HostRunner, pid: number): Promise<RawProcess | undefined> {
    if (runner.local) {
      const files = this.local.readProcess(pid);
      return files ? parseProcess(files) : undefined;
    }
    const out = await runner.run(['sh', '-c', ONE_PROCESS_SCRIPT, 'hyperion-proc', String(pid)]);
    const files = parsePsOutput(out.stdout).processes.get(pid);
    const p = files ? parseProcess(files) : undefined;
    return p?.pid === pid ? p : undefined;
  }

  private localError(err: unknown, what: string, runner: HostRunner, pid: number): ApiError {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return gone(pid, runner.label);
    if (code === 'EPERM' || code === 'EACCES') return privilegeError(what, runner.label);
    return new ApiError('internal', `${what} failed on ${runner.label}.`, { cause: String(err) });
  }

  private async readOnce(
    runner: HostRunner,
  ): Promise<{ reading: ProcReading; passwd: string; info: ProcessTableInfo }> {
    const began = performance.now();
    let texts: ProcTexts;
    let bytes: number;
    if (runner.local) {
      if (!this.options.procRoot && process.platform !== 'linux') {
        throw new ApiError(
          'unavailable',
          `The process table of this computer is read from Linux's /proc; ${process.platform} is not supported yet.`,
        );
      }
      const read = await this.local.read();
      texts = read;
      bytes = read.bytes;
    } else {
      const out = await runner.run(psCommand(), { timeoutMs: 30_000 });
      if (out.code !== 0 && !out.stdout.includes('@@pstat')) {
        throw new ApiError('unavailable', `${runner.label} did not return its process table.`, {
          code: out.code,
        });
      }
      texts = parsePsOutput(out.stdout);
      bytes = out.bytes;
    }
    const reading = readingFromTexts(texts);
    const info: ProcessTableInfo = {
      ts: Date.now(),
      cores: reading.facts.cores,
      memTotalBytes: reading.facts.memTotalBytes,
      readMs: Math.round(performance.now() - began),
      bytes,
      notes: readingNotes(reading),
    };
    return { reading, passwd: texts.passwd, info };
  }

  private async tick(host: string, watch: HostWatch): Promise<void> {
    if (watch.stopped) return;
    const began = Date.now();
    let delay = Math.min(...[...watch.watchers].map((w) => w.intervalMs));
    try {
      const runner = this.options.runners.runnerFor(host);
      const { reading, passwd, info } = await this.readOnce(runner);
      if (watch.stopped) return;
      const rows = tableRows(reading, watch.previous, passwd);
      const firstReading = watch.previous === undefined;
      watch.previous = reading;
      watch.info = info;
      if (watch.needSnapshot) {
        watch.needSnapshot = false;
        watch.rows = new Map(rows.map((r) => [r.pid, r]));
        this.broadcast(watch, { kind: 'snapshot', info, processes: rows });
      } else {
        const { upserts, removed } = diffRows(watch.rows, rows);
        watch.rows = new Map(rows.map((r) => [r.pid, r]));
        this.broadcast(watch, { kind: 'changes', info, upserts, removed });
      }
      if (firstReading) delay = Math.min(delay, this.options.secondReadingMs ?? 700);
    } catch (err) {
      if (watch.stopped) return;
      const message = err instanceof ApiError ? err.message : 'The process table could not be read.';
      if (!(err instanceof ApiError))
        this.options.log.warn('process table read failed', { host, error: String(err) });
      watch.needSnapshot = true;
      watch.previous = undefined;
      this.broadcast(watch, { kind: 'unavailable', message });
    }
    if (watch.stopped) return;
    const wait = Math.max(100, delay - (Date.now() - began));
    watch.timer = setTimeout(() => void this.tick(host, watch), wait);
  }

  private broadcast(watch: HostWatch, event: ProcessesLiveEvent): void {
    for (const w of watch.watchers) {
      try {
        w.emit(event);
      } catch (err) {
        this.options.log.error('process table subscriber failed', { error: String(err) });
      }
    }
  }
}

function gone(pid: number, label: string): ApiError {
  return new ApiError('not_found', `There is no process with PID ${pid} on ${label}.`, { pid });
}
