// Silences: the alerts of a rule, a host or a tag stay quiet until a time, for a stated reason.
// Silenced alerts are still evaluated and recorded; only their notifications are held back.
import type { Silence, SilenceInput, SilenceMatcher } from '../../../common/schemas/alerts';
import { ApiError } from '../../../common/errors';
import type { Db } from '../store/database';

interface Row {
  id: number;
  kind: string;
  target: string;
  until: number;
  reason: string;
  created_by: string;
  created_at: number;
  ended_at: number | null;
}

const MAX_SILENCE_MS = 366 * 24 * 3_600_000;

function matcherOf(row: Row): SilenceMatcher {
  switch (row.kind) {
    case 'rule':
      return { kind: 'rule', ruleId: row.target };
    case 'host':
      return { kind: 'host', host: row.target };
    default:
      return { kind: 'tag', tag: row.target };
  }
}

function targetOf(m: SilenceMatcher): string {
  return m.kind === 'rule' ? m.ruleId : m.kind === 'host' ? m.host : m.tag;
}

export interface SilenceSubject {
  ruleId: string;
  host: string;
  tags: readonly string[];
}

export function silenceCovers(m: SilenceMatcher, s: SilenceSubject): boolean {
  switch (m.kind) {
    case 'rule':
      return m.ruleId === s.ruleId;
    case 'host':
      return m.host === s.host;
    case 'tag':
      return s.tags.includes(m.tag);
  }
}

export class Silences {
  private active: Silence[] = [];

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.reload();
  }

  private toSilence(row: Row): Silence {
    return {
      id: row.id,
      matcher: matcherOf(row),
      until: row.until,
      reason: row.reason,
      createdBy: row.created_by,
      createdAt: row.created_at,
      endedAt: row.ended_at,
      active: row.ended_at === null && row.until > this.now(),
    };
  }

  private reload(): void {
    const now = this.now();
    this.active = (
      this.db
        .prepare('SELECT * FROM alert_silences WHERE ended_at IS NULL AND until > ? ORDER BY until')
        .all(now) as Row[]
    ).map((r) => this.toSilence(r));
  }

  list(includeEnded: boolean): Silence[] {
    const rows = includeEnded
      ? (this.db.prepare('SELECT * FROM alert_silences ORDER BY id DESC LIMIT 500').all() as Row[])
      : (this.db
          .prepare('SELECT * FROM alert_silences WHERE ended_at IS NULL AND until > ? ORDER BY until')
          .all(this.now()) as Row[]);
    return rows.map((r) => this.toSilence(r));
  }

  create(input: SilenceInput, by: string): Silence {
    const now = this.now();
    if (input.until <= now) {
      throw new ApiError('invalid_input', 'The silence must end in the future.', {
        issues: [{ path: 'until', message: 'choose a time after now' }],
      });
    }
    if (input.until - now > MAX_SILENCE_MS) {
      throw new ApiError('invalid_input', 'A silence lasts at most a year.', {
        issues: [
          { path: 'until', message: 'choose a time within a year; disable the rule to stop it for good' },
        ],
      });
    }
    const id = Number(
      this.db
        .prepare(
          'INSERT INTO alert_silences (kind, target, until, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(input.matcher.kind, targetOf(input.matcher), input.until, input.reason, by, now).lastInsertRowid,
    );
    this.reload();
    return this.get(id)!;
  }

  get(id: number): Silence | undefined {
    const row = this.db.prepare('SELECT * FROM alert_silences WHERE id = ?').get(id) as Row | undefined;
    return row ? this.toSilence(row) : undefined;
  }

  end(id: number): Silence {
    const silence = this.get(id);
    if (!silence) throw new ApiError('not_found', `There is no silence #${id}.`);
    if (silence.active) {
      this.db.prepare('UPDATE alert_silences SET ended_at = ? WHERE id = ?').run(this.now(), id);
      this.reload();
    }
    return this.get(id)!;
  }

  /** The silence in force over an alert (the one that lasts longest), if any. */
  covering(subject: SilenceSubject): Silence | undefined {
    const now = this.now();
    let best: Silence | undefined;
    for (const s of this.active) {
      if (s.until <= now || !silenceCovers(s.matcher, subject)) continue;
      if (!best || s.until > best.until) best = s;
    }
    return best;
  }

  /** Drops silences that ran out; true when one did (held notifications may now go out). */
  expire(): boolean {
    const now = this.now();
    const before = this.active.length;
    this.active = this.active.filter((s) => s.until > now);
    return this.active.length !== before;
  }
}
