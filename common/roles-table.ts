// The table of every method and stream with the least role it needs, generated from the contract
// for docs/roles.md (bin/roles-doc.js writes it; a test fails when it is stale).
import type { Contract, MethodDef, Role } from './contract';

type Entry = Pick<MethodDef, 'role' | 'summary' | 'mutating' | 'dangerous'>;

const ORDER: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function area(name: string): string {
  return name.split('.')[0]!;
}

export function rolesTable(contract: Contract): string {
  const rows = [
    ...Object.entries(contract.methods).map(([name, def]) => ({
      name,
      kind: 'method',
      def: def as Entry,
    })),
    ...Object.entries(contract.streams).map(([name, def]) => ({
      name,
      kind: 'stream',
      def: def as Entry,
    })),
  ].sort(
    (a, b) =>
      area(a.name).localeCompare(area(b.name)) ||
      ORDER[a.def.role] - ORDER[b.def.role] ||
      a.name.localeCompare(b.name),
  );
  const counts = { viewer: 0, operator: 0, admin: 0 };
  for (const r of rows) counts[r.def.role]++;
  const lines = [
    '# Roles: who may call what',
    '',
    '<!-- Generated from the contract (common/api.ts) by `npm run docs:roles`; do not edit by hand. -->',
    '',
    'Every method and stream of the API declares the least role that may use it; the server refuses',
    'anything less before the input is even read, and writes the refusal to the audit log.',
    '**viewer** reads everything except secrets; **operator** also acts on processes, services,',
    'commands and files; **admin** also manages hosts, credentials, alert rules, channels, users and',
    'settings. Marks: **changes** — written to the audit log with its arguments (secrets redacted);',
    '**2FA** — asks for a fresh 2FA confirmation when the step-up policy is on.',
    '',
    `${rows.length} entries: ${counts.viewer} for viewers, ${counts.operator} for operators, ${counts.admin} for admins.`,
    '',
    '| method or stream | least role | marks | what it does |',
    '| --- | --- | --- | --- |',
  ];
  for (const { name, kind, def } of rows) {
    const marks: string[] = [];
    if (kind === 'stream') marks.push('stream');
    if (def.mutating) marks.push('changes');
    if (def.dangerous === true) marks.push('2FA');
    else if (def.dangerous) marks.push(`2FA (more than one ${def.dangerous.whenManyOf.replace(/s$/, '')})`);
    lines.push(`| \`${name}\` | ${def.role} | ${marks.join(', ')} | ${cell(def.summary)} |`);
  }
  return `${lines.join('\n')}\n`;
}
