// Imports hosts from ~/.ssh/config: a preview of what can be saved, then saving the chosen ones.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { ImportCandidate } from '../../../common/api';
import { ApiError } from '../../../common/errors';
import type { Host } from '../../../common/schemas/hosts';
import { HostInput } from '../../../common/schemas/hosts';
import { loadSshConfig, type LoadSshConfigOptions } from '../ssh/ssh-config-files';
import type { ImportableHost } from '../ssh/ssh-config';
import type { HostsService } from './hosts-service';

export class SshConfigImporter {
  constructor(
    private readonly hosts: HostsService,
    private readonly options: LoadSshConfigOptions = {},
  ) {}

  candidates(): { path: string; candidates: ImportCandidate[]; warnings: string[] } {
    const loaded = loadSshConfig(this.options);
    const saved = this.hosts.list();
    const aliases = new Set(loaded.hosts.map((h) => h.alias));
    return {
      path: loaded.path,
      candidates: loaded.hosts.map((h) => toCandidate(h, aliases, saved)),
      warnings: loaded.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`),
    };
  }

  /** Jump hosts first, so the hosts behind them can point at their saved ids. */
  async import(aliases: string[]): Promise<{ added: Host[]; skipped: { alias: string; reason: string }[] }> {
    const { candidates } = this.candidates();
    const byAlias = new Map(candidates.map((c) => [c.alias, c]));
    const wanted = [...new Set(aliases)];
    const ordered = wanted.sort(
      (a, b) => Number(Boolean(byAlias.get(a)?.proxyJump)) - Number(Boolean(byAlias.get(b)?.proxyJump)),
    );
    const added: Host[] = [];
    const skipped: { alias: string; reason: string }[] = [];
    const localUser = safeUsername();
    for (const alias of ordered) {
      const c = byAlias.get(alias);
      if (!c) {
        skipped.push({ alias, reason: 'not in ~/.ssh/config' });
        continue;
      }
      if (c.problem || c.alreadySaved) {
        skipped.push({ alias, reason: c.problem ?? 'already saved' });
        continue;
      }
      const jump = c.proxyJump ? this.hosts.list().find((h) => h.name === c.proxyJump) : undefined;
      if (c.proxyJump && !jump) {
        skipped.push({ alias, reason: `its jump host ${c.proxyJump} is not saved` });
        continue;
      }
      const input = HostInput.safeParse({
        name: alias,
        address: c.address,
        port: c.port,
        username: c.username ?? localUser,
        auth: c.keyPath ? { method: 'key', keyPath: c.keyPath } : { method: 'agent' },
        proxyJump: jump?.id ?? null,
        tags: ['ssh-config'],
      });
      if (!input.success) {
        skipped.push({ alias, reason: input.error.issues.map((i) => i.message).join('; ') });
        continue;
      }
      try {
        added.push(await this.hosts.add(input.data));
      } catch (err) {
        skipped.push({
          alias,
          reason: err instanceof ApiError || err instanceof Error ? err.message : String(err),
        });
      }
    }
    return { added, skipped };
  }
}

function toCandidate(
  h: ImportableHost,
  aliases: ReadonlySet<string>,
  saved: readonly Host[],
): ImportCandidate {
  let problem: string | null = null;
  let proxyJump: string | null = null;
  if (h.proxyJumpChain)
    problem = `ProxyJump through ${h.proxyJumpChain.length} hosts in a row is not supported; save the hops as hosts.`;
  else if (h.proxyJump) {
    if (aliases.has(h.proxyJump.host)) proxyJump = h.proxyJump.host;
    else problem = `its jump host ${h.proxyJump.host} is not a Host entry in the file.`;
  }
  const keyPath = h.identityFiles.find((f) => existsSync(f)) ?? null;
  return {
    alias: h.alias,
    address: h.hostname,
    port: h.port,
    username: h.user ?? null,
    keyPath,
    proxyJump,
    problem,
    alreadySaved: saved.some(
      (s) =>
        s.name.toLowerCase() === h.alias.toLowerCase() ||
        (s.address === h.hostname && s.port === h.port && (!h.user || s.username === h.user)),
    ),
  };
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}
