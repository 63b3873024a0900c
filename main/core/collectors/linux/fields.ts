// Reading the whitespace-separated fields of /proc text in place. The parsers run every second for
// every host: splitting each line into strings and arrays made most of the collector's garbage.

/** Spaces, tabs and the other control characters /proc text can hold between fields. */
const isBlank = (code: number): boolean => code <= 32;

/** Where each field of a line starts and ends, reused from line to line. */
export class LineFields {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  count = 0;
  private text = '';

  /** Finds the fields of text[from, to). */
  scan(text: string, from: number, to: number): this {
    this.text = text;
    let n = 0;
    let i = from;
    while (i < to) {
      while (i < to && isBlank(text.charCodeAt(i))) i++;
      if (i >= to) break;
      this.starts[n] = i;
      while (i < to && !isBlank(text.charCodeAt(i))) i++;
      this.ends[n++] = i;
    }
    this.count = n;
    return this;
  }

  /** Field `i` as Number() reads it (NaN when it is not a number, undefined past the last). */
  number(i: number): number | undefined {
    if (i >= this.count) return undefined;
    return numberAt(this.text, this.starts[i]!, this.ends[i]!);
  }

  /**
   * Fields `first`… as numbers into `out` (reused by the caller); false when one is not a number.
   * One loop for all of them: the parsers run it instead of reading fields one call at a time.
   */
  numbers(first: number, out: number[]): boolean {
    let k = 0;
    for (let i = first; i < this.count; i++) {
      const value = numberAt(this.text, this.starts[i]!, this.ends[i]!);
      if (!Number.isFinite(value)) return false;
      out[k++] = value;
    }
    out.length = k;
    return true;
  }

  /** Field `i` as a string. */
  string(i: number): string | undefined {
    return i < this.count ? this.text.slice(this.starts[i], this.ends[i]) : undefined;
  }

  /** Whether field `i` is exactly `word`. */
  is(i: number, word: string): boolean {
    return (
      i < this.count &&
      this.ends[i]! - this.starts[i]! === word.length &&
      this.text.startsWith(word, this.starts[i])
    );
  }
}

/**
 * text[from, to) as Number() would read it. Plain digits (every /proc counter below 2^53) are
 * added up in place; anything else goes through Number().
 */
export function numberAt(text: string, from: number, to: number): number {
  if (to - from > 0 && to - from <= 15) {
    let value = 0;
    let i = from;
    for (; i < to; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === to) return value;
  }
  return Number(text.slice(from, to));
}

/** Calls `line(from, to)` for each line of text, in order, until it returns false. */
export function forEachLine(text: string, line: (from: number, to: number) => boolean | void): void {
  for (let from = 0; from < text.length;) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    if (line(from, to) === false) return;
    from = to + 1;
  }
}
