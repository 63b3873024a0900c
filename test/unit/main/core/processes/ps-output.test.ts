// The SSH script's output split back into per-process files: sections in order, lines labelled by
// grep, and nothing invented from names or arguments that contain markers and line breaks.
import { parsePsOutput } from '../../../../../main/core/processes/ps-output';

const output = [
  '@@uptime',
  '500.5 900.1',
  '@@stat',
  'cpu0 1 2 3',
  'btime 1700000000',
  '@@meminfo',
  'MemTotal:       2048 kB',
  '@@passwd',
  'root:0',
  '@@pstat',
  'root:1',
  '@@pagesize',
  '65536',
  '@@pstat',
  '1/stat:1 (init) S 0 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 100 10',
  '42/stat:42 (x) R 1',
  '42/stat:@@pio',
  '42/stat:0/stat:9 (fake)) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 7 100 10',
  '@@powner',
  '0 1',
  '1000 42',
  '@@pio',
  '42/io:read_bytes: 5',
  '42/io:write_bytes: 6',
  '@@pcgroup',
  '1/cgroup:0::/init.scope',
  '42/cgroup:0::/system.slice/demo.service',
  '@@pcmdline',
  '1/cmdline:/sbin/init\u0000' + '42/cmdline:sh\u000042/cmdline:line\n@@pcmdline\nbreak\u0000',
].join('\n');

describe('parsePsOutput', () => {
  const texts = parsePsOutput(output);

  it('reads the host facts', () => {
    expect(texts.uptime).toBe('500.5 900.1');
    expect(texts.stat).toContain('btime 1700000000');
    expect(texts.meminfo).toContain('MemTotal');
    // A user named "@@pstat" in passwd does not start a section early.
    expect(texts.passwd).toBe('root:0\n@@pstat\nroot:1');
    expect(texts.pagesize).toBe('65536');
  });

  it('groups lines by the file grep says they came from', () => {
    expect([...texts.processes.keys()]).toEqual([1, 42]);
    const p = texts.processes.get(42)!;
    expect(p.stat).toBe(
      '42 (x) R 1\n@@pio\n0/stat:9 (fake)) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 7 100 10',
    );
    expect(p.uid).toBe(1000);
    expect(p.io).toBe('read_bytes: 5\nwrite_bytes: 6\n');
    expect(p.cgroup).toBe('0::/system.slice/demo.service\n');
    expect(p.cmdline).toBe('sh\u0000line\n@@pcmdline\nbreak\u0000');
    expect(texts.processes.get(1)!.cmdline).toBe('/sbin/init\u0000');
  });

  it('survives output cut short', () => {
    const cut = parsePsOutput(output.slice(0, output.indexOf('@@powner')));
    expect(cut.processes.size).toBe(2);
    expect(cut.processes.get(42)!.uid).toBeUndefined();
    expect(parsePsOutput('').processes.size).toBe(0);
  });
});
