// systemd on any host: the unit list, one unit's details and files, start/stop/restart/reload/
// enable/disable, Hyperion's drop-in override, and the journal (read and followed). Every command
// is a fixed argument vector; unit names were checked against systemd's grammar by the contract and
// always follow "--" (a unit may start with "-").
import { ApiError } from '../../../common/errors';
import type {
  JournalEntry,
  JournalFollowEvent,
  JournalPage,
  ServicesList,
  UnitActionResult,
  UnitDetails,
  UnitFiles,
  UnitSummary,
} from '../../../common/schemas/services';
import { commandFailed, runEscalating } from '../actions/escalate';
import type { CommandOutput, HostRunner, RunningCommand } from '../actions/host-runner';
import { isPrivilegeFailure, meaningfulStderr } from '../actions/privilege';
import type { RunnerSource } from '../actions/runners';
import type { Logger } from '../log';
import { CURSOR_PATTERN, JournalLineSplitter, matchesSearch, parseJournalLine } from './journal-parse';
import { normalizeOverride, overrideDir, overridePath, overrideProblems } from './override';
import {
  detailsFromProperties,
  mergeUnits,
  parseListUnitFiles,
  parseListUnits,
  parseListTimersJson,
  parseShow,
  parseShowBlocks,
  splitCat,
} from './systemctl-parse';

export type UnitVerb = 'start' | 'stop' | 'restart' | 'reload';

const VERB_WORDS: Record<UnitVerb | 'enable' | 'disable', [string, string]> = {
  start: ['Starting', 'Started'],
  stop: ['Stopping', 'Stopped'],
  restart: ['Restarting', 'Restarted'],
  reload: ['Reloading', 'Reloaded'],
  enable: ['Enabling', 'Enabled'],
  disable: ['Disabling', 'Disabled'],
};

const NO_SYSTEMD = (label: string) =>
  `systemd is not available on ${label}: it was not booted with systemd (no /run/systemd/system).`;

/** journald's "you only see your own messages" hints. */
const PARTIAL_JOURNAL =
  /not seeing messages from other users|insufficient permissions|No journal files were (opened|found)/i;
const NO_GREP = /without pattern matching|unrecognized option.*--grep|unrecognized option.*case-sensitive/i;

const FOLLOW_BATCH_MS = 100;

/** The unit types the list shows. */
const LISTED_TYPES = ['service', 'timer', 'socket'];

export interface ServicesServiceOptions {
  runners: RunnerSource;
  log: Logger;
}

export class ServicesService {
  /** Whether a host runs systemd, remembered briefly: the list asks on every refresh. */
  private readonly availability = new Map<string, { available: boolean; at: number }>();

  constructor(private readonly options: ServicesServiceOptions) {}

  async list(host: string): Promise<ServicesList> {
    const runner = this.options.runners.runnerFor(host);
    if (!(await this.hasSystemd(runner))) return { available: false, reason: NO_SYSTEMD(runner.label) };
    // Services, and the timers and sockets that start them (what Cockpit lists too).
    const types = `--type=${LISTED_TYPES.join(',')}`;
    const common = [types, '--all', '--plain', '--no-legend', '--no-pager'];
    const [units, files] = await Promise.all([
      runner.run(['systemctl', 'list-units', ...common]),
      runner.run(['systemctl', 'list-unit-files', types, '--plain', '--no-legend', '--no-pager']),
    ]);
    if (units.code !== 0) {
      if (units.code === 127)
        return { available: false, reason: `systemctl is not installed on ${runner.label}.` };
      throw commandFailed('Listing the services', runner.label, units);
    }
    const merged = mergeUnits(
      parseListUnits(units.stdout),
      parseListUnitFiles(files.code === 0 ? files.stdout : ''),
    );
    await this.describeUnloaded(runner, merged);
    return { available: true, units: merged };
  }

  /** Unit files systemd has not loaded (a disabled, stopped service): their description and state. */
  private async describeUnloaded(runner: HostRunner, units: UnitSummary[]): Promise<void> {
    const unloaded = units.filter((u) => u.load === 'not-loaded');
    for (let i = 0; i < unloaded.length; i += 200) {
      const chunk = unloaded.slice(i, i + 200);
      const out = await runner.run([
        'systemctl',
        'show',
        '--no-pager',
        '--property=Id,Description,LoadState,ActiveState,SubState',
        '--',
        ...chunk.map((u) => u.name),
      ]);
      if (out.code !== 0) return;
      const byId = new Map(parseShowBlocks(out.stdout).map((p) => [p.Id, p]));
      for (const u of chunk) {
        const props = byId.get(u.name);
        if (!props) continue;
        u.description = props.Description ?? '';
        u.load = props.LoadState ?? u.load;
        u.active = props.ActiveState ?? u.active;
        u.sub = props.SubState ?? u.sub;
      }
    }
  }

  async details(host: string, unit: string): Promise<UnitDetails> {
    const runner = await this.systemdRunner(host);
    return this.show(runner, unit);
  }

  async files(host: string, unit: string): Promise<UnitFiles> {
    const runner = await this.systemdRunner(host);
    const details = await this.show(runner, unit);
    const paths = [details.fragmentPath, ...details.dropIns].filter((p): p is string => !!p);
    const out = await runner.run(['systemctl', 'cat', '--no-pager', '--', unit]);
    if (out.code !== 0 && !out.stdout) {
      if (/no files found/i.test(out.stderr)) {
        return { unit, files: [], overridePath: overridePath(unit), override: '' };
      }
      throw commandFailed(`Reading the files of ${unit}`, runner.label, out);
    }
    const files = splitCat(out.stdout, paths, details.dropIns);
    const override = files.find((f) => f.path === overridePath(unit))?.content ?? '';
    return { unit, files, overridePath: overridePath(unit), override };
  }

  async act(host: string, unit: string, verb: UnitVerb): Promise<UnitActionResult> {
    const runner = await this.systemdRunner(host);
    const [doing, done] = VERB_WORDS[verb];
    await this.systemctl(runner, [verb, '--', unit], `${doing} ${unit}`, unit);
    return this.result(runner, unit, `${done} ${unit} on ${runner.label}.`);
  }

  async setEnabled(host: string, unit: string, enable: boolean, now: boolean): Promise<UnitActionResult> {
    const runner = await this.systemdRunner(host);
    const verb = enable ? 'enable' : 'disable';
    const [doing, done] = VERB_WORDS[verb];
    const what = `${doing} ${unit}${now ? (enable ? ' and starting it' : ' and stopping it') : ''}`;
    await this.systemctl(runner, [verb, ...(now ? ['--now'] : []), '--', unit], what, unit);
    const extra = now ? (enable ? ' and started it' : ' and stopped it') : '';
    return this.result(runner, unit, `${done} ${unit}${extra} on ${runner.label}.`);
  }

  async setOverride(
    host: string,
    unit: string,
    content: string,
    expected: string,
    restart: boolean,
  ): Promise<UnitActionResult> {
    const text = normalizeOverride(content);
    const problems = overrideProblems(text);
    if (problems.length > 0) {
      throw new ApiError('invalid_input', `The override of ${unit} is not a valid unit file.`, {
        issues: problems.map((message) => ({ path: 'content', message })),
      });
    }
    const runner = await this.systemdRunner(host);
    const current = await this.files(host, unit);
    if (normalizeOverride(current.override) !== normalizeOverride(expected)) {
      throw new ApiError(
        'conflict',
        `The override of ${unit} on ${runner.label} changed since you opened it: review the new version.`,
        { override: current.override },
      );
    }
    const path = overridePath(unit);
    const what = `Changing the override of ${unit}`;
    const step = async (argv: string[], stdin?: string) => {
      const out = await runEscalating(runner, argv, what, stdin === undefined ? {} : { stdin });
      if (out.code !== 0) throw commandFailed(what, runner.label, out);
    };
    if (text === '') {
      await step(['rm', '-f', '--', path]);
    } else {
      const temporary = `${path}.hyperion-new`;
      await step(['mkdir', '-p', '--', overrideDir(unit)]);
      await step(['tee', '--', temporary], text);
      await step(['mv', '-f', '--', temporary, path]);
    }
    await this.systemctl(runner, ['daemon-reload'], `Reloading systemd after ${what.toLowerCase()}`, unit);
    if (restart) await this.systemctl(runner, ['restart', '--', unit], `Restarting ${unit}`, unit);
    const said = text === '' ? 'Removed the override of' : 'Applied the override of';
    return this.result(
      runner,
      unit,
      `${said} ${unit} on ${runner.label}${restart ? ' and restarted it' : ''}.`,
    );
  }

  async journal(
    host: string,
    query: { unit?: string; lines: number; priority: number; search?: string },
  ): Promise<JournalPage> {
    const runner = await this.systemdRunner(host);
    const read = await this.readJournal(runner, query);
    return { entries: read.entries, partial: read.partial, note: read.note };
  }

  /** Follows a journal: the last lines, then each new one, until stopped or the host goes away. */
  async follow(
    host: string,
    query: { unit?: string; lines: number; priority: number; search?: string },
    emit: (event: JournalFollowEvent) => void,
  ): Promise<() => void> {
    const runner = await this.systemdRunner(host);
    const first = await this.readJournal(runner, { ...query, lines: Math.max(1, query.lines) });
    const initial = query.lines === 0 ? [] : first.entries;
    emit({ snapshot: true, entries: initial, error: null, partial: first.partial });
    const last = first.entries[first.entries.length - 1]?.cursor;
    const argv = [
      'journalctl',
      '--output=json',
      '--no-pager',
      '--follow',
      ...this.filterArgs(query, first.grep),
      ...(last && CURSOR_PATTERN.test(last) ? [`--after-cursor=${last}`] : ['--lines=0']),
    ];
    let command: RunningCommand;
    try {
      command = await runner.spawn(argv, { privileged: first.escalated });
    } catch (err) {
      emit({ snapshot: false, entries: [], error: describe(err, runner), partial: first.partial });
      return () => undefined;
    }
    const splitter = new JournalLineSplitter();
    let pending: JournalEntry[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const flush = () => {
      timer = undefined;
      if (pending.length === 0 || stopped) return;
      const batch = pending;
      pending = [];
      emit({ snapshot: false, entries: batch, error: null, partial: first.partial });
    };
    command.onStdout((text) => {
      const entries = splitter.push(text).filter((e) => first.grep || matchesSearch(e, query.search));
      if (entries.length === 0) return;
      pending.push(...entries);
      timer ??= setTimeout(flush, FOLLOW_BATCH_MS);
    });
    void command.ended.then(({ code, stderr }) => {
      if (stopped) return;
      flush();
      const error =
        code === 0
          ? 'The journal stopped.'
          : isPrivilegeFailure(stderr)
            ? `Following this journal needs root or sudo on ${runner.label}.`
            : `Following the journal on ${runner.label} stopped (the connection may have dropped).`;
      emit({ snapshot: false, entries: [], error, partial: first.partial });
    });
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      command.stop();
    };
  }

  forget(host: string): void {
    this.availability.delete(host);
  }

  private filterArgs(query: { unit?: string; priority: number; search?: string }, grep: boolean): string[] {
    return [
      ...(query.unit ? [`--unit=${query.unit}`] : []),
      ...(query.priority < 7 ? [`--priority=${query.priority}`] : []),
      ...(grep && query.search ? [`--grep=${query.search}`, '--case-sensitive=false'] : []),
    ];
  }

  private async readJournal(
    runner: HostRunner,
    query: { unit?: string; lines: number; priority: number; search?: string },
  ): Promise<{
    entries: JournalEntry[];
    partial: boolean;
    note: string | null;
    escalated: boolean;
    grep: boolean;
  }> {
    const base = (grep: boolean, lines: number) => [
      'journalctl',
      '--output=json',
      '--no-pager',
      `--lines=${lines}`,
      ...this.filterArgs(query, grep),
    ];
    let grep = query.search !== undefined && query.search !== '';
    // A login user that is not root sees only their own messages (journalctl says nothing about it
    // in JSON mode): sudo first, where there is sudo.
    let escalated = runner.canEscalate;
    const run = async (argv: string[]): Promise<CommandOutput> => {
      if (escalated) {
        const viaSudo = await runner.run(argv, { timeoutMs: 30_000, privileged: true });
        if (!(viaSudo.code !== 0 && isPrivilegeFailure(viaSudo.stderr))) return viaSudo;
        escalated = false;
      }
      return runner.run(argv, { timeoutMs: 30_000 });
    };
    let out = await run(base(grep, query.lines));
    if (grep && out.code !== 0 && NO_GREP.test(out.stderr)) {
      // This journalctl cannot search: read more lines and search them here.
      grep = false;
      out = await run(base(false, Math.min(50_000, query.lines * 20)));
    }
    // journalctl --grep exits 1 when nothing matches.
    if (
      out.code !== 0 &&
      out.stdout.trim() === '' &&
      !(grep && out.code === 1 && !meaningfulStderr(out.stderr))
    ) {
      if (!isPrivilegeFailure(out.stderr) && !PARTIAL_JOURNAL.test(out.stderr)) {
        throw commandFailed('Reading the journal', runner.label, out);
      }
    }
    let entries = out.stdout.split('\n').flatMap((l) => parseJournalLine(l) ?? []);
    if (!grep && query.search)
      entries = entries.filter((e) => matchesSearch(e, query.search)).slice(-query.lines);
    const partial = !runner.local && !escalated && !(await this.readsWholeJournal(runner));
    return {
      entries,
      partial,
      note: partial
        ? `Only this user's own messages are readable on ${runner.label}: root, sudo, or the systemd-journal or adm group shows the whole journal.`
        : null,
      escalated,
      grep,
    };
  }

  /** Root, or a member of the groups journald lets read everything. */
  private async readsWholeJournal(runner: HostRunner): Promise<boolean> {
    if (!runner.canEscalate) return true;
    const out = await runner.run(['id', '-Gn']);
    return out.code === 0 && /(^|\s)(systemd-journal|adm|wheel)(\s|$)/.test(out.stdout);
  }

  private async show(runner: HostRunner, unit: string): Promise<UnitDetails> {
    const out = await runner.run(['systemctl', 'show', '--no-pager', '--', unit]);
    if (out.code !== 0) throw commandFailed(`Reading ${unit}`, runner.label, out);
    const props = parseShow(out.stdout);
    if (props.LoadState === 'not-found' && !props.FragmentPath) {
      throw new ApiError('not_found', `There is no unit ${unit} on ${runner.label}.`, { unit });
    }
    const details = detailsFromProperties(unit, props);
    if (unit.endsWith('.timer')) {
      const timers = await runner.run(['systemctl', 'list-timers', '--all', '--output=json', '--', unit]);
      const elapse = timers.code === 0 ? parseListTimersJson(timers.stdout, unit) : undefined;
      if (elapse) Object.assign(details, elapse);
    }
    return details;
  }

  private async result(runner: HostRunner, unit: string, message: string): Promise<UnitActionResult> {
    const d = await this.show(runner, unit).catch(() => undefined);
    return { ok: true, message, active: d?.active ?? null, sub: d?.sub ?? null, enabled: d?.enabled ?? null };
  }

  /** systemctl with sudo where needed; "not found" and failed jobs said in a sentence. */
  private async systemctl(runner: HostRunner, args: string[], what: string, unit: string): Promise<void> {
    const out = await runEscalating(runner, ['systemctl', '--no-ask-password', ...args], what, {
      timeoutMs: 120_000,
    });
    if (out.code === 0) return;
    const said = out.stderr;
    if (/not (be )?found|not loaded|No such file or directory/i.test(said) && !/job/i.test(said)) {
      throw new ApiError('not_found', `There is no unit ${unit} on ${runner.label}.`, { unit });
    }
    if (/Job for .* failed/i.test(said)) {
      throw new ApiError(
        'conflict',
        `${what} failed on ${runner.label}: the unit did not come up. Its journal (Logs) says why.`,
        { output: said.trim().slice(0, 400) },
      );
    }
    throw commandFailed(what, runner.label, out);
  }

  private async hasSystemd(runner: HostRunner): Promise<boolean> {
    const known = this.availability.get(runner.hostId);
    if (known && Date.now() - known.at < 30_000) return known.available;
    const out = await runner.run(['test', '-d', '/run/systemd/system']);
    const available = out.code === 0;
    this.availability.set(runner.hostId, { available, at: Date.now() });
    return available;
  }

  private async systemdRunner(host: string): Promise<HostRunner> {
    const runner = this.options.runners.runnerFor(host);
    if (!(await this.hasSystemd(runner))) throw new ApiError('unavailable', NO_SYSTEMD(runner.label));
    return runner;
  }
}

function describe(err: unknown, runner: HostRunner): string {
  return err instanceof ApiError ? err.message : `Following the journal on ${runner.label} failed.`;
}
