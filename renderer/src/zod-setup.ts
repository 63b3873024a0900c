// Must be the first import: zod probes `new Function` when schemas are built, which our CSP
// (script-src 'self', no unsafe-eval) forbids. Jitless mode validates the same without eval.
import { z } from 'zod';

z.config({ jitless: true });
