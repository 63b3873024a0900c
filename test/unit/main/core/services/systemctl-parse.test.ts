// systemctl's outputs as systemd 252 (Debian 12) prints them, and journalctl's JSON lines.
import {
  detailsFromProperties,
  mergeUnits,
  parseListTimersJson,
  parseListUnitFiles,
  parseListUnits,
  parseShow,
  parseShowBlocks,
  parseTimestamp,
  splitCat,
} from '../../../../../main/core/services/systemctl-parse';
import { JournalLineSplitter, parseJournalLine } from '../../../../../main/core/services/journal-parse';
import {
  normalizeOverride,
  overridePath,
  overrideProblems,
} from '../../../../../main/core/services/override';
import { UnitName } from '../../../../../common/schemas/services';

const LIST_UNITS = `auditd.service not-found inactive dead auditd.service
dbus.service loaded active running D-Bus System Message Bus
● failing.service loaded failed failed A unit that failed
ssh.service loaded active running OpenBSD Secure Shell server
`;
const LIST_FILES = `apt-daily.service static -
autovt@.service alias -
fstrim.timer enabled enabled
getty@.socket static -
hyperion-echo.service disabled enabled
ssh.service enabled enabled
`;

describe('systemctl list-units and list-unit-files', () => {
  it('reads units, with the failed bullet and spaces in descriptions', () => {
    const units = parseListUnits(LIST_UNITS);
    expect(units).toHaveLength(4);
    expect(units[1]).toEqual({
      name: 'dbus.service',
      load: 'loaded',
      active: 'active',
      sub: 'running',
      description: 'D-Bus System Message Bus',
      enabled: null,
    });
    expect(units[2]).toMatchObject({ name: 'failing.service', active: 'failed' });
  });

  it('merges enabled states and unloaded unit files, without templates', () => {
    const merged = mergeUnits(parseListUnits(LIST_UNITS), parseListUnitFiles(LIST_FILES));
    expect(merged.map((u) => u.name)).toEqual([
      'apt-daily.service',
      'auditd.service',
      'dbus.service',
      'failing.service',
      'fstrim.timer',
      'hyperion-echo.service',
      'ssh.service',
    ]);
    expect(merged.find((u) => u.name === 'ssh.service')!.enabled).toBe('enabled');
    expect(merged.find((u) => u.name === 'hyperion-echo.service')).toMatchObject({
      load: 'not-loaded',
      enabled: 'disabled',
    });
  });
});

describe('systemctl show and cat', () => {
  const SHOW = [
    'Id=nginx.service',
    'Description=A high performance web server',
    'LoadState=loaded',
    'ActiveState=active',
    'SubState=running',
    'UnitFileState=enabled',
    'MainPID=812',
    'MemoryCurrent=18446744073709551615',
    'CPUUsageNSec=[not set]',
    'TasksCurrent=3',
    'NRestarts=0',
    'Result=success',
    'ActiveEnterTimestamp=Tue 2026-12-01 08:52:18 UTC',
    'FragmentPath=/lib/systemd/system/nginx.service',
    'DropInPaths=/etc/systemd/system/nginx.service.d/override.conf',
    'Requires=system.slice sysinit.target',
    'After=network.target basic.target',
    'WantedBy=multi-user.target',
    'CanReload=yes',
    'ExecStart={ path=/usr/sbin/nginx ; argv[]=/usr/sbin/nginx -g daemon on; master_process on; }',
  ].join('\n');

  it('turns properties into details; unset counters are null', () => {
    const d = detailsFromProperties('nginx.service', parseShow(SHOW));
    expect(d).toMatchObject({
      name: 'nginx.service',
      active: 'active',
      enabled: 'enabled',
      mainPid: 812,
      memoryBytes: null,
      cpuNs: null,
      tasks: 3,
      canReload: true,
      dropIns: ['/etc/systemd/system/nginx.service.d/override.conf'],
    });
    expect(d.activeSince).toBe(Date.parse('2026-12-01T08:52:18Z'));
    expect(d.dependencies.after).toEqual(['network.target', 'basic.target']);
    expect(d.properties.ExecStart).toContain('daemon on; master_process on;');
    expect(parseTimestamp('n/a')).toBeNull();
    expect(parseShowBlocks('Id=a.service\nLoadState=loaded\n\nId=b.service\n')).toHaveLength(2);
  });

  it('reads what a timer starts, its next and last run, and which timer starts a service', () => {
    const timer = detailsFromProperties(
      'logrotate.timer',
      parseShow(
        [
          'Id=logrotate.timer',
          'Triggers=logrotate.service',
          'NextElapseUSecRealtime=Wed 2026-12-02 00:00:00 UTC',
          'LastTriggerUSec=Tue 2026-12-01 00:00:03 UTC',
          'ActiveState=active',
        ].join('\n'),
      ),
    );
    expect(timer.dependencies.triggers).toEqual(['logrotate.service']);
    expect(timer.nextElapseAt).toBe(Date.parse('2026-12-02T00:00:00Z'));
    expect(timer.lastTriggerAt).toBe(Date.parse('2026-12-01T00:00:03Z'));
    const never = detailsFromProperties('x.timer', parseShow('Id=x.timer\nLastTriggerUSec=n/a\n'));
    expect(never.lastTriggerAt).toBeNull();
    expect(never.nextElapseAt).toBeNull();
    const service = detailsFromProperties(
      'logrotate.service',
      parseShow('Id=logrotate.service\nTriggeredBy=logrotate.timer\n'),
    );
    expect(service.dependencies.triggeredBy).toEqual(['logrotate.timer']);
    expect(service.dependencies.triggers).toEqual([]);
  });

  it('reads list-timers JSON, where timers on the boot clock have calendar times too', () => {
    const json =
      '[{"next":1796132267106996,"left":1796132267106996,"last":0,"passed":0,' +
      '"unit":"systemd-tmpfiles-clean.timer","activates":"systemd-tmpfiles-clean.service"}]';
    expect(parseListTimersJson(json, 'systemd-tmpfiles-clean.timer')).toEqual({
      nextElapseAt: Date.parse('2026-12-01T13:37:47.107Z'),
      lastTriggerAt: null,
    });
    expect(parseListTimersJson(json, 'other.timer')).toBeUndefined();
    expect(parseListTimersJson('Unknown option --output', 'x.timer')).toBeUndefined();
    expect(parseListTimersJson('{"unit":"x.timer"}', 'x.timer')).toBeUndefined();
  });

  it('splits cat output only at the paths systemd reported', () => {
    const text = [
      '# /lib/systemd/system/nginx.service',
      '[Service]',
      '# /etc/not-a-file-header',
      'ExecStart=/usr/sbin/nginx',
      '',
      '# /etc/systemd/system/nginx.service.d/override.conf',
      '[Service]',
      'Environment=A=1',
      '',
    ].join('\n');
    const files = splitCat(
      text,
      ['/lib/systemd/system/nginx.service', '/etc/systemd/system/nginx.service.d/override.conf'],
      ['/etc/systemd/system/nginx.service.d/override.conf'],
    );
    expect(files).toEqual([
      {
        path: '/lib/systemd/system/nginx.service',
        content: '[Service]\n# /etc/not-a-file-header\nExecStart=/usr/sbin/nginx\n',
        dropIn: false,
      },
      {
        path: '/etc/systemd/system/nginx.service.d/override.conf',
        content: '[Service]\nEnvironment=A=1\n',
        dropIn: true,
      },
    ]);
  });
});

describe('unit names, overrides and the journal', () => {
  it('accepts systemd unit names and refuses the rest', () => {
    for (const ok of [
      'nginx.service',
      'getty@tty1.service',
      'foo@.service',
      '-.mount',
      'a\\x2db.service',
      'x@a@b.service',
    ])
      expect(UnitName.safeParse(ok).success, ok).toBe(true);
    for (const bad of [
      'nginx',
      'nginx.exe',
      'a b.service',
      'a/b.service',
      'a;b.service',
      '@x.service',
      '',
      `${'a'.repeat(250)}.service`,
    ])
      expect(UnitName.safeParse(bad).success, bad).toBe(false);
  });

  it('checks an override line by line', () => {
    expect(
      overrideProblems('[Service]\nEnvironment=A=1\nExecStart=\nExecStart=/bin/true \\\n  --flag\n# note\n'),
    ).toEqual([]);
    expect(overrideProblems('Environment=A=1\n')).toEqual(['line 1: a setting before any [Section] header']);
    expect(overrideProblems('[Service]\nrm -rf /\n')[0]).toMatch(/^line 2: /);
    expect(normalizeOverride('[Service]\r\nA=1\n\n\n')).toBe('[Service]\nA=1\n');
    expect(normalizeOverride('  \n')).toBe('');
    expect(overridePath('nginx.service')).toBe('/etc/systemd/system/nginx.service.d/override.conf');
  });

  it('reads journal JSON lines, byte-array messages, and lines split across chunks', () => {
    const line = JSON.stringify({
      __CURSOR: 's=ab;i=1',
      __REALTIME_TIMESTAMP: '1796115147639834',
      PRIORITY: '6',
      _SYSTEMD_UNIT: 'hyperion-echo.service',
      SYSLOG_IDENTIFIER: 'sh',
      _PID: '68',
      MESSAGE: 'greeting hello',
    });
    expect(parseJournalLine(line)).toEqual({
      cursor: 's=ab;i=1',
      ts: 1796115147639,
      priority: 6,
      unit: 'hyperion-echo.service',
      identifier: 'sh',
      pid: 68,
      message: 'greeting hello',
    });
    const bytes = JSON.stringify({ __CURSOR: 'c', __REALTIME_TIMESTAMP: '1000', MESSAGE: [104, 105, 255] });
    expect(parseJournalLine(bytes)!.message).toBe('hi\ufffd');
    expect(parseJournalLine('not json')).toBeUndefined();
    const splitter = new JournalLineSplitter();
    expect(splitter.push(line.slice(0, 20))).toEqual([]);
    expect(splitter.push(`${line.slice(20)}\n${line.slice(0, 5)}`)).toHaveLength(1);
  });
});
