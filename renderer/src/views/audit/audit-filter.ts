// The audit view's filter: read from and written to the URL ("#/audit?host=…&action=services."),
// and matched against entries that arrive live, the same way the core's query matches them.
import type { AuditEntry, AuditFilter, AuditResult } from '../../../../common/schemas/audit';
import type { RouteParams } from '../../hooks/useHashRoute';

const RESULTS: readonly AuditResult[] = ['ok', 'refused', 'failed'];

function time(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function filterFromParams(params: RouteParams): AuditFilter {
  const filter: AuditFilter = {};
  if (params.host) filter.host = params.host.slice(0, 200);
  if (params.action) filter.action = params.action.slice(0, 200);
  if (params.actor) filter.actor = params.actor.slice(0, 200);
  if (params.text) filter.text = params.text.slice(0, 200);
  const result = RESULTS.find((r) => r === params.result);
  if (result) filter.result = result;
  const from = time(params.from);
  const to = time(params.to);
  if (from !== undefined) filter.from = from;
  if (to !== undefined && to > 0) filter.to = to;
  return filter;
}

export function paramsFromFilter(filter: AuditFilter): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key of ['host', 'action', 'actor', 'text', 'result'] as const) {
    const v = filter[key];
    if (v) params[key] = v;
  }
  if (filter.from !== undefined) params.from = String(filter.from);
  if (filter.to !== undefined) params.to = String(filter.to);
  return params;
}

/** Whether an entry written now belongs in the list the filter shows (as audit.list would say). */
export function entryMatches(e: AuditEntry, f: AuditFilter): boolean {
  if (f.host !== undefined && e.host !== f.host) return false;
  if (f.action !== undefined) {
    if (f.action.endsWith('.') ? !e.action.startsWith(f.action) : e.action !== f.action) return false;
  }
  if (f.actor !== undefined && e.actor !== f.actor) return false;
  if (f.result !== undefined && e.result !== f.result) return false;
  if (f.from !== undefined && e.ts < f.from) return false;
  if (f.to !== undefined && e.ts >= f.to) return false;
  if (f.text) {
    const hay = [e.target ?? '', JSON.stringify(e.args), e.error ?? '', e.action].join('\n').toLowerCase();
    for (const word of f.text.trim().toLowerCase().split(/\s+/).slice(0, 8))
      if (!hay.includes(word)) return false;
  }
  return true;
}
