// OpenSSH host patterns (`*`, `?`, `!negation`), shared by known_hosts and ssh_config matching.

/** True when `text` matches one glob `pattern` (`*` any run, `?` one character), ignoring case by default. */
export function matchPattern(pattern: string, text: string, ignoreCase = true): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  // Iterative glob with single-star backtracking: linear enough for host names, no regex built.
  let pi = 0;
  let ti = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (ti < t.length) {
    const pc = p[pi];
    if (pc === '*') {
      starAt = pi++;
      resumeAt = ti;
    } else if (pc !== undefined && (pc === '?' || pc === t[ti])) {
      pi++;
      ti++;
    } else if (starAt >= 0) {
      pi = starAt + 1;
      ti = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * OpenSSH's pattern-list rule: a matching negated pattern (`!host`) rejects the whole list, otherwise
 * any matching positive pattern accepts it.
 */
export function matchPatternList(patterns: readonly string[], text: string): boolean {
  let matched = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (!matchPattern(pattern, text)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** A pattern that names many hosts (or excludes some), rather than one host someone could pick. */
export function isWildcardPattern(pattern: string): boolean {
  return pattern.startsWith('!') || pattern.includes('*') || pattern.includes('?');
}

/** The name known_hosts stores for a host: `host` on port 22, `[host]:port` elsewhere. */
export function knownHostsName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}
