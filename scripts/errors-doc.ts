/**
 * Writes docs/errors.md from the catalogue in src/errors.ts: one heading per code with
 * its message, parameters shown as <name>. Run after adding a code:
 *   npx tsx scripts/errors-doc.ts
 * src/errors.test.ts fails when the file and the catalogue disagree.
 */
import { writeFileSync } from 'node:fs';
import { ERRORS, WARNINGS } from '../src/errors.js';

const placeholders = new Proxy({}, { get: (_target, key) => `<${String(key)}>` }) as Record<
  string,
  unknown
>;

function section(
  title: string,
  entries: Record<string, (p: Record<string, unknown>) => string>,
): string {
  const lines = [`## ${title}`, ''];
  for (const [code, template] of Object.entries(entries)) {
    lines.push(`### ${code}`, '', template(placeholders).replace(/\s+/g, ' ').trim(), '');
  }
  return lines.join('\n');
}

const text = `# Errors and warnings

Every error lona-ts raises on purpose is a \`LonaError\` with a stable \`code\`; every
warning it logs starts with its \`LONA_WARN_\` code. Codes are never reused. The messages
below show parameters as \`<name>\`; each message says what to do.

This file is generated from \`src/errors.ts\` by \`npx tsx scripts/errors-doc.ts\`;
\`src/errors.test.ts\` checks that the two agree.

${section('Errors', ERRORS)}
${section('Warnings', WARNINGS)}`;

writeFileSync(new URL('../docs/errors.md', import.meta.url), text);
console.log(
  `docs/errors.md: ${Object.keys(ERRORS).length} errors, ${Object.keys(WARNINGS).length} warnings`,
);
