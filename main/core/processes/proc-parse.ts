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
  // Fields 3…24 are all that is needed: split no further.
  const rest = text.slice(close + 2).split(' ', 22);
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
  const { ppid, utimeTicks, stimeTicks, priority, nice, threads, startTicks, vszBytes, rssPages } = fields;
  const all = ppid + utimeTicks + stimeTicks + priority + nice + threads + startTicks + vszBytes + rssPages;
  return Number.isFinite(all) ? fields : undefined;
}

/**
 * `stat -c '%u %n'` of the /proc/PID folders: "UID PID" per line. The folder belongs to the
 * process's effective user (what ps shows); reading it costs the kernel far less than status.
 */
export function parseOwners(text: string): Map<number, number> {
  const owners = new Map<number, number>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const uid = Number(line.slice(0, space));
    const pid = Number(line.slice(space + 1));
    if (Number.isInteger(uid) && Number.isInteger(pid) && pid > 0) owners.set(pid, uid);
  }
  return owners;
}

/** `getconf PAGESIZE`: stat's rss is in pages (4 KiB on x86-64, 16 or 64 KiB on some arm64). */
export function parsePageSize(text: string): number {
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= 1024 ? n : 4096;
}

/** The number after `key` (which ends in ":") up to the line's end, or undefined. */
function fieldAfter(text: string, key: string): number | undefined {
  let at = 0;
  if (!text.startsWith(key)) {
    at = text.indexOf(`\n${key}`) + 1;
    if (at === 0) return undefined;
  }
  const end = text.indexOf('\n', at);
  const value = text.slice(at + key.length, end < 0 ? text.length : end).trim();
  return value === '' ? undefined : Number(value);
}

/** /proc/PID/io: bytes the process made the storage layer read and write (what iotop shows). */
export function parseIo(text: string): { readBytes: number; writeBytes: number } | null {
  const readBytes = fieldAfter(text, 'read_bytes:');
  const writeBytes = fieldAfter(text, 'write_bytes:');
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

/**
 * Results of a parser by input text. Command lines and cgroups rarely change between readings
 * and many processes share them (workers of one service), so a refresh of thousands of processes
 * parses each distinct text once. Forgotten wholesale when it grows past `limit` entries.
 */
class ByText<T> {
  private readonly seen = new Map<string, T>();
  constructor(
    private readonly parse: (text: string) => T,
    private readonly limit = 20_000,
  ) {}
  get(text: string): T {
    let value = this.seen.get(text);
    if (value === undefined) {
      if (this.seen.size >= this.limit) this.seen.clear();
      value = this.parse(text);
      this.seen.set(text, value);
    }
    return value;
  }
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
  /** The owner of /proc/PID (its effective uid). */
  uid?: number;
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

const NO_UNIT: CgroupUnit = Object.freeze({ unit: null, userUnit: null });
const cmdlines = new ByText(parseCmdline);
const cgroupUnits = new ByText((text) => Object.freeze(parseCgroupUnit(text)));

export function parseProcess(files: ProcFiles, pageBytes = 4096): RawProcess | undefined {
  const stat = parseStat(files.stat);
  if (!stat) return undefined;
  const io = files.io ? parseIo(files.io) : null;
  const cgroup = files.cgroup ? cgroupUnits.get(files.cgroup) : NO_UNIT;
  // Fields written out, not `...stat`: spreading into an object literal of this size took V8's
  // slow path (~6 µs a process, most of a 5,000-process refresh's parsing).
  return {
    pid: stat.pid,
    name: stat.name,
    state: stat.state,
    ppid: stat.ppid,
    utimeTicks: stat.utimeTicks,
    stimeTicks: stat.stimeTicks,
    priority: stat.priority,
    nice: stat.nice,
    threads: stat.threads,
    startTicks: stat.startTicks,
    vszBytes: stat.vszBytes,
    rssPages: stat.rssPages,
    uid: files.uid ?? null,
    cmdline: files.cmdline ? cmdlines.get(files.cmdline) : '',
    rssBytes: stat.rssPages * pageBytes,
    readBytes: io?.readBytes ?? null,
    writeBytes: io?.writeBytes ?? null,
    unit: cgroup.unit,
    userUnit: cgroup.userUnit,
  };
}
