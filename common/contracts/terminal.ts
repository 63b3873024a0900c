// Terminals: shells on hosts' existing connections, with their output as a stream and input as calls.
import { z } from 'zod';
import { defineContract } from '../contract';
import { HostId } from '../schemas/sample';
import { SessionId, TerminalEvent, TerminalInput, TerminalSession, TerminalSize } from '../schemas/terminal';

const SessionRef = z.object({ session: SessionId }).strict();

export const terminalContract = defineContract({
  methods: {
    'terminal.open': {
      input: TerminalSize.extend({ host: HostId }).strict(),
      output: TerminalSession,
      role: 'operator',
      summary:
        'Opens a login shell on the host in a new channel of its connection (audited as terminal.start).',
    },
    'terminal.sessions': {
      input: z.object({ host: HostId.optional() }).strict(),
      output: z.array(TerminalSession),
      role: 'operator',
      summary: 'The caller’s terminal sessions that are still kept (open, dropped, or ended recently).',
    },
    'terminal.input': {
      input: SessionRef.extend({ data: TerminalInput }).strict(),
      output: z.object({ ok: z.literal(true) }),
      role: 'operator',
      summary: 'Sends keystrokes or pasted text to the shell.',
    },
    'terminal.resize': {
      input: SessionRef.extend(TerminalSize.shape).strict(),
      output: TerminalSession,
      role: 'operator',
      summary: 'Tells the shell the terminal’s new size.',
    },
    'terminal.ack': {
      input: SessionRef.extend({
        viewer: z.string().max(64),
        bytes: z
          .number()
          .int()
          .min(0)
          .max(1 << 30),
      }).strict(),
      output: z.object({ ok: z.literal(true) }),
      role: 'operator',
      summary: 'Says how much output the viewer has drawn, so a flood of output waits instead of piling up.',
    },
    'terminal.reconnect': {
      input: SessionRef,
      output: TerminalSession,
      role: 'operator',
      summary: 'Opens a new shell in a dropped or ended session (reconnecting the host if needed).',
    },
    'terminal.close': {
      input: SessionRef,
      output: TerminalSession,
      role: 'operator',
      summary: 'Ends the shell and forgets the session (audited as terminal.end).',
    },
  },
  streams: {
    'terminal.output': {
      params: SessionRef,
      event: TerminalEvent,
      role: 'operator',
      summary: 'The session’s scrollback and state, then its output as it comes and each change of state.',
    },
  },
});
