// Turns two readings of a host's /proc into table rows: CPU % and I/O rates from the difference
// between readings on the host's own clock (/proc/uptime), memory % from MemTotal, users by name.
import type { ProcessRow, ProcessState } from '../../../common/schemas/processes';
import {
  parseMemTotal,
  parsePageSize,
  parsePasswd,
  parseProcess,
  parseProcStat,
  parseUptime,
  type HostFacts,
  type RawProcess,
} from './proc-parse';
import type { ProcTexts } from './ps-output';

/** Linux's USER_HZ: /proc times are in hundredths of a second on every mainstream architecture. */
const TICKS_PER_SEC = 100;
const STATES = new Set<string>(['R', 'S', 'D', 'Z', 'T', 't', 'X', 'x', 'K', 'W', 'P', 'I']);

/** One reading, parsed: kept until the next one to compute rates. */
export interface ProcReading {
  facts: HostFacts;
  processes: Map<number, RawProcess>;
}

export function readingFromTexts(texts: ProcTexts): ProcReading {
  const { bootTimeSec, cores } = parseProcStat(texts.stat);
  const facts: HostFacts = {
    uptimeSec: parseUptime(texts.uptime),
    bootTimeSec,
    cores,
    memTotalBytes: parseMemTotal(texts.meminfo),
  };
  const pageBytes = parsePageSize(texts.pagesize);
  const processes = new Map<number, RawProcess>();
  for (const [pid, files] of texts.processes) {
    const p = parseProcess(files, pageBytes);
    if (p && p.pid === pid) processes.set(pid, p);
  }
  return { facts, processes };
}

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * Rows of the current reading; CPU % and I/O rates need the previous reading of the same host
 * (null without one, or for a PID that now names a different process).
 */
export function tableRows(
  current: ProcReading,
  previous: ProcReading | undefined,
  passwd: string,
): ProcessRow[] {
  const users = parsePasswd(passwd);
  const elapsed = previous ? current.facts.uptimeSec - previous.facts.uptimeSec : 0;
  const { memTotalBytes, bootTimeSec } = current.facts;
  const rows: ProcessRow[] = [];
  for (const p of current.processes.values()) {
    const before = previous?.processes.get(p.pid);
    const same = before !== undefined && before.startTicks === p.startTicks && elapsed > 0;
    const cpuPercent = same
      ? round(
          Math.max(
            0,
            (p.utimeTicks + p.stimeTicks - before.utimeTicks - before.stimeTicks) / TICKS_PER_SEC / elapsed,
          ) * 100,
          1,
        )
      : null;
    const rate = (now: number | null, then: number | null | undefined) =>
      same && now !== null && then !== null && then !== undefined
        ? Math.max(0, Math.round((now - then) / elapsed))
        : null;
    rows.push({
      pid: p.pid,
      ppid: p.ppid,
      uid: p.uid,
      user: p.uid === null ? '?' : (users.get(p.uid) ?? String(p.uid)),
      name: p.name,
      cmdline: p.cmdline.length > 4096 ? p.cmdline.slice(0, 4096) : p.cmdline,
      state: (STATES.has(p.state) ? p.state : 'S') as ProcessState,
      cpuPercent,
      memPercent: memTotalBytes > 0 ? round((p.rssBytes / memTotalBytes) * 100, 2) : 0,
      rssBytes: p.rssBytes,
      vszBytes: p.vszBytes,
      threads: p.threads,
      nice: p.nice,
      priority: p.priority,
      startedAt: Math.round((bootTimeSec + p.startTicks / TICKS_PER_SEC) * 1000),
      startTicks: p.startTicks,
      readBytesPerSec: rate(p.readBytes, before?.readBytes),
      writeBytesPerSec: rate(p.writeBytes, before?.writeBytes),
      unit: p.unit,
      userUnit: p.userUnit,
    });
  }
  return rows;
}

/** Why some cells are empty, in sentences. */
export function readingNotes(reading: ProcReading): string[] {
  let unreadableIo = 0;
  for (const p of reading.processes.values()) if (p.readBytes === null) unreadableIo++;
  return unreadableIo > 0
    ? [`I/O is not readable for ${unreadableIo} of ${reading.processes.size} processes as this user.`]
    : [];
}

const FIELDS: (keyof ProcessRow)[] = [
  'ppid',
  'uid',
  'user',
  'name',
  'cmdline',
  'state',
  'cpuPercent',
  'memPercent',
  'rssBytes',
  'vszBytes',
  'threads',
  'nice',
  'priority',
  'startedAt',
  'startTicks',
  'readBytesPerSec',
  'writeBytesPerSec',
  'unit',
  'userUnit',
];

/** Rows that are new or differ from before, and PIDs that are gone. */
export function diffRows(
  before: ReadonlyMap<number, ProcessRow>,
  after: readonly ProcessRow[],
): { upserts: ProcessRow[]; removed: number[] } {
  const upserts: ProcessRow[] = [];
  const seen = new Set<number>();
  for (const row of after) {
    seen.add(row.pid);
    const old = before.get(row.pid);
    if (!old || FIELDS.some((f) => old[f] !== row[f])) upserts.push(row);
  }
  const removed: number[] = [];
  for (const pid of before.keys()) if (!seen.has(pid)) removed.push(pid);
  return { upserts, removed };
}
