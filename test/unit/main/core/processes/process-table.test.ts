// Rows from two readings: CPU % and I/O rates on the host's own clock, a reused PID not mistaken for
// the process before it, users by name, and the changes between two tables.
import type { ProcFiles } from '../../../../../main/core/processes/proc-parse';
import type { ProcTexts } from '../../../../../main/core/processes/ps-output';
import {
  diffRows,
  readingFromTexts,
  readingNotes,
  tableRows,
} from '../../../../../main/core/processes/process-table';

function stat(pid: number, name: string, ticks: number, start: number, nice = 0): string {
  // Fields 3…24: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  // cutime cstime priority nice threads itrealvalue starttime vsize rss
  return `${pid} (${name}) S 1 ${pid} ${pid} 0 -1 0 0 0 0 0 ${ticks} 0 0 0 ${20 + nice} ${nice} 1 0 ${start} 1000000 100`;
}

function texts(uptime: number, processes: [number, ProcFiles][]): ProcTexts {
  return {
    uptime: `${uptime} 0\n`,
    stat: 'cpu  1 1 1\ncpu0 1 1 1\ncpu1 1 1 1\nbtime 1700000000\n',
    meminfo: 'MemTotal: 1000 kB\n',
    passwd: 'root:0\nalice:1000\n',
    pagesize: '4096\n',
    processes: new Map(processes),
  };
}

describe('tableRows', () => {
  it('computes CPU % of one core and I/O per second between two readings', () => {
    const io = (r: number, w: number) => `read_bytes: ${r}\nwrite_bytes: ${w}\n`;
    const first = readingFromTexts(
      texts(100, [
        [10, { stat: stat(10, 'busy', 1000, 500), uid: 1000, io: io(0, 0) }],
        [11, { stat: stat(11, 'idle', 5, 600), uid: 0 }],
      ]),
    );
    const second = readingFromTexts(
      texts(102, [
        [10, { stat: stat(10, 'busy', 1300, 500), uid: 1000, io: io(4096, 8192) }],
        [11, { stat: stat(11, 'idle', 5, 600), uid: 0 }],
      ]),
    );
    expect(tableRows(first, undefined, 'alice:1000\n').every((r) => r.cpuPercent === null)).toBe(true);
    const rows = tableRows(second, first, 'root:0\nalice:1000\n');
    const busy = rows.find((r) => r.pid === 10)!;
    // 300 ticks in 2 s = 1.5 s of CPU per second: 150 % of one core.
    expect(busy.cpuPercent).toBe(150);
    expect(busy.readBytesPerSec).toBe(2048);
    expect(busy.writeBytesPerSec).toBe(4096);
    expect(busy.user).toBe('alice');
    expect(busy.memPercent).toBeCloseTo(((100 * 4096) / (1000 * 1024)) * 100, 1);
    expect(busy.startedAt).toBe((1700000000 + 5) * 1000);
    const idle = rows.find((r) => r.pid === 11)!;
    expect(idle).toMatchObject({ cpuPercent: 0, readBytesPerSec: null, user: 'root' });
  });

  it('does not take a reused PID for the process before it', () => {
    const first = readingFromTexts(texts(100, [[10, { stat: stat(10, 'old', 9000, 500) }]]));
    const second = readingFromTexts(texts(101, [[10, { stat: stat(10, 'new', 3, 9999) }]]));
    const [row] = tableRows(second, first, '');
    expect(row!.cpuPercent).toBeNull();
    expect(row!.user).toBe('?');
  });

  it('says how many I/O counters it could not read', () => {
    const reading = readingFromTexts(texts(1, [[1, { stat: stat(1, 'init', 1, 1) }]]));
    expect(readingNotes(reading)).toEqual(['I/O is not readable for 1 of 1 processes as this user.']);
  });
});

describe('diffRows', () => {
  it('sends changed and new rows, and the PIDs that are gone', () => {
    const reading = readingFromTexts(
      texts(5, [
        [1, { stat: stat(1, 'a', 1, 1) }],
        [2, { stat: stat(2, 'b', 1, 1) }],
      ]),
    );
    const before = new Map(tableRows(reading, undefined, '').map((r) => [r.pid, r]));
    const next = readingFromTexts(
      texts(6, [
        [1, { stat: stat(1, 'a', 1, 1) }],
        [3, { stat: stat(3, 'c', 1, 1, 5) }],
      ]),
    );
    const rows = tableRows(next, reading, '');
    const { upserts, removed } = diffRows(before, rows);
    // PID 1 now has a CPU % (0 instead of null): changed; PID 3 is new; PID 2 is gone.
    expect(upserts.map((r) => r.pid).sort()).toEqual([1, 3]);
    expect(removed).toEqual([2]);
    const again = diffRows(new Map(rows.map((r) => [r.pid, r])), rows);
    expect(again).toEqual({ upserts: [], removed: [] });
  });
});
