// Splits the output of the process-table script back into the texts the local reader would have
// read: host facts, and each process's stat, status, io, cgroup and cmdline.
import { parseOwners, type ProcFiles } from './proc-parse';

export interface ProcTexts {
  uptime: string;
  stat: string;
  meminfo: string;
  passwd: string;
  pagesize: string;
  processes: Map<number, ProcFiles>;
}

/** The script's sections in order; only the next one expected may begin. */
const SECTIONS = ['uptime', 'stat', 'meminfo', 'passwd', 'pagesize', 'pstat', 'powner', 'pio', 'pcgroup'];
const CMDLINE_MARK = '\n@@pcmdline\n';

/** `PID/file:content` lines grouped by PID, in order, joined back with their line breaks. */
function byPid(lines: string[], file: string): Map<number, string> {
  const out = new Map<number, string[]>();
  const prefix = new RegExp(`^(\\d+)/${file}:`);
  for (const line of lines) {
    const m = prefix.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const content = line.slice(m[0].length);
    const list = out.get(pid);
    if (list) list.push(content);
    else out.set(pid, [content]);
  }
  return new Map([...out].map(([pid, l]) => [pid, l.join('\n') + '\n']));
}

export function parsePsOutput(output: string): ProcTexts {
  // Every line of the cgroup section starts with a PID, so the first mark after it is the real one.
  const cgroupAt = output.indexOf('\n@@pcgroup\n');
  const cmdlineAt = cgroupAt >= 0 ? output.indexOf(CMDLINE_MARK, cgroupAt) : -1;
  const head = cmdlineAt >= 0 ? output.slice(0, cmdlineAt) : output;
  const cmdlineText = cmdlineAt >= 0 ? output.slice(cmdlineAt + CMDLINE_MARK.length) : '';
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  let next = 0;
  for (const line of head.split('\n')) {
    if (next < SECTIONS.length && line === `@@${SECTIONS[next]}`) {
      current = [];
      sections.set(SECTIONS[next]!, current);
      next++;
    } else current?.push(line);
  }
  const text = (name: string) => (sections.get(name) ?? []).join('\n');
  const lines = (name: string) => sections.get(name) ?? [];

  const stat = byPid(lines('pstat'), 'stat');
  const owners = parseOwners(text('powner'));
  const io = byPid(lines('pio'), 'io');
  const cgroup = byPid(lines('pcgroup'), 'cgroup');
  const cmdline = new Map<number, string>();
  for (const record of cmdlineText.split('\0')) {
    const m = /^(\d+)\/cmdline:/.exec(record);
    if (!m) continue;
    const pid = Number(m[1]);
    cmdline.set(pid, (cmdline.get(pid) ?? '') + record.slice(m[0].length) + '\0');
  }
  const processes = new Map<number, ProcFiles>();
  for (const [pid, statText] of stat) {
    processes.set(pid, {
      // stat is one line: the trailing newline restored by byPid is harmless to the parser.
      stat: statText.replace(/\n$/, ''),
      uid: owners.get(pid),
      io: io.get(pid),
      cgroup: cgroup.get(pid),
      cmdline: cmdline.get(pid),
    });
  }
  return {
    uptime: text('uptime'),
    stat: text('stat'),
    meminfo: text('meminfo'),
    passwd: text('passwd'),
    pagesize: text('pagesize'),
    processes,
  };
}
