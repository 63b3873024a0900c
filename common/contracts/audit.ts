// The audit log's part of the contract: read, export and verify the append-only, hash-chained log.
import { z } from 'zod';
import { defineContract } from '../contract';
import { AuditEntry, AuditFilter, AuditPage, AuditQuery, AuditVerification } from '../schemas/audit';
import { ExportFile, ExportFormat } from '../schemas/export-file';

export const auditContract = defineContract({
  methods: {
    'audit.list': {
      input: AuditQuery,
      output: AuditPage,
      role: 'viewer',
      summary: 'Audit entries, newest first, filtered by host, action, actor, result, text and time.',
    },
    'audit.export': {
      input: AuditFilter.extend({ format: ExportFormat }).strict(),
      output: ExportFile,
      role: 'viewer',
      summary: 'The matching audit entries, oldest first, as CSV or JSON.',
    },
    'audit.verify': {
      input: z.object({}).strict(),
      output: AuditVerification,
      role: 'viewer',
      summary: 'Checks the hash chain of the whole audit log and says where it breaks, if it does.',
    },
  },
  streams: {
    'audit.appended': {
      params: z.object({}).strict(),
      event: z.object({ entries: z.array(AuditEntry) }),
      role: 'viewer',
      summary: 'Nothing at first, then each entry as it is written.',
    },
  },
});
