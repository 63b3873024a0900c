// Strips secrets from arguments before they are written anywhere: by field name, at any depth.

/** Field names that hold secrets anywhere in Hyperion's inputs (passwords, passphrases, webhook URLs, codes). */
const SECRET_KEY =
  /pass(word|phrase)?|secret|token|totp|otp|recovery|webhook|api.?key|private.?key|credential|cookie|smtp.?pass/i;

export const REDACTED = '[redacted]';

/** How much of an argument is kept: long text is cut, deep nesting flattened. */
const MAX_STRING = 2_000;
const MAX_DEPTH = 6;
const MAX_ITEMS = 100;

export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redact(v, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
    return items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      out[key] =
        SECRET_KEY.test(key) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return String(value);
}

/** The arguments of a call as a flat record for the audit log. */
export function redactArgs(input: unknown): Record<string, unknown> {
  const cleaned = redact(input);
  if (cleaned !== null && typeof cleaned === 'object' && !Array.isArray(cleaned)) {
    return cleaned as Record<string, unknown>;
  }
  return cleaned === null ? {} : { value: cleaned };
}
