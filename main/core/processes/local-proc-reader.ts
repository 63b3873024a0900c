// Reads this computer's process table straight from /proc: the same texts the SSH script prints,
// handed to the same parsers. Reads in slices so a table of thousands of processes never holds the
// event loop for long, and keeps a process's command line and cgroup between readings (they seldom
// change; re-read every few readings), so a refresh reads mostly stat and io. Another user's io,
// which the kernel refuses, is not asked for again every reading.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcFiles } from './proc-parse';
import type { ProcTexts } from './ps-output';

/** Processes read between two turns of the event loop. */
const SLICE = 400;
/** A kept command line is read again after this many readings (setproctitle changes it). */
const CMDLINE_EVERY = 5;
const CGROUP_EVERY = 10;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

/** /proc text is bytes; names and arguments are usually UTF-8. latin1 keeps NULs; decode after. */
function utf8(text: string | undefined): string | undefined {
  return text === undefined ? undefined : Buffer.from(text, 'latin1').toString('utf8');
}

const scratch = Buffer.allocUnsafe(16_384);

/**
 * A small /proc file in one read: open, read, close (readFileSync makes several calls for files
 * whose size reads as 0, which all of /proc does). Larger files fall back to readFileSync.
 */
function readSmall(path: string, encoding: 'utf8' | 'latin1'): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const n = readSync(fd, scratch, 0, scratch.length, 0);
    if (n < scratch.length) return scratch.toString(encoding, 0, n);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
  try {
    return readFileSync(path, encoding);
  } catch {
    return undefined;
  }
}

/** The name and field 22 (starttime) of a stat line: an exec changes the first, a new process both. */
function identityOf(stat: string): string {
  const close = stat.lastIndexOf(')');
  return `${stat.slice(0, close)}|${stat.slice(close + 2).split(' ', 20)[19] ?? ''}`;
}

function pageSize(): string {
  try {
    return execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' });
  } catch {
    return '4096';
  }
}

interface Kept {
  start: string;
  cmdline: string | undefined;
  cgroup: string | undefined;
  cmdlineAt: number;
  cgroupAt: number;
  /** The reading in which io was last refused (another user's process): not tried again for a while. */
  ioRefusedAt: number;
}

export class LocalProcReader {
  private readonly proc: string;
  private readonly etc: string;
  private readonly kept = new Map<number, Kept>();
  private round = 0;
  private pagesize: string | undefined;

  constructor(root = '/') {
    this.proc = join(root, 'proc');
    this.etc = join(root, 'etc');
  }

  /** One process's files, read now, or undefined when it is gone. */
  readProcess(pid: number): ProcFiles | undefined {
    const dir = join(this.proc, String(pid));
    const stat = utf8(read(join(dir, 'stat')));
    if (stat === undefined) return undefined;
    return {
      stat: stat.replace(/\n$/, ''),
      uid: this.owner(dir),
      cmdline: utf8(read(join(dir, 'cmdline'))),
      io: read(join(dir, 'io')),
      cgroup: read(join(dir, 'cgroup')),
    };
  }

  async read(): Promise<ProcTexts & { bytes: number }> {
    this.round++;
    this.pagesize ??= pageSize();
    const pids = readdirSync(this.proc)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
    const processes = new Map<number, ProcFiles>();
    let bytes = 0;
    for (let i = 0; i < pids.length; i++) {
      if (i > 0 && i % SLICE === 0) await new Promise((r) => setImmediate(r));
      const pid = pids[i]!;
      const files = this.readKept(pid);
      if (!files) continue;
      processes.set(pid, files);
      bytes += files.stat.length + (files.io?.length ?? 0);
    }
    for (const pid of this.kept.keys()) if (!processes.has(pid)) this.kept.delete(pid);
    return {
      uptime: read(join(this.proc, 'uptime')) ?? '',
      stat: read(join(this.proc, 'stat')) ?? '',
      meminfo: read(join(this.proc, 'meminfo')) ?? '',
      passwd: read(join(this.etc, 'passwd')) ?? '',
      pagesize: this.pagesize,
      processes,
      bytes,
    };
  }

  private readKept(pid: number): ProcFiles | undefined {
    const dir = `${this.proc}/${pid}`;
    const raw = readSmall(`${dir}/stat`, 'utf8');
    if (raw === undefined) return undefined;
    const stat = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
    const start = identityOf(stat);
    let kept = this.kept.get(pid);
    if (!kept || kept.start !== start) {
      kept = {
        start,
        cmdline: undefined,
        cgroup: undefined,
        cmdlineAt: -Infinity,
        cgroupAt: -Infinity,
        ioRefusedAt: -Infinity,
      };
      this.kept.set(pid, kept);
    }
    if (this.round - kept.cmdlineAt >= CMDLINE_EVERY) {
      kept.cmdline = readSmall(`${dir}/cmdline`, 'utf8');
      kept.cmdlineAt = this.round;
    }
    if (this.round - kept.cgroupAt >= CGROUP_EVERY) {
      kept.cgroup = readSmall(`${dir}/cgroup`, 'latin1');
      kept.cgroupAt = this.round;
    }
    let io: string | undefined;
    if (this.round - kept.ioRefusedAt >= CGROUP_EVERY) {
      io = readSmall(`${dir}/io`, 'latin1');
      if (io === undefined) kept.ioRefusedAt = this.round;
    }
    return { stat, uid: this.owner(dir), cmdline: kept.cmdline, io, cgroup: kept.cgroup };
  }

  private owner(dir: string): number | undefined {
    // No exception for a process that has just gone: throwing costs more than the stat.
    return statSync(dir, { throwIfNoEntry: false })?.uid;
  }
}
