// docs/roles.md is the contract's table of least roles, kept current.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { api } from '../../../common/api';
import { rolesTable } from '../../../common/roles-table';

describe('the roles table', () => {
  it('lists every method and stream once, with its least role', () => {
    const table = rolesTable(api);
    for (const name of [...Object.keys(api.methods), ...Object.keys(api.streams)]) {
      expect(table.split('\n').filter((l) => l.startsWith(`| \`${name}\` |`))).toHaveLength(1);
    }
    expect(table).toContain('| `users.create` | admin | changes |');
    expect(table).toContain('| `hosts.remove` | admin | changes, 2FA |');
    expect(table).toContain('| `processes.signal` | operator | changes, 2FA |');
    expect(table).toContain('| `commands.run` | operator | changes, 2FA (more than one host) |');
  });

  it('is what docs/roles.md says (else: npm run docs:roles)', async () => {
    const path = join(__dirname, '../../../docs/roles.md');
    const expected = await format(rolesTable(api), { ...(await resolveConfig(path)), filepath: path });
    const current = readFileSync(path, 'utf8');
    expect(current, 'docs/roles.md is stale: run "npm run docs:roles"').toBe(expected);
  });
});
