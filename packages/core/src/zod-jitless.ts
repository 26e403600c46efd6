/**
 * zod v4 compiles object parsers with `new Function` (and probes for it once), which a
 * strict CSP (`script-src 'self' 'wasm-unsafe-eval'`) reports as a violation. Jitless
 * parsing is fast enough for our small objects. zod reads this flag when a schema is
 * built, so every module that builds schemas, and each entry, imports this first.
 */
import { z } from 'zod';

z.config({ jitless: true });
