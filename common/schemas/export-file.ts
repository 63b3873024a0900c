// A file the core produced for the user to save (CSV or JSON exports).
import { z } from 'zod';

export const ExportFile = z.object({
  filename: z.string(),
  contentType: z.string(),
  body: z.string(),
  rows: z.number().int(),
});
export type ExportFile = z.infer<typeof ExportFile>;

export const ExportFormat = z.enum(['csv', 'json']);
