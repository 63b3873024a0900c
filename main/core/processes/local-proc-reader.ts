// Reads this computer's process table straight from /proc: the same texts the SSH script prints,
// handed to the same parsers. Reads in slices so a table of thousands of processes never holds the
// event loop for long.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcFiles } from './proc-parse';
import type { ProcTexts } from './ps-output';

/** Processes read between two turns of the event loop. */
const SLICE = 400;

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

export class LocalProcReader {
  private readonly proc: string;
  private readonly etc: string;

  constructor(root = '/') {
    this.proc = join(root, 'proc');
    this.etc = join(root, 'etc');
  }

  /** One process's files, or undefined when it is gone. */
  readProcess(pid: number): ProcFiles | undefined {
    const dir = join(this.proc, String(pid));
    const stat = utf8(read(join(dir, 'stat')));
    if (stat === undefined) return undefined;
    return {
      stat: stat.replace(/\n$/, ''),
      status: read(join(dir, 'status')),
      cmdline: utf8(read(join(dir, 'cmdline'))),
      io: read(join(dir, 'io')),
      cgroup: read(join(dir, 'cgroup')),
    };
  }

  async read(): Promise<ProcTexts & { bytes: number }> {
    const pids = readdirSync(this.proc)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
    const processes = new Map<number, ProcFiles>();
    let bytes = 0;
    for (let i = 0; i < pids.length; i++) {
      if (i > 0 && i % SLICE === 0) await new Promise((r) => setImmediate(r));
      const files = this.readProcess(pids[i]!);
      if (!files) continue;
      processes.set(pids[i]!, files);
      bytes +=
        files.stat.length +
        (files.status?.length ?? 0) +
        (files.cmdline?.length ?? 0) +
        (files.io?.length ?? 0) +
        (files.cgroup?.length ?? 0);
    }
    return {
      uptime: read(join(this.proc, 'uptime')) ?? '',
      stat: read(join(this.proc, 'stat')) ?? '',
      meminfo: read(join(this.proc, 'meminfo')) ?? '',
      passwd: read(join(this.etc, 'passwd')) ?? '',
      processes,
      bytes,
    };
  }
}
