/**
 * Imported first by main.ts, before any schema is built: zod's fast path compiles parsers with
 * `new Function`, which the page's CSP forbids (no unsafe-eval); probing for it would still log a
 * CSP violation. Schemas read this setting when they are constructed.
 */
import * as z from 'zod';

z.config({ jitless: true });
