// Hostile text for fuzz tests: shell metacharacters, substitutions, quotes, line breaks, option-like
// prefixes and unicode. CANARY stands for a file path: a payload that ran would create it.

export const CANARY = 'CANARY';

export const HOSTILE = [
  '; touch CANARY',
  '$(touch CANARY)',
  '`touch CANARY`',
  "'; touch CANARY; '",
  '"; touch CANARY; "',
  '\\; touch CANARY',
  '&& touch CANARY',
  '| touch CANARY',
  '> CANARY',
  '\ntouch CANARY',
  'x\r\ntouch CANARY',
  '-rf',
  '--help',
  '*',
  '~',
  '$HOME',
  '${IFS}touch${IFS}CANARY',
  'a b\tc',
  "it's",
  "''",
  '!',
  'ünïcødé ✓ 日本',
  '\u202e rtl',
  '#comment',
  '=x',
  'a=b',
  '',
  '\0',
];

/** The hostile texts with CANARY replaced by a real path. */
export function hostileWith(canary: string): string[] {
  return HOSTILE.map((h) => h.replaceAll(CANARY, canary));
}
