// The unit list's filters: by type (services, timers, sockets), state and words.
import type { UnitSummary } from '../../../../../common/schemas/services';
import { filterUnits, ofKind, unitKind } from '../../../../../renderer/src/views/services/service-rows';

const unit = (name: string, active = 'active', enabled: string | null = 'enabled'): UnitSummary => ({
  name,
  load: 'loaded',
  active,
  sub: active === 'active' ? 'running' : 'dead',
  description: `the ${name.split('.')[0]} unit`,
  enabled,
});

const UNITS = [
  unit('ssh.service'),
  unit('logrotate.service', 'inactive', 'static'),
  unit('logrotate.timer', 'active'),
  unit('fstrim.timer', 'inactive', 'disabled'),
  unit('ssh.socket', 'inactive', 'disabled'),
  unit('my.app@web-1.service', 'failed'),
];

describe('the unit list filters', () => {
  it('tells a unit type by its suffix, instance names included', () => {
    expect(unitKind('my.app@web-1.service')).toBe('service');
    expect(unitKind('logrotate.timer')).toBe('timer');
    expect(unitKind('-.mount')).toBe('mount');
  });

  it('shows one type at a time, or all of them', () => {
    const names = (kind: Parameters<typeof ofKind>[1]) => ofKind(UNITS, kind).map((u) => u.name);
    expect(names('service')).toEqual(['ssh.service', 'logrotate.service', 'my.app@web-1.service']);
    expect(names('timer')).toEqual(['logrotate.timer', 'fstrim.timer']);
    expect(names('socket')).toEqual(['ssh.socket']);
    expect(names('all')).toHaveLength(UNITS.length);
  });

  it('combines the type with the state and the words typed', () => {
    const names = (...args: Parameters<typeof filterUnits> extends [unknown, ...infer R] ? R : never) =>
      filterUnits(UNITS, ...args).map((u) => u.name);
    expect(names('', 'running', 'timer')).toEqual(['logrotate.timer']);
    expect(names('', 'disabled', 'timer')).toEqual(['fstrim.timer']);
    expect(names('logrotate', 'all', 'service')).toEqual(['logrotate.service']);
    expect(names('logrotate', 'all', 'all')).toEqual(['logrotate.service', 'logrotate.timer']);
    expect(names('ssh', 'all')).toEqual(['ssh.service', 'ssh.socket']);
    expect(names('', 'failed', 'service')).toEqual(['my.app@web-1.service']);
  });
});
