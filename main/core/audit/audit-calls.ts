// Turns settled API calls into audit entries: every mutating call (allowed, refused or failed) and every
// refusal of access, whatever the method. The RPC server calls this before it answers.
import type { SettledCall } from '../../../common/rpc/server';
import type { AuditResult } from '../../../common/schemas/audit';
import type { AuditLog } from './audit-log';

/** Refusals: the call never ran (no access, no 2FA confirmation, a locked app, or invalid input). */
const REFUSED = new Set(['forbidden', 'unauthorized', 'invalid_input', 'step_up_required', 'locked']);
/** Refusals of access are audited even for read-only methods. */
const ACCESS = new Set(['forbidden', 'unauthorized']);

function field(input: unknown, name: string | undefined): string | null {
  if (!name || input === null || typeof input !== 'object') return null;
  const value = (input as Record<string, unknown>)[name];
  if (typeof value === 'string') return value.slice(0, 500);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function auditOutcome(call: SettledCall): AuditResult {
  if (!call.error) return 'ok';
  return REFUSED.has(call.error.code) ? 'refused' : 'failed';
}

/** Whether a settled call belongs in the audit log. */
export function shouldAudit(call: SettledCall): boolean {
  if (call.mutating) return true;
  return call.error !== undefined && ACCESS.has(call.error.code);
}

export function auditSettledCalls(log: AuditLog): (call: SettledCall) => void {
  return (call) => {
    if (!shouldAudit(call)) return;
    const error = call.error;
    log.record({
      actor: call.caller.id,
      via: call.caller.via,
      address: call.caller.address ?? null,
      host: field(call.input, call.audit?.host ?? 'host'),
      action: call.name,
      target: field(call.input, call.audit?.target),
      args: call.input,
      result: auditOutcome(call),
      error: error
        ? error.code === 'invalid_input'
          ? `${error.message} ${describeDetails(error.details)}`.trim()
          : error.message
        : null,
    });
  };
}

function describeDetails(details: unknown): string {
  if (details === null || typeof details !== 'object') return '';
  const issues = (details as { issues?: { path: string; message: string }[] }).issues;
  if (!Array.isArray(issues)) return '';
  return issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
}
