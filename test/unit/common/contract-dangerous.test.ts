// Which calls count as dangerous for step-up, and that the contract marks the ones the issue names.
import { api } from '../../../common/api';
import { isDangerousCall, type MethodDef } from '../../../common/contract';

describe('isDangerousCall', () => {
  it('follows the method’s mark: always, never, or on more than one item of a field', () => {
    expect(isDangerousCall({ dangerous: true }, {})).toBe(true);
    expect(isDangerousCall({}, {})).toBe(false);
    const many = { dangerous: { whenManyOf: 'hosts' } } as const;
    expect(isDangerousCall(many, { hosts: ['a'] })).toBe(false);
    expect(isDangerousCall(many, { hosts: ['a', 'b'] })).toBe(true);
    expect(isDangerousCall(many, { hosts: 'a,b' })).toBe(false);
    expect(isDangerousCall(many, null)).toBe(false);
  });

  it('marks killing, stopping and disabling services, commands on many hosts and removals', () => {
    const marked = Object.entries(api.methods)
      .filter(([, def]) => (def as MethodDef).dangerous)
      .map(([name]) => name)
      .sort();
    expect(marked).toEqual(
      expect.arrayContaining([
        'commands.run',
        'hosts.remove',
        'processes.signal',
        'services.disable',
        'services.stop',
        'users.remove',
      ]),
    );
    // Every dangerous method changes something, so its confirmation is audited with it.
    for (const name of marked)
      expect({ name, mutating: (api.methods as Record<string, MethodDef>)[name]!.mutating }).toEqual({
        name,
        mutating: true,
      });
  });
});
