// Turns ssh_config text into an ordered list of directives, each tagged with the Host block it belongs to.

/** When a directive applies: always (top of file, `Match all`), for some Host patterns, or never (Match). */
export type SshConfigCondition =
  { kind: 'always' } | { kind: 'host'; patterns: string[] } | { kind: 'match'; criteria: string };

export interface SshConfigDirective {
  /** Lower case: ssh_config keywords are case-insensitive. */
  keyword: string;
  args: string[];
  file: string;
  line: number;
  condition: SshConfigCondition;
}

export interface SshConfigWarning {
  file: string;
  line: number;
  message: string;
}

export interface ParsedSshConfig {
  directives: SshConfigDirective[];
  /** Every Host line, in file order (Include splices included files in place). */
  hostLines: { patterns: string[]; file: string; line: number }[];
  warnings: SshConfigWarning[];
}

export interface IncludedFile {
  path: string;
  text: string;
}

/**
 * Resolves one Include argument (with `~`, relative paths and globs) to the files it names, sorted as
 * glob(3) would. `error` reports a file that exists but could not be read.
 */
export type IncludeResolver = (
  pattern: string,
  fromFile: string,
) => { files: IncludedFile[]; error?: string };

/** OpenSSH's limit on nested Include. */
const MAX_INCLUDE_DEPTH = 16;

export function parseSshConfigText(text: string, file: string, include?: IncludeResolver): ParsedSshConfig {
  const parsed: ParsedSshConfig = { directives: [], hostLines: [], warnings: [] };
  parseInto(parsed, text, file, { kind: 'always' }, include, [file]);
  return parsed;
}

function parseInto(
  out: ParsedSshConfig,
  text: string,
  file: string,
  startCondition: SshConfigCondition,
  include: IncludeResolver | undefined,
  stack: string[],
): void {
  // A Host or Match line inside an included file changes the condition only until that file ends.
  let condition = startCondition;
  const warn = (line: number, message: string): void => {
    out.warnings.push({ file, line, message });
  };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const split = splitLine(raw);
    if (!split) return;
    if ('error' in split) return warn(line, split.error);
    const { keyword, args } = split;
    if (keyword === 'host') {
      if (args.length === 0) return warn(line, 'Host line without a name: ignored.');
      condition = { kind: 'host', patterns: args };
      out.hostLines.push({ patterns: args, file, line });
      return;
    }
    if (keyword === 'match') {
      const criteria = args.join(' ');
      if (args.length === 1 && args[0]?.toLowerCase() === 'all') {
        condition = { kind: 'always' };
        return;
      }
      condition = { kind: 'match', criteria };
      return warn(
        line,
        `Match block skipped ("Match ${criteria}"): Hyperion imports Host blocks only, so its settings are not applied.`,
      );
    }
    if (keyword === 'include') {
      if (args.length === 0) return warn(line, 'Include without a file name: ignored.');
      for (const pattern of args) includeFile(out, pattern, file, line, condition, include, stack);
      return;
    }
    out.directives.push({ keyword, args, file, line, condition });
  });
}

function includeFile(
  out: ParsedSshConfig,
  pattern: string,
  file: string,
  line: number,
  condition: SshConfigCondition,
  include: IncludeResolver | undefined,
  stack: string[],
): void {
  const warn = (message: string): void => {
    out.warnings.push({ file, line, message });
  };
  if (!include) return warn(`Include ${pattern} not followed (no file access here).`);
  if (stack.length > MAX_INCLUDE_DEPTH)
    return warn(`Include ${pattern} skipped: more than 16 nested includes.`);
  const { files, error } = include(pattern, file);
  if (error) warn(`Include ${pattern}: ${error}`);
  else if (files.length === 0) warn(`Include ${pattern} matched no files.`);
  for (const included of files) {
    if (stack.includes(included.path)) {
      warn(`Include ${included.path} skipped: it includes itself.`);
      continue;
    }
    parseInto(out, included.text, included.path, condition, include, [...stack, included.path]);
  }
}

/** `Keyword value…` or `Keyword=value…`; undefined for blank lines and comments. */
export function splitLine(raw: string): { keyword: string; args: string[] } | { error: string } | undefined {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const match = /^([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+|$)(.*)$/.exec(text);
  if (!match) return { error: `Unreadable line: ${text}` };
  const keyword = (match[1] ?? '').toLowerCase();
  const args = tokenize(match[2] ?? '');
  if ('error' in args) return { error: `${match[1]}: ${args.error}` };
  return { keyword, args: args.tokens };
}

/** Splits arguments on blanks, honouring "double" and 'single' quotes and backslash escapes; `#` starts a comment. */
export function tokenize(text: string): { tokens: string[] } | { error: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length || text[i] === '#') break;
    let token = '';
    let quote: string | undefined;
    for (; i < text.length; i++) {
      const c = text[i] ?? '';
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && (text[i + 1] === quote || text[i + 1] === '\\')) token += text[++i];
        else token += c;
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (/\s/.test(c)) {
        break;
      } else if (c === '\\' && i + 1 < text.length) {
        token += text[++i];
      } else {
        token += c;
      }
    }
    if (quote) return { error: 'unterminated quote' };
    tokens.push(token);
  }
  return { tokens };
}
