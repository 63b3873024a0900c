// Hyperion's drop-in override of a unit: where it lives and whether its text is a unit file.

/** The file `systemctl edit` uses, so the override is where an admin expects it. */
export function overrideDir(unit: string): string {
  return `/etc/systemd/system/${unit}.d`;
}

export function overridePath(unit: string): string {
  return `${overrideDir(unit)}/override.conf`;
}

/**
 * Problems with an override's text, one per line at fault: every logical line must be blank, a
 * comment, a [Section] header or Key=Value, and settings come after a section header.
 */
export function overrideProblems(content: string): string[] {
  const problems: string[] = [];
  let section: string | undefined;
  let continued = false;
  content.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    if (continued) {
      continued = line.endsWith('\\');
      return;
    }
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (/^\[[A-Za-z0-9-]+\]$/.test(line)) {
      section = line;
      return;
    }
    if (!/^[A-Za-z][A-Za-z0-9-]*\s*=/.test(line)) {
      problems.push(`line ${n}: "${line.slice(0, 60)}" is not a [Section] or Key=Value`);
      return;
    }
    if (!section) problems.push(`line ${n}: a setting before any [Section] header`);
    continued = line.endsWith('\\');
  });
  return problems;
}

/** The text as written: one final line break. */
export function normalizeOverride(content: string): string {
  const trimmed = content.replace(/\r\n/g, '\n').replace(/\s+$/, '');
  return trimmed === '' ? '' : `${trimmed}\n`;
}
