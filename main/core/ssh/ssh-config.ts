// Resolves ~/.ssh/config into hosts someone can import: name, address, user, port, keys and jump host.
import { isWildcardPattern, matchPatternList } from './host-pattern';
import type {
  ParsedSshConfig,
  SshConfigCondition,
  SshConfigDirective,
  SshConfigWarning,
} from './ssh-config-parse';

export type { ParsedSshConfig, SshConfigWarning } from './ssh-config-parse';

/** Facts about the local account, used for `~` and the `%` tokens. */
export interface SshConfigContext {
  home: string;
  localUser: string;
  localHostname?: string;
  uid?: number;
}

/** One hop of ProxyJump: `[user@]host[:port]` or `ssh://[user@]host[:port]`; host may be another alias. */
export interface JumpHop {
  host: string;
  user?: string;
  port?: number;
}

export interface ImportableHost {
  /** The name after `Host`, what the person types after `ssh`. */
  alias: string;
  hostname: string;
  user?: string;
  port: number;
  /** In the order ssh tries them; `~` and `%` tokens expanded. */
  identityFiles: string[];
  /** A single jump host. */
  proxyJump?: JumpHop;
  /** Set instead of proxyJump when the config chains several jump hosts (a warning says so). */
  proxyJumpChain?: JumpHop[];
  /** Where the Host line naming this alias was found. */
  source: { file: string; line: number };
}

/** A host as resolved for one alias, before knowing which Host line named it. */
export type ResolvedSshHost = Omit<ImportableHost, 'source'>;

export interface SshConfigImport {
  hosts: ImportableHost[];
  warnings: SshConfigWarning[];
}

/** Every named (non-wildcard) Host alias, resolved with all the blocks that apply to it. */
export function importSshConfig(config: ParsedSshConfig, context: SshConfigContext): SshConfigImport {
  const warnings = new WarningList(config.warnings);
  const seen = new Set<string>();
  const hosts: ImportableHost[] = [];
  for (const hostLine of config.hostLines) {
    for (const pattern of hostLine.patterns) {
      if (isWildcardPattern(pattern) || seen.has(pattern.toLowerCase())) continue;
      seen.add(pattern.toLowerCase());
      const resolved = resolveSshHost(config, pattern, context);
      resolved.warnings.forEach((w) => warnings.add(w));
      hosts.push({ ...resolved.host, source: { file: hostLine.file, line: hostLine.line } });
    }
  }
  return { hosts, warnings: warnings.list };
}

/** What ssh would use for `ssh alias`: first value wins, IdentityFile accumulates, as in ssh_config(5). */
export function resolveSshHost(
  config: ParsedSshConfig,
  alias: string,
  context: SshConfigContext,
): { host: ResolvedSshHost; warnings: SshConfigWarning[] } {
  const warnings: SshConfigWarning[] = [];
  const warn = (d: SshConfigDirective, message: string) =>
    warnings.push({ file: d.file, line: d.line, message });
  const first = new Map<string, SshConfigDirective>();
  const identities: SshConfigDirective[] = [];
  for (const directive of config.directives) {
    if (!applies(directive.condition, alias)) continue;
    if (directive.keyword === 'identityfile') identities.push(directive);
    else if (!first.has(directive.keyword)) first.set(directive.keyword, directive);
  }
  const value = (keyword: string) => first.get(keyword)?.args[0];

  const hostnameDirective = first.get('hostname');
  const hostname = hostnameDirective
    ? expandTokens(hostnameDirective.args[0] ?? alias, { h: alias }, (t) =>
        warn(hostnameDirective, `HostName: unknown token %${t} left as is.`),
      )
    : alias;

  let port = 22;
  const portDirective = first.get('port');
  if (portDirective) {
    const parsed = parsePort(portDirective.args[0]);
    if (parsed === undefined)
      warn(portDirective, `Port "${portDirective.args[0] ?? ''}" is not a port number: using 22.`);
    else port = parsed;
  }
  const user = value('user');

  const tokens: Record<string, string> = {
    d: context.home,
    u: context.localUser,
    h: hostname,
    r: user ?? context.localUser,
    p: String(port),
    n: alias,
  };
  if (context.localHostname !== undefined) tokens.l = context.localHostname;
  if (context.uid !== undefined) tokens.i = String(context.uid);
  const identityFiles = identities.flatMap((d) => {
    const raw = d.args[0];
    if (raw === undefined || raw.toLowerCase() === 'none') return [];
    const expanded = expandTokens(expandTilde(raw, context), tokens, (t) =>
      warn(d, `IdentityFile ${raw}: the token %${t} cannot be expanded here, left as is.`),
    );
    return [expanded];
  });

  const host: ResolvedSshHost = { alias, hostname, port, identityFiles };
  if (user !== undefined) host.user = user;

  const jump = first.get('proxyjump');
  if (jump && jump.args[0]?.toLowerCase() !== 'none') {
    const hops = (jump.args[0] ?? '').split(',').map(parseJumpSpec);
    if (hops.some((h) => h === undefined)) {
      warn(
        jump,
        `${alias}: ProxyJump "${jump.args[0] ?? ''}" could not be read: imported without a jump host.`,
      );
    } else if (hops.length === 1) {
      host.proxyJump = hops[0];
    } else {
      host.proxyJumpChain = hops as JumpHop[];
      warn(
        jump,
        `${alias}: ProxyJump chains ${hops.length} jump hosts (${jump.args[0] ?? ''}); ` +
          'Hyperion connects through one saved jump host, so set this host up by hand.',
      );
    }
  }
  const proxyCommand = first.get('proxycommand');
  if (proxyCommand && proxyCommand.args[0]?.toLowerCase() !== 'none') {
    warn(
      proxyCommand,
      `${alias}: ProxyCommand is not supported; the host is imported for a direct connection.`,
    );
  }
  return { host, warnings };
}

function applies(condition: SshConfigCondition, alias: string): boolean {
  if (condition.kind === 'always') return true;
  if (condition.kind === 'match') return false;
  return matchPatternList(condition.patterns, alias);
}

/** `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseJumpSpec(spec: string): JumpHop | undefined {
  let text = spec.trim();
  if (text.toLowerCase().startsWith('ssh://')) text = text.slice(6).replace(/\/$/, '');
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(rest);
  if (!match || (user !== undefined && user === '')) return undefined;
  const hop: JumpHop = { host: match[1] ?? match[2] ?? '' };
  if (user !== undefined) hop.user = user;
  if (match[3] !== undefined) {
    const port = parsePort(match[3]);
    if (port === undefined) return undefined;
    hop.port = port;
  }
  return hop;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** Replaces `%x` tokens from `tokens` and `%%`; unknown tokens stay as they are and are reported. */
export function expandTokens(
  text: string,
  tokens: Record<string, string>,
  onUnknown?: (token: string) => void,
): string {
  return text.replace(/%(.)/g, (whole, token: string) => {
    if (token === '%') return '%';
    const value = tokens[token];
    if (value !== undefined) return value;
    onUnknown?.(token);
    return whole;
  });
}

/** `~` and `~/…` become the home folder; `~user` is left alone unless it is the local user. */
export function expandTilde(path: string, context: SshConfigContext): string {
  if (path === '~') return context.home;
  if (path.startsWith('~/')) return `${context.home}${path.slice(1)}`;
  const own = `~${context.localUser}`;
  if (path === own || path.startsWith(`${own}/`)) return `${context.home}${path.slice(own.length)}`;
  return path;
}

class WarningList {
  readonly list: SshConfigWarning[] = [];
  private readonly keys = new Set<string>();
  constructor(initial: readonly SshConfigWarning[]) {
    initial.forEach((w) => this.add(w));
  }
  add(warning: SshConfigWarning): void {
    const key = `${warning.file}:${warning.line}:${warning.message}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.list.push(warning);
  }
}
