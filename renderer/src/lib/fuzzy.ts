// Matching what someone types in the command palette: every word must appear, in order, as a run
// of letters of the text; starts of words and unbroken runs score higher. Pure.

/** A score (higher is better), or undefined when the query does not match. */
export function fuzzyScore(query: string, text: string): number | undefined {
  const words = query.toLowerCase().trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 0;
  const hay = text.toLowerCase();
  let total = 0;
  for (const word of words) {
    const s = wordScore(word, hay);
    if (s === undefined) return undefined;
    total += s;
  }
  return total;
}

function wordScore(word: string, hay: string): number | undefined {
  const at = hay.indexOf(word);
  if (at !== -1) {
    // A whole substring: best at the start of the text or of a word.
    const start = at === 0 ? 30 : /[\s/›·:_.-]/.test(hay[at - 1]!) ? 20 : 10;
    return start + word.length * 4;
  }
  // Letters in order, close together, e.g. "wb1" in "web1" (not "connect" across a sentence).
  let score = 0;
  let from = 0;
  let previous = -2;
  let first = -1;
  for (const ch of word) {
    const i = hay.indexOf(ch, from);
    if (i === -1) return undefined;
    if (first === -1) first = i;
    if (i - first > word.length * 2 + 2) return undefined;
    score += i === previous + 1 ? 3 : 1;
    if (i === 0 || /[\s/›·:_.-]/.test(hay[i - 1]!)) score += 2;
    previous = i;
    from = i + 1;
  }
  return score;
}

/** The items that match, best first; ties keep their order. */
export function fuzzyFilter<T>(
  items: readonly T[],
  query: string,
  text: (item: T) => string,
  limit = 50,
): T[] {
  if (!query.trim()) return items.slice(0, limit);
  return items
    .map((item, index) => ({ item, index, score: fuzzyScore(query, text(item)) }))
    .filter((x): x is { item: T; index: number; score: number } => x.score !== undefined)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map((x) => x.item);
}
