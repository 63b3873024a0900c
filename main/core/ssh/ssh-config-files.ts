// Reads ~/.ssh/config from disk, following Include (relative to ~/.ssh, with globs), for the import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { matchPattern } from './host-pattern';
import { importSshConfig, expandTilde, type SshConfigContext, type SshConfigImport } from './ssh-config';
import { parseSshConfigText, type IncludeResolver } from './ssh-config-parse';

export interface LoadSshConfigOptions {
  /** Home folder for `~` and %d (default: the current user's). */
  home?: string;
  localUser?: string;
  /** Folder that relative Include paths start from (default: HOME/.ssh). */
  sshDir?: string;
  /** The config file (default: SSHDIR/config). */
  path?: string;
}

export interface LoadedSshConfig extends SshConfigImport {
  path: string;
  /** False when there is no config file: an empty import, not an error. */
  found: boolean;
}

export function loadSshConfig(options: LoadSshConfigOptions = {}): LoadedSshConfig {
  const context = localContext(options);
  const sshDir = options.sshDir ?? join(context.home, '.ssh');
  const path = options.path ?? join(sshDir, 'config');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { path, found: false, hosts: [], warnings: [] };
    return {
      path,
      found: true,
      hosts: [],
      warnings: [{ file: path, line: 0, message: `The file could not be read: ${(err as Error).message}` }],
    };
  }
  const parsed = parseSshConfigText(text, path, includeResolver(sshDir, context));
  return { path, found: true, ...importSshConfig(parsed, context) };
}

function localContext(options: LoadSshConfigOptions): SshConfigContext {
  const home = options.home ?? homedir();
  let localUser = options.localUser;
  let uid: number | undefined;
  try {
    const info = userInfo();
    localUser ??= info.username;
    uid = info.uid;
  } catch {
    localUser ??= process.env.USER ?? 'user';
  }
  const context: SshConfigContext = { home, localUser, localHostname: hostname() };
  if (uid !== undefined && uid >= 0) context.uid = uid;
  return context;
}

/** Include as ssh does it: `~` expanded, relative to ~/.ssh, globs matched per path segment, sorted. */
export function includeResolver(sshDir: string, context: SshConfigContext): IncludeResolver {
  return (pattern) => {
    const expanded = expandTilde(pattern, context);
    const absolute = isAbsolute(expanded) ? expanded : resolve(sshDir, expanded);
    const files: { path: string; text: string }[] = [];
    const errors: string[] = [];
    for (const path of globFiles(absolute)) {
      try {
        files.push({ path, text: readFileSync(path, 'utf8') });
      } catch (err) {
        errors.push(`${path}: ${(err as Error).message}`);
      }
    }
    return errors.length > 0 ? { files, error: errors.join('; ') } : { files };
  };
}

/** Regular files matching an absolute path whose segments may hold `*` and `?` (dotfiles only if asked). */
export function globFiles(absolutePattern: string): string[] {
  const segments = absolutePattern.split(sep).filter((s) => s !== '');
  let candidates: string[] = [sep];
  for (const segment of segments) {
    const next: string[] = [];
    for (const dir of candidates) {
      if (!/[*?]/.test(segment)) {
        next.push(join(dir, segment));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        continue;
      }
      for (const name of names) {
        if (name.startsWith('.') && !segment.startsWith('.')) continue;
        if (matchPattern(segment, name, false)) next.push(join(dir, name));
      }
    }
    candidates = next;
  }
  return candidates.filter((path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}
