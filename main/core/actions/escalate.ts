// Runs a command as the login user first and, where a privilege is missing on an SSH host whose
// login user is not root, once more with `sudo -n`; a privilege still missing becomes the one
// sentence "… needs root or sudo on HOST".
import { ApiError } from '../../../common/errors';
import type { CommandOutput, HostRunner, RunOptions } from './host-runner';
import { firstLines, isPrivilegeFailure, meaningfulStderr, privilegeError } from './privilege';

export interface EscalatedOutput extends CommandOutput {
  /** Whether it ran under sudo. */
  escalated: boolean;
}

/** `what` names the action for messages, e.g. "Restarting nginx.service". */
export async function runEscalating(
  runner: HostRunner,
  argv: readonly string[],
  what: string,
  options: Omit<RunOptions, 'privileged'> = {},
): Promise<EscalatedOutput> {
  const plain = await runner.run(argv, options);
  if (plain.code === 0 || !isPrivilegeFailure(plain.stderr)) return { ...plain, escalated: false };
  if (!runner.canEscalate) throw privilegeError(what, runner.label, plain.stderr);
  const escalated = await runner.run(argv, { ...options, privileged: true });
  if (escalated.code !== 0 && isPrivilegeFailure(escalated.stderr)) {
    throw privilegeError(what, runner.label, escalated.stderr);
  }
  return { ...escalated, escalated: true };
}

/** A command that failed for another reason: its first line of stderr as the sentence's end. */
export function commandFailed(what: string, label: string, output: CommandOutput): ApiError {
  const said = firstLines(meaningfulStderr(output.stderr) || output.stdout, 1, 300).replace(
    /^[a-z-]+: /i,
    '',
  );
  return new ApiError(
    'conflict',
    said
      ? `${what} failed on ${label}: ${said}`
      : `${what} failed on ${label} (exit status ${output.code ?? 'unknown'}).`,
    { code: output.code, output: firstLines(meaningfulStderr(output.stderr) || output.stdout) },
  );
}
