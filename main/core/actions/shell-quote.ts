// The one quoting function for commands sent over SSH. Every remote command Hyperion runs is a fixed
// argument vector whose variable parts were validated first; this turns it into the single string an
// SSH exec request carries. Nothing else in the code base may build a remote command line.

/** Words that need no quotes in any POSIX shell, fish or csh (no "=", "~", globs or expansions). */
const PLAIN = /^[A-Za-z0-9_./:@,+-]+$/;

export class UnsafeArgumentError extends Error {
  constructor(reason: string) {
    super(`This argument cannot be sent to a remote shell: ${reason}.`);
    this.name = 'UnsafeArgumentError';
  }
}

/**
 * Quotes one argument for a POSIX shell: plain words as they are, everything else in single quotes
 * with each ' written as '\''. Inside single quotes no character is special, so `;`, `$()`,
 * backticks, `&&`, globs and unicode all arrive as one literal argument. NUL cannot be carried and
 * line breaks are refused too (csh does not accept them inside quotes): validation keeps them out.
 */
export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new UnsafeArgumentError('it contains a NUL character');
  if (/[\n\r]/.test(arg)) throw new UnsafeArgumentError('it contains a line break');
  if (arg !== '' && PLAIN.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line from an argument vector, every word quoted by quoteArg. */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new UnsafeArgumentError('there is no command');
  return argv.map(quoteArg).join(' ');
}
