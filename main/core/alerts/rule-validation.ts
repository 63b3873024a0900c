// Checks a rule as the editor sends it: the schema's field messages, then what only the core knows
// (does that host, that channel exist?), and what the rule would watch now.
import { describeIssues } from '../../../common/errors';
import {
  AlertRuleInput,
  type ParsedAlertRule,
  type RuleIssue,
  type RuleValidation,
} from '../../../common/schemas/alerts';
import type { Sample } from '../../../common/schemas/sample';
import { ApiError } from '../../../common/errors';
import { ruleCoversHost, type EngineHost } from './engine';
import { compileLabelPattern } from './label-pattern';
import { alertValues, HOST_UNREACHABLE } from './series';

export interface RuleContext {
  hosts: readonly EngineHost[];
  channelIds: ReadonlySet<string>;
  latest: (hostId: string) => Sample | undefined;
}

export function semanticIssues(rule: ParsedAlertRule, ctx: RuleContext): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (rule.scope.kind === 'host') {
    const id = rule.scope.host;
    const host = ctx.hosts.find((h) => h.id === id);
    if (!host) issues.push({ path: 'scope.host', message: 'there is no such host' });
    else if (rule.metric === HOST_UNREACHABLE && !host.remote) {
      issues.push({ path: 'scope.host', message: 'this computer is always reachable: choose a server' });
    }
  }
  rule.channels.forEach((id, i) => {
    if (!ctx.channelIds.has(id))
      issues.push({ path: `channels.${i}`, message: `there is no channel "${id}"` });
  });
  return issues;
}

/** What the rule watches now: hosts in scope and series among their latest samples. */
export function ruleMatches(rule: ParsedAlertRule, ctx: RuleContext): RuleValidation['matches'] {
  const fake = { ...rule, id: 'x', builtin: null, createdAt: 0, updatedAt: 0 };
  const labels = compileLabelPattern(rule.labels);
  let hosts = 0;
  let series = 0;
  const examples: string[] = [];
  for (const host of ctx.hosts) {
    if (!ruleCoversHost(fake, host)) continue;
    if (rule.metric === HOST_UNREACHABLE) {
      if (!host.remote) continue;
      hosts++;
      series++;
      if (examples.length < 5) examples.push(host.name);
      continue;
    }
    const sample = ctx.latest(host.id);
    if (!sample) continue;
    let matched = 0;
    for (const v of alertValues(sample)) {
      if (v.metric !== rule.metric || !labels(v.label)) continue;
      matched++;
      if (examples.length < 5) examples.push(v.label ? `${host.name}: ${v.label}` : host.name);
    }
    if (matched > 0) hosts++;
    series += matched;
  }
  return { hosts, series, examples };
}

export function validateRule(raw: unknown, ctx: RuleContext): RuleValidation {
  const parsed = AlertRuleInput.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: describeIssues(parsed.error),
      matches: { hosts: 0, series: 0, examples: [] },
    };
  }
  const issues = semanticIssues(parsed.data, ctx);
  return { ok: issues.length === 0, issues, matches: ruleMatches(parsed.data, ctx) };
}

/** Refuses a rule the schema accepted but the core cannot use, naming the field. */
export function assertUsable(rule: ParsedAlertRule, ctx: RuleContext, pathPrefix = ''): void {
  const issues = semanticIssues(rule, ctx);
  if (issues.length > 0) {
    throw new ApiError('invalid_input', `The rule is not valid: ${issues[0]!.message}.`, {
      issues: issues.map((i) => ({ path: `${pathPrefix}${i.path}`, message: i.message })),
    });
  }
}
