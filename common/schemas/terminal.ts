// Interactive terminals: a shell on a host's existing connection, seen and typed into by the UI.
import { z } from 'zod';
import { HostId } from './sample';

export const SessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a terminal session id');

export const TerminalSize = z.object({
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(1).max(500),
});

export const TerminalState = z.enum([
  /** The shell is being opened. */
  'opening',
  'open',
  /** The connection went away; a new shell opens when it comes back (or on reconnect). */
  'dropped',
  /** The shell ended (exit, or closed by the user). */
  'closed',
]);
export type TerminalState = z.infer<typeof TerminalState>;

export const TerminalSession = z.object({
  id: SessionId,
  host: HostId,
  hostName: z.string(),
  state: TerminalState,
  /** A sentence for the banner: why it is in this state and what happens next. */
  message: z.string(),
  openedAt: z.number(),
  /** When the state last changed. */
  since: z.number(),
  cols: z.number().int(),
  rows: z.number().int(),
  /** 1 for the first shell of the session, 2 after the first reconnect, … */
  generation: z.number().int().positive(),
  /** The shell's exit status once it ended by itself. */
  exitCode: z.number().int().nullable(),
});
export type TerminalSession = z.infer<typeof TerminalSession>;

export const TerminalEvent = z.object({
  /** True for the first event: the scrollback kept so far, and who this viewer is (for acks). */
  snapshot: z.boolean(),
  viewer: z.string().optional(),
  /** Terminal output (UTF-8 text with escape sequences), to write to the terminal as is. */
  data: z.string(),
  /** The session, when its state changed (always in the snapshot). */
  session: TerminalSession.optional(),
});
export type TerminalEvent = z.infer<typeof TerminalEvent>;

/** Keystrokes or a pasted text; the UI splits longer pastes. */
export const TerminalInput = z.string().min(1).max(65_536);
