// Label patterns of a rule: "/, /var/*, !/boot/*" — globs over mount points, interfaces, cores,
// devices or sensors; a leading "!" excludes. Compiled once per rule, tested once per series.

export type LabelMatcher = (label: string) => boolean;

const MATCH_ALL: LabelMatcher = () => true;

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.+()[\]{}|/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * A label matches when it matches one of the including patterns (or there are none) and none of
 * the excluding ones. An empty pattern matches everything.
 */
export function compileLabelPattern(pattern: string): LabelMatcher {
  const items = pattern
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (items.length === 0) return MATCH_ALL;
  const include = items.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const exclude = items.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  return (label) =>
    (include.length === 0 || include.some((r) => r.test(label))) && !exclude.some((r) => r.test(label));
}
