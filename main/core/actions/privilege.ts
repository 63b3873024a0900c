// Turns what a host says when a privilege is missing into one sentence the UI can show:
// "… needs root or sudo on HOST", never the raw stderr of sudo, systemctl or kill.
import { ApiError } from '../../../common/errors';

/** sudo, polkit, systemctl, kill and renice saying that this user may not do it. */
const PRIVILEGE_PATTERNS = [
  /a password is required/i,
  /a terminal is required/i,
  /is not in the sudoers file/i,
  /may not run sudo/i,
  /is not allowed to (execute|run)/i,
  /sudo: (command )?not found/i,
  /sudo: .*command not found/i,
  /permission denied/i,
  /access denied/i,
  /operation not permitted/i,
  /interactive authentication required/i,
  /authentication is required/i,
  /must be (run as )?root/i,
  /not privileged/i,
];

export function isPrivilegeFailure(stderr: string): boolean {
  return PRIVILEGE_PATTERNS.some((p) => p.test(stderr));
}

/** The error for a missing privilege; `what` is the action in words, e.g. "Stopping nginx.service". */
export function privilegeError(what: string, hostLabel: string, stderr?: string): ApiError {
  return new ApiError('forbidden', `${what} needs root or sudo on ${hostLabel}.`, {
    reason: 'privilege',
    ...(stderr ? { output: firstLines(stderr) } : {}),
  });
}

/** stderr without sudo's harmless warnings (a host whose own name does not resolve). */
export function meaningfulStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !/^sudo: unable to resolve host /.test(l))
    .join('\n')
    .trim();
}

/** The first few lines of a command's stderr, trimmed, for an error's details (not its message). */
export function firstLines(text: string, lines = 3, chars = 400): string {
  return text.trim().split('\n').slice(0, lines).join('\n').slice(0, chars);
}
