// Pure parsers for one process's /proc files and the host facts a process table needs. The local
// reader and the SSH script hand the same texts to these functions.

export interface StatFields {
  pid: number;
  name: string;
  state: string;
  ppid: number;
  utimeTicks: number;
  stimeTicks: number;
  priority: number;
  nice: number;
  threads: number;
  startTicks: number;
  vszBytes: number;
  rssPages: number;
}

/**
 * /proc/PID/stat: "pid (comm) state ppid …". comm may hold spaces, parentheses and even line
 * breaks, so it is everything between the first "(" and the last ")".
 */
export function parseStat(text: string): StatFields | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open <= 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open));
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3].
  if (rest.length < 22) return undefined;
  const num = (field: number) => Number(rest[field - 3]);
  const fields: StatFields = {
    pid,
    name: text.slice(open + 2, close),
    state: rest[0]!,
    ppid: num(4),
    utimeTicks: num(14),
    stimeTicks: num(15),
    priority: num(18),
    nice: num(19),
    threads: num(20),
    startTicks: num(22),
    vszBytes: num(23),
    rssPages: num(24),
  };
  for (const value of Object.values(fields)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  }
  return fields;
}

export interface StatusFields {
  uid: number | null;
  rssBytes: number | null;
  vszBytes: number | null;
}

/** /proc/PID/status (or only its Uid, VmRSS and VmSize lines): the real uid and memory in bytes. */
export function parseStatus(text: string): StatusFields {
  const out: StatusFields = { uid: null, rssBytes: null, vszBytes: null };
  for (const line of text.split('\n')) {
    if (line.startsWith('Uid:')) {
      const uid = Number(line.slice(4).trim().split(/\s+/)[0]);
      if (Number.isInteger(uid)) out.uid = uid;
    } else if (line.startsWith('VmRSS:')) {
      out.rssBytes = kib(line.slice(6));
    } else if (line.startsWith('VmSize:')) {
      out.vszBytes = kib(line.slice(7));
    }
  }
  return out;
}

function kib(value: string): number | null {
  const n = Number(value.trim().split(/\s+/)[0]);
  return Number.isFinite(n) ? n * 1024 : null;
}

/** /proc/PID/io: bytes the process made the storage layer read and write (what iotop shows). */
export function parseIo(text: string): { readBytes: number; writeBytes: number } | null {
  let readBytes: number | undefined;
  let writeBytes: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('read_bytes:')) readBytes = Number(line.slice(11).trim());
    else if (line.startsWith('write_bytes:')) writeBytes = Number(line.slice(12).trim());
  }
  if (readBytes === undefined || writeBytes === undefined) return null;
  if (!Number.isFinite(readBytes) || !Number.isFinite(writeBytes)) return null;
  return { readBytes, writeBytes };
}

/** /proc/PID/cmdline: NUL-separated arguments, joined by spaces for display. */
export function parseCmdline(text: string): string {
  const args = text.split('\0');
  while (args.length > 0 && args[args.length - 1] === '') args.pop();
  return args.join(' ');
}

/** A system unit the process belongs to, or a unit of a user's own systemd instance. */
export interface CgroupUnit {
  unit: string | null;
  userUnit: string | null;
}

/**
 * /proc/PID/cgroup: the unified ("0::") or systemd v1 ("name=systemd") path. A process of
 * "/system.slice/nginx.service" belongs to nginx.service; one under "user@1000.service/…" belongs
 * to that user's own manager and is not restartable with the system's systemctl.
 */
export function parseCgroupUnit(text: string): CgroupUnit {
  let path: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('0::')) path = line.slice(3);
    else if (path === undefined && line.includes(':name=systemd:'))
      path = line.slice(line.indexOf(':name=systemd:') + 14);
  }
  if (!path) return { unit: null, userUnit: null };
  const parts = path.split('/').filter(Boolean);
  const userManager = parts.findIndex((p) => /^user@\d+\.service$/.test(p));
  if (userManager >= 0) {
    const inner = parts.slice(userManager + 1).filter((p) => p.endsWith('.service'));
    return { unit: null, userUnit: inner[inner.length - 1] ?? null };
  }
  const unit = parts.find((p) => p.endsWith('.service'));
  return { unit: unit ?? null, userUnit: null };
}

/** /etc/passwd (or only its name and uid columns): uid → user name. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 2) continue;
    // Full passwd lines have the uid third; "cut -f1,3" leaves it second.
    const uid = Number(fields.length >= 3 ? fields[2] : fields[1]);
    if (fields[0] && Number.isInteger(uid) && !users.has(uid)) users.set(uid, fields[0]);
  }
  return users;
}

/** The host facts a table needs besides the processes. */
export interface HostFacts {
  /** /proc/uptime's first figure: the host's own clock for rates. */
  uptimeSec: number;
  /** Boot time, seconds since the epoch (btime in /proc/stat). */
  bootTimeSec: number;
  cores: number;
  memTotalBytes: number;
}

export function parseUptime(text: string): number {
  return Number(text.trim().split(/\s+/)[0]);
}

/** btime and the number of "cpuN" lines of /proc/stat (the whole file or only those lines). */
export function parseProcStat(text: string): { bootTimeSec: number; cores: number } {
  let bootTimeSec = 0;
  let cores = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('btime ')) bootTimeSec = Number(line.slice(6).trim());
    else if (/^cpu\d/.test(line)) cores++;
  }
  return { bootTimeSec, cores: Math.max(1, cores) };
}

export function parseMemTotal(text: string): number {
  const m = /^MemTotal:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** One process's files as read (any of them may be missing: it exited, or it is not readable). */
export interface ProcFiles {
  stat: string;
  status?: string;
  cmdline?: string;
  io?: string;
  cgroup?: string;
}

export interface RawProcess extends StatFields {
  uid: number | null;
  cmdline: string;
  rssBytes: number;
  readBytes: number | null;
  writeBytes: number | null;
  unit: string | null;
  userUnit: string | null;
}

/** Pages of /proc/PID/stat's rss when status has no VmRSS (kernel threads have none: 0). */
const PAGE_BYTES = 4096;

export function parseProcess(files: ProcFiles): RawProcess | undefined {
  const stat = parseStat(files.stat);
  if (!stat) return undefined;
  const status = files.status ? parseStatus(files.status) : undefined;
  const io = files.io ? parseIo(files.io) : null;
  const cgroup = files.cgroup ? parseCgroupUnit(files.cgroup) : { unit: null, userUnit: null };
  return {
    ...stat,
    uid: status?.uid ?? null,
    cmdline: files.cmdline ? parseCmdline(files.cmdline) : '',
    rssBytes: status?.rssBytes ?? stat.rssPages * PAGE_BYTES,
    vszBytes: status?.vszBytes ?? stat.vszBytes,
    readBytes: io?.readBytes ?? null,
    writeBytes: io?.writeBytes ?? null,
    unit: cgroup.unit,
    userUnit: cgroup.userUnit,
  };
}
