// Commands on one or many hosts: run, watch live, cancel, look back at past runs, keep snippets.
import { z } from 'zod';
import { defineContract } from '../contract';
import {
  CommandHistoryPage,
  CommandHistoryQuery,
  CommandLiveEvent,
  CommandRun,
  CommandRunInput,
  HostOutput,
  RunId,
  Snippet,
  SnippetId,
  SnippetInput,
} from '../schemas/commands';
import { HostId } from '../schemas/sample';

export const commandsContract = defineContract({
  methods: {
    'commands.run': {
      input: CommandRunInput,
      output: CommandRun,
      role: 'operator',
      mutating: true,
      audit: { target: 'command' },
      dangerous: { whenManyOf: 'hosts' },
      summary:
        'Runs what the user typed in the login shell of each host, over its existing connection; answers at once with the run, whose progress comes on commands.live.',
    },
    'commands.cancel': {
      input: z.object({ run: RunId, host: HostId.optional() }).strict(),
      output: CommandRun,
      role: 'operator',
      mutating: true,
      audit: { target: 'run' },
      summary: 'Stops a run (or one host of it): SIGTERM to the remote command, SIGKILL if it lingers.',
    },
    'commands.get': {
      input: z.object({ run: RunId }).strict(),
      output: CommandRun,
      role: 'viewer',
      summary: 'One run, live or from history.',
    },
    'commands.output': {
      input: z.object({ run: RunId, host: HostId }).strict(),
      output: HostOutput,
      role: 'viewer',
      summary: 'The kept output of one host of a run (up to the per-host limit).',
    },
    'commands.history': {
      input: CommandHistoryQuery,
      output: CommandHistoryPage,
      role: 'viewer',
      summary: 'Past and running runs, newest first.',
    },
    'commands.deleteRun': {
      input: z.object({ run: RunId }).strict(),
      output: z.object({ deleted: z.literal(true) }),
      role: 'operator',
      mutating: true,
      audit: { target: 'run' },
      summary: 'Removes a finished run and its output from the history (the audit log keeps its entry).',
    },
    'commands.snippets': {
      input: z.object({}).strict(),
      output: z.array(Snippet),
      role: 'viewer',
      summary: 'Saved commands, by name.',
    },
    'commands.saveSnippet': {
      input: SnippetInput,
      output: Snippet,
      role: 'operator',
      mutating: true,
      audit: { target: 'name' },
      summary: 'Saves a new snippet or changes one.',
    },
    'commands.deleteSnippet': {
      input: z.object({ id: SnippetId }).strict(),
      output: z.object({ deleted: z.literal(true) }),
      role: 'operator',
      mutating: true,
      audit: { target: 'id' },
      summary: 'Forgets a snippet.',
    },
  },
  streams: {
    'commands.live': {
      params: z.object({ run: RunId }).strict(),
      event: CommandLiveEvent,
      role: 'viewer',
      summary: 'One run: its state and the tail of each host’s output, then new output and changes.',
    },
    'commands.changed': {
      params: z.object({}).strict(),
      event: z.object({ snapshot: z.boolean(), runs: z.array(CommandRun), deleted: z.array(RunId) }),
      role: 'viewer',
      summary: 'The runs in progress, then every run that starts, progresses, ends or is deleted.',
    },
  },
});
