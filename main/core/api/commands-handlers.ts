// Binds the commands part of the contract to the command runner and its history.
import type { commandsContract } from '../../../common/contracts/commands';
import { ApiError } from '../../../common/errors';
import type { CommandRun } from '../../../common/schemas/commands';
import type { Handlers } from '../../../common/rpc/server';
import type { CommandRunner } from '../commands/command-runner';
import type { CommandStore } from '../commands/command-store';

/** Changes to the list of runs go out at most this often. */
const RUNS_TICK_MS = 200;

export function createCommandsHandlers(
  runner: CommandRunner,
  store: CommandStore,
  now: () => number = Date.now,
): Handlers<typeof commandsContract> {
  return {
    methods: {
      'commands.run': (input, { caller }) =>
        runner.start(input, { id: caller.id, via: caller.via, address: caller.address ?? null }),
      'commands.cancel': ({ run, host }) => runner.cancel(run, host),
      'commands.get': ({ run }) => runner.get(run),
      'commands.output': ({ run, host }) => runner.output(run, host),
      'commands.history': (query) => store.history(query),
      'commands.deleteRun': ({ run }) => {
        runner.deleteRun(run);
        return { deleted: true as const };
      },
      'commands.snippets': () => store.snippets(),
      'commands.saveSnippet': (input) => store.saveSnippet(input, now()),
      'commands.deleteSnippet': ({ id }) => {
        if (!store.deleteSnippet(id))
          throw new ApiError('not_found', 'That snippet does not exist any more.');
        return { deleted: true as const };
      },
    },
    streams: {
      'commands.live': ({ run }, emit) => runner.subscribe(run, emit),
      'commands.changed': (_params, emit) => {
        emit({ snapshot: true, runs: runner.activeRuns(), deleted: [] });
        const changed = new Map<string, CommandRun>();
        const deleted = new Set<string>();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const off = runner.onRunChanged((run, gone) => {
          if (gone) {
            changed.delete(run.id);
            deleted.add(run.id);
          } else changed.set(run.id, run);
          timer ??= setTimeout(() => {
            timer = undefined;
            emit({ snapshot: false, runs: [...changed.values()], deleted: [...deleted] });
            changed.clear();
            deleted.clear();
          }, RUNS_TICK_MS);
        });
        return () => {
          off();
          if (timer) clearTimeout(timer);
        };
      },
    },
  };
}
