// Pure parsers for what systemctl prints: the unit list, unit files, `show` properties and `cat`.
import type { UnitDetails, UnitFile, UnitSummary } from '../../../common/schemas/services';

/** `systemctl list-units --plain --no-legend`: UNIT LOAD ACTIVE SUB DESCRIPTION… */
export function parseListUnits(text: string): UnitSummary[] {
  const units: UnitSummary[] = [];
  for (const raw of text.split('\n')) {
    // Older versions mark failed units with a bullet even in plain mode.
    const line = raw.replace(/^[●*]\s*/, '').trim();
    if (!line) continue;
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    units.push({ name: m[1]!, load: m[2]!, active: m[3]!, sub: m[4]!, description: m[5]!, enabled: null });
  }
  return units;
}

/** `systemctl list-unit-files --plain --no-legend`: UNIT STATE [PRESET] → name → state. */
export function parseListUnitFiles(text: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [name, state] = line.trim().split(/\s+/);
    if (name && state) states.set(name, state);
  }
  return states;
}

/**
 * The loaded units with their enabled state, plus unit files that are not loaded (a disabled,
 * stopped service is not in list-units). Templates ("foo@.service", "bar@.socket") cannot be
 * started as they are.
 */
export function mergeUnits(loaded: UnitSummary[], files: Map<string, string>): UnitSummary[] {
  const byName = new Map(loaded.map((u) => [u.name, { ...u, enabled: files.get(u.name) ?? null }]));
  for (const [name, state] of files) {
    if (byName.has(name) || /@\.[a-z]+$/.test(name)) continue;
    byName.set(name, {
      name,
      load: 'not-loaded',
      active: 'inactive',
      sub: 'dead',
      description: '',
      enabled: state,
    });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** `systemctl show`: Key=Value lines (values may contain "="). */
export function parseShow(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    props[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return props;
}

/** `systemctl show` of several units: one block of properties per unit, blank lines between. */
export function parseShowBlocks(text: string): Record<string, string>[] {
  return text
    .split(/\n\s*\n/)
    .map(parseShow)
    .filter((props) => Object.keys(props).length > 0);
}

/** systemd's "unset" for counters: empty, [not set], or UINT64_MAX. */
function counter(value: string | undefined): number | null {
  if (!value || value === '[not set]' || value === '18446744073709551615') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Timestamps as `show` prints them with TZ=UTC: "Thu 2025-05-22 10:00:00 UTC". */
export function parseTimestamp(value: string | undefined): number | null {
  if (!value || value === 'n/a') return null;
  const m = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)? UTC$/.exec(value.trim());
  if (!m) return null;
  const ts = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isFinite(ts) ? ts : null;
}

/**
 * `systemctl list-timers --all -o json -- UNIT` (systemd ≥ 250): the next and last elapse in µs
 * since the epoch, 0 for none. Unlike `show`, it also places timers on the monotonic clock
 * (OnBootSec=, OnUnitActiveSec=) in calendar time. Undefined when the text is not that JSON.
 */
export function parseListTimersJson(
  text: string,
  unit: string,
): { nextElapseAt: number | null; lastTriggerAt: number | null } | undefined {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(rows)) return undefined;
  const row = rows.find((r): r is Record<string, unknown> => typeof r === 'object' && r?.unit === unit);
  if (!row) return undefined;
  const ms = (us: unknown) => (typeof us === 'number' && us > 0 ? Math.round(us / 1000) : null);
  return { nextElapseAt: ms(row.next), lastTriggerAt: ms(row.last) };
}

const list = (value: string | undefined) => (value ? value.split(/\s+/).filter(Boolean) : []);

export function detailsFromProperties(name: string, props: Record<string, string>): UnitDetails {
  const mainPid = counter(props.MainPID);
  const state = props.UnitFileState;
  return {
    name: props.Id || name,
    description: props.Description ?? '',
    load: props.LoadState ?? 'unknown',
    active: props.ActiveState ?? 'unknown',
    sub: props.SubState ?? 'unknown',
    enabled: state ? state : null,
    activeSince: parseTimestamp(
      props.ActiveState === 'active' ? props.ActiveEnterTimestamp : props.InactiveEnterTimestamp,
    ),
    mainPid: mainPid && mainPid > 0 ? mainPid : null,
    memoryBytes: counter(props.MemoryCurrent),
    cpuNs: counter(props.CPUUsageNSec),
    tasks: counter(props.TasksCurrent),
    restarts: counter(props.NRestarts),
    result: props.Result || null,
    fragmentPath: props.FragmentPath || null,
    dropIns: list(props.DropInPaths),
    canReload: props.CanReload === 'yes',
    canStart: props.CanStart !== 'no',
    canStop: props.CanStop !== 'no',
    dependencies: {
      requires: list(props.Requires),
      wants: list(props.Wants),
      after: list(props.After),
      before: list(props.Before),
      wantedBy: list(props.WantedBy),
      requiredBy: list(props.RequiredBy),
      conflicts: list(props.Conflicts),
      triggers: list(props.Triggers),
      triggeredBy: list(props.TriggeredBy),
    },
    nextElapseAt: parseTimestamp(props.NextElapseUSecRealtime),
    lastTriggerAt: parseTimestamp(props.LastTriggerUSec),
    properties: props,
  };
}

/**
 * `systemctl cat`: each file opens with "# PATH". Only the paths systemd reported (FragmentPath,
 * DropInPaths) split it, so a comment inside a file that looks like a path does not.
 */
export function splitCat(text: string, paths: readonly string[], dropIns: readonly string[]): UnitFile[] {
  const known = new Set(paths);
  const files: UnitFile[] = [];
  let current: { path: string; lines: string[] } | undefined;
  const close = () => {
    if (!current) return;
    const content = current.lines.join('\n').replace(/\n+$/, '\n');
    files.push({ path: current.path, content, dropIn: dropIns.includes(current.path) });
  };
  for (const line of text.split('\n')) {
    const path = line.startsWith('# ') ? line.slice(2) : undefined;
    if (
      path !== undefined &&
      known.has(path) &&
      !files.some((f) => f.path === path) &&
      current?.path !== path
    ) {
      close();
      current = { path, lines: [] };
    } else current?.lines.push(line);
  }
  close();
  return files;
}
