// Bundles the browser client (src/client/index.ts) into dist/client/lona.js: one minified
// IIFE for ES2020 browsers with a source map beside it. Prints the raw and gzipped sizes
// (the budget is 12 KB gzipped) and exits non-zero when the build fails.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist/client/lona.js');
const BUDGET_GZIP_BYTES = 12 * 1024;

try {
  await build({
    entryPoints: [join(root, 'src/client/index.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    tsconfig: join(root, 'src/client/tsconfig.json'),
    logLevel: 'warning',
  });
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}

const code = readFileSync(outfile);
const gzipped = gzipSync(code, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`dist/client/lona.js: ${kb(code.length)} raw, ${kb(gzipped)} gzipped`);
if (gzipped > BUDGET_GZIP_BYTES) {
  console.warn(`warning: over the ${kb(BUDGET_GZIP_BYTES)} gzipped budget`);
}
