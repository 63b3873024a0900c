// The states of a host connection, what each means for a person, and how a failure maps to one.
import type { HostKeyDecision } from './host-key-policy';
import { sshFailure, type SshFailure } from './ssh-errors';

export type ConnectionState =
  'connecting' | 'up' | 'auth_failed' | 'host_key_unknown' | 'host_key_mismatch' | 'unreachable' | 'down';

export interface ConnectionStatus {
  state: ConnectionState;
  /** One sentence for a person, naming the host. */
  message: string;
  /** When this state began (ms since the epoch). */
  since: number;
  /** Login attempts since the connection was last up (0 while up or stopped). */
  attempt: number;
  /** When the next automatic attempt happens; undefined when none is planned. */
  nextRetryAt: number | undefined;
  /** Why, for every state that is a failure. */
  error?: SshFailure;
  /** The key the server presented and what the policy said, for the host-key states. */
  hostKey?: HostKeyDecision;
}

/** A stretch of time when the host was wanted but not connected: stored as a gap, never filled in. */
export interface Outage {
  start: number;
  /** Undefined while the outage goes on. */
  end: number | undefined;
  /** The state that opened it and its sentence. */
  state: ConnectionState;
  message: string;
}

/** States that wait for a person instead of retrying on their own. */
export const WAITS_FOR_PERSON: ReadonlySet<ConnectionState> = new Set([
  'auth_failed',
  'host_key_unknown',
  'host_key_mismatch',
]);

interface Ssh2Error extends Error {
  level?: string;
  code?: string | number;
}

/** The failure behind a connection attempt that ended, from ssh2's error (if any) and what we knew. */
export function classifyFailure(
  error: Error | undefined,
  context: {
    label: string;
    port: number;
    wasUp: boolean;
    timedOutAfterMs?: number;
    silentAfterPings?: number;
  },
): SshFailure {
  const { label } = context;
  const details = error ? { cause: error.message } : undefined;
  if (context.silentAfterPings !== undefined) {
    return sshFailure(
      'timeout',
      `${label} stopped answering (${context.silentAfterPings} keepalives without a reply); reconnecting.`,
      details,
    );
  }
  if (context.timedOutAfterMs !== undefined) {
    return sshFailure(
      'timeout',
      `${label} did not complete the SSH login within ${Math.round(context.timedOutAfterMs / 1000)} s.`,
      details,
    );
  }
  const err = error as Ssh2Error | undefined;
  if (err?.level === 'client-authentication') {
    return sshFailure(
      'auth_failed',
      `${label} refused the login: the password or key was not accepted. Fix the credentials, then reconnect.`,
      details,
    );
  }
  switch (err?.code) {
    case 'ECONNREFUSED':
      return sshFailure(
        'refused',
        `${label} refused the connection on port ${context.port}: is sshd running there?`,
        details,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return sshFailure('dns', `The name of ${label} could not be resolved (DNS).`, details);
    case 'ETIMEDOUT':
      return sshFailure('timeout', `${label} did not answer (the connection timed out).`, details);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return sshFailure('network', `There is no network route to ${label}.`, details);
  }
  if (context.wasUp)
    return sshFailure('connection_lost', `The connection to ${label} was lost; reconnecting.`, details);
  if (err?.level === 'client-timeout') {
    return sshFailure('timeout', `${label} did not complete the SSH handshake in time.`, details);
  }
  if (err?.level === 'protocol' || err?.level === 'handshake') {
    return sshFailure('protocol', `The SSH handshake with ${label} failed: ${err.message}.`, details);
  }
  if (err) return sshFailure('network', `The connection to ${label} failed: ${err.message}.`, details);
  return sshFailure('connection_lost', `${label} closed the connection before the login finished.`);
}

/** Which state a failure puts the connection in. */
export function stateForFailure(failure: SshFailure): ConnectionState {
  switch (failure.code) {
    case 'auth_failed':
    case 'no_credentials':
    case 'key_unreadable':
      return 'auth_failed';
    case 'host_key_unknown':
      return 'host_key_unknown';
    case 'host_key_mismatch':
    case 'host_key_revoked':
      return 'host_key_mismatch';
    default:
      return 'unreachable';
  }
}
