// The per-process /proc parsers against files captured from a real kernel, including a process
// whose name holds a line break, a ")" and "@@", and whose arguments hold spaces and line breaks.
import { fixture } from '../../../../helpers/fixtures';
import {
  parseCgroupUnit,
  parseCmdline,
  parseIo,
  parseMemTotal,
  parseOwners,
  parsePageSize,
  parsePasswd,
  parseProcess,
  parseProcStat,
  parseStat,
  parseUptime,
} from '../../../../../main/core/processes/proc-parse';

const hostile = (f: string) => fixture(`proc/process/hostile-${f}.txt`);

describe('parseStat', () => {
  it('reads a name with a line break and a closing parenthesis in it', () => {
    const stat = parseStat(hostile('stat').replace(/\n$/, ''))!;
    expect(stat.pid).toBe(31043);
    expect(stat.name).toBe('x) R 1\n@@pst');
    expect(stat.state).toBe('S');
    expect(stat.ppid).toBe(31040);
    expect(stat.priority).toBe(27);
    expect(stat.nice).toBe(7);
    expect(stat.threads).toBe(1);
    expect(stat.startTicks).toBe(135557);
    expect(stat.vszBytes).toBe(17149952);
    expect(stat.rssPages).toBe(3421);
    expect(stat.utimeTicks + stat.stimeTicks).toBe(2);
  });

  it('reads PID 1 and a kernel thread', () => {
    expect(parseStat(fixture('proc/process/pid1-stat.txt'))!.pid).toBe(1);
    const k = parseStat(fixture('proc/process/kthread-stat.txt'))!;
    expect(k).toMatchObject({ pid: 2, name: 'kthreadd', ppid: 0, rssPages: 0 });
  });

  it('refuses text that is not a stat line', () => {
    expect(parseStat('')).toBeUndefined();
    expect(parseStat('abc (x) S 1')).toBeUndefined();
    expect(parseStat('12 (x) S 1 2 3')).toBeUndefined();
    expect(parseStat('12 (x) S ' + 'y '.repeat(40))).toBeUndefined();
  });
});

describe('the other files', () => {
  it('owners: "UID PID" lines of stat -c, and the page size', () => {
    expect(parseOwners('0 1\n1000 4321\nbad line\n\n')).toEqual(
      new Map([
        [1, 0],
        [4321, 1000],
      ]),
    );
    expect(parsePageSize('65536\n')).toBe(65536);
    expect(parsePageSize('')).toBe(4096);
  });

  it('io: read_bytes and write_bytes, or null when absent', () => {
    const io = parseIo(fixture('proc/process/io.txt'));
    expect(io).toEqual({ readBytes: expect.any(Number), writeBytes: expect.any(Number) });
    expect(parseIo('')).toBeNull();
    expect(parseIo('read_bytes: 5\n')).toBeNull();
    expect(parseIo('read_bytes: 5\nwrite_bytes: 7\n')).toEqual({ readBytes: 5, writeBytes: 7 });
  });

  it('cmdline: arguments joined by spaces, line breaks kept', () => {
    const cmd = parseCmdline(hostile('cmdline'));
    expect(cmd).toContain(' two words line\nbreak @@pcmdline');
    expect(parseCmdline('')).toBe('');
    expect(parseCmdline('sleep\u00001000\u0000')).toBe('sleep 1000');
  });

  it('cgroup: the system service, a user unit, or none', () => {
    expect(parseCgroupUnit('0::/system.slice/nginx.service\n')).toEqual({
      unit: 'nginx.service',
      userUnit: null,
    });
    expect(parseCgroupUnit('1:name=systemd:/system.slice/ssh.service\n')).toEqual({
      unit: 'ssh.service',
      userUnit: null,
    });
    expect(
      parseCgroupUnit('0::/user.slice/user-1000.slice/user@1000.service/app.slice/pipewire.service\n'),
    ).toEqual({ unit: null, userUnit: 'pipewire.service' });
    expect(parseCgroupUnit('0::/user.slice/user-1000.slice/session-3.scope\n')).toEqual({
      unit: null,
      userUnit: null,
    });
    expect(parseCgroupUnit(hostile('cgroup'))).toEqual({ unit: null, userUnit: null });
  });

  it('passwd: full lines and name:uid pairs', () => {
    const users = parsePasswd(
      'root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n',
    );
    expect(users.get(0)).toBe('root');
    expect(users.get(33)).toBe('www-data');
    expect(parsePasswd('root:0\nalice:1000\n').get(1000)).toBe('alice');
  });

  it('host facts', () => {
    expect(parseUptime('12345.67 2345.10\n')).toBeCloseTo(12345.67);
    expect(parseProcStat('cpu  1 2 3\ncpu0 1 2\ncpu1 1 2\nintr 5\nbtime 1700000000\n')).toEqual({
      bootTimeSec: 1700000000,
      cores: 2,
    });
    expect(parseMemTotal('MemTotal:       24573148 kB\n')).toBe(24573148 * 1024);
  });
});

describe('parseProcess', () => {
  it('puts the files of one process together', () => {
    const p = parseProcess({
      stat: hostile('stat').trim(),
      uid: 0,
      cmdline: hostile('cmdline'),
      io: hostile('io'),
      cgroup: '0::/system.slice/demo.service\n',
    })!;
    expect(p).toMatchObject({ pid: 31043, uid: 0, unit: 'demo.service', nice: 7 });
    expect(p.readBytes).not.toBeNull();
    expect(p.rssBytes).toBe(3421 * 4096);
    expect(parseProcess({ stat: hostile('stat').trim() }, 65536)!.rssBytes).toBe(3421 * 65536);
  });

  it('keeps going without the optional files (another user’s process)', () => {
    const p = parseProcess({ stat: fixture('proc/process/pid1-stat.txt') })!;
    expect(p).toMatchObject({ pid: 1, uid: null, readBytes: null, cmdline: '', unit: null });
  });
});
