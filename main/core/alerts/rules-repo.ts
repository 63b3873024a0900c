// Alert rules in SQLite: each row holds the rule as JSON, read back through its schema.
import { randomBytes } from 'node:crypto';
import { AlertRuleInput, type AlertRule, type ParsedAlertRule } from '../../../common/schemas/alerts';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import { BUILTIN_ORDER, BUILTIN_RULES } from './builtin-rules';

interface Row {
  id: string;
  builtin: string | null;
  definition: string;
  created_at: number;
  updated_at: number;
}

export function newRuleId(): string {
  return `r-${randomBytes(5).toString('hex')}`;
}

export function listRules(db: Db, log?: Logger): AlertRule[] {
  const rows = db
    .prepare(
      'SELECT id, builtin, definition, created_at, updated_at FROM alert_rules ORDER BY position, created_at, id',
    )
    .all() as Row[];
  const rules: AlertRule[] = [];
  for (const row of rows) {
    const parsed = AlertRuleInput.safeParse(JSON.parse(row.definition));
    if (!parsed.success) {
      // A rule this version cannot read (e.g. its metric is gone) is left alone, not evaluated.
      log?.warn('alert rule not readable, skipped', { id: row.id });
      continue;
    }
    rules.push({
      ...parsed.data,
      id: row.id,
      builtin: row.builtin,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }
  return rules;
}

export function getRule(db: Db, id: string): AlertRule | undefined {
  return listRules(db).find((r) => r.id === id);
}

export function insertRule(
  db: Db,
  rule: ParsedAlertRule,
  now: number,
  id = newRuleId(),
  builtin: string | null = null,
): string {
  const position = (
    db.prepare('SELECT COALESCE(MAX(position), 0) + 1 AS p FROM alert_rules').get() as { p: number }
  ).p;
  db.prepare(
    `INSERT INTO alert_rules (id, builtin, name, enabled, definition, position, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, builtin, rule.name, rule.enabled ? 1 : 0, JSON.stringify(rule), position, now, now);
  return id;
}

export function updateRule(db: Db, id: string, rule: ParsedAlertRule, now: number): boolean {
  return (
    db
      .prepare('UPDATE alert_rules SET name = ?, enabled = ?, definition = ?, updated_at = ? WHERE id = ?')
      .run(rule.name, rule.enabled ? 1 : 0, JSON.stringify(rule), now, id).changes === 1
  );
}

export function deleteRule(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id).changes === 1;
}

/** Adds the built-in rules that are not there yet (first start, or new ones in a later version). */
export function seedBuiltinRules(db: Db, now: number): void {
  const have = new Set(
    (
      db.prepare('SELECT builtin FROM alert_rules WHERE builtin IS NOT NULL').all() as { builtin: string }[]
    ).map((r) => r.builtin),
  );
  db.transaction(() => {
    for (const key of BUILTIN_ORDER) {
      if (have.has(key)) continue;
      // The built-in's key is its id unless a rule already took that id.
      const taken = db.prepare('SELECT 1 FROM alert_rules WHERE id = ?').get(key);
      insertRule(db, BUILTIN_RULES[key]!, now, taken ? newRuleId() : key, key);
    }
  })();
}

/** Rules stop naming a deleted channel. */
export function removeChannelFromRules(db: Db, channelId: string, now: number): void {
  db.transaction(() => {
    for (const rule of listRules(db)) {
      if (!rule.channels.includes(channelId)) continue;
      const { id, builtin: _b, createdAt: _c, updatedAt: _u, ...body } = rule;
      updateRule(db, id, { ...body, channels: body.channels.filter((c) => c !== channelId) }, now);
    }
  })();
}
