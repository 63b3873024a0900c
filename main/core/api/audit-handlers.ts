// Binds the audit part of the contract to the audit log.
import type { auditContract } from '../../../common/contracts/audit';
import type { Handlers } from '../../../common/rpc/server';
import type { AuditLog } from '../audit/audit-log';
import { auditFilename, auditToCsv, auditToJson } from '../audit/audit-export';

export function createAuditHandlers(audit: AuditLog): Handlers<typeof auditContract> {
  return {
    methods: {
      'audit.list': (query) => audit.list(query),
      'audit.export': ({ format, ...filter }) => {
        const entries = audit.all(filter);
        const { body, rows } = format === 'csv' ? auditToCsv(entries) : auditToJson(entries);
        return {
          filename: auditFilename(format, Date.now()),
          contentType: format === 'csv' ? 'text/csv' : 'application/json',
          body,
          rows,
        };
      },
      'audit.verify': () => audit.verify(),
    },
    streams: {
      'audit.appended': (_params, emit) => {
        emit({ entries: [] });
        return audit.onRecord((entry) => emit({ entries: [entry] }));
      },
    },
  };
}
