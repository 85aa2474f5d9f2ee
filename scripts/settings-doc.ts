/**
 * Writes docs/settings.md from the source of src/settings.ts: one table per group of
 * `DEFAULT_SETTINGS` (the `// --- Title ---` comments), one row per setting with its
 * `@default` and the text of its doc comment, in source order, then the Lona settings
 * lona-ts dropped (`DROPPED_SETTINGS`). Run after changing a setting:
 *   npx tsx scripts/settings-doc.ts
 * src/settings-doc.test.ts fails when the file and the source disagree.
 *
 * It reads the source, not the module, because doc comments do not survive import.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const SETTINGS_SOURCE = new URL('../src/settings.ts', import.meta.url);
export const SETTINGS_DOC = new URL('../docs/settings.md', import.meta.url);

/** One documented setting, as written in src/settings.ts. */
export interface SettingDoc {
  name: string;
  /** The `@default` text as written (`20000`, `'lona/frontend.html'`, `[]`, ...). */
  default: string;
  /** The doc comment without its tags. */
  description: string;
}

export interface SettingGroup {
  title: string;
  settings: SettingDoc[];
}

export interface SettingsSource {
  groups: SettingGroup[];
  /** Dropped Lona setting → what to do instead. */
  dropped: Array<{ name: string; replacement: string }>;
}

/** Reads the groups, settings and dropped settings from the text of src/settings.ts. */
export function readSettingsSource(text: string): SettingsSource {
  const file = ts.createSourceFile('settings.ts', text, ts.ScriptTarget.Latest, true);
  const defaults = objectLiteral(file, 'DEFAULT_SETTINGS');
  const groups: SettingGroup[] = [];
  for (const property of defaults.properties) {
    if (!ts.isPropertyAssignment(property)) {
      throw new Error(`DEFAULT_SETTINGS: expected 'NAME: value', got '${property.getText()}'`);
    }
    const name = propertyName(property);
    const heading = groupHeading(text, property);
    if (heading !== undefined) groups.push({ title: heading, settings: [] });
    const group = groups.at(-1);
    if (!group) throw new Error(`${name}: no '// --- Group ---' comment before the first setting`);
    group.settings.push(settingDoc(name, property));
  }
  const dropped = objectLiteral(file, 'DROPPED_SETTINGS').properties.map((property) => {
    if (!ts.isPropertyAssignment(property) || !ts.isStringLiteralLike(property.initializer)) {
      throw new Error(`DROPPED_SETTINGS: expected 'NAME: "text"', got '${property.getText()}'`);
    }
    return { name: propertyName(property), replacement: property.initializer.text };
  });
  return { groups, dropped };
}

/** The object literal a top-level `const NAME = { ... }` (maybe with `as`) is set to. */
function objectLiteral(file: ts.SourceFile, name: string): ts.ObjectLiteralExpression {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== name) continue;
      let init = declaration.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) {
        init = init.expression;
      }
      if (init && ts.isObjectLiteralExpression(init)) return init;
    }
  }
  throw new Error(`src/settings.ts has no 'const ${name} = { ... }'`);
}

function propertyName(property: ts.PropertyAssignment): string {
  const name = property.name;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  throw new Error(`unexpected property name '${name.getText()}'`);
}

/**
 * The title of a `// --- Title ---` comment in the property's leading trivia, if any:
 * dashes trimmed, SPEC references dropped, `docs/x.md` turned into a link.
 */
function groupHeading(text: string, property: ts.PropertyAssignment): string | undefined {
  const ranges = ts.getLeadingCommentRanges(text, property.getFullStart()) ?? [];
  let title: string | undefined;
  for (const range of ranges) {
    const comment = text.slice(range.pos, range.end);
    const match = /^\/\/\s*-{3,}\s*(.*?)\s*-*\s*$/.exec(comment);
    if (match) title = match[1];
  }
  if (title === undefined) return undefined;
  return title
    .replace(/SPEC §[\d.]+;?\s*/g, '')
    .replace(/\(\s*\)/g, '')
    .replace(/\bdocs\/([\w-]+\.md)\b/g, '[$1]($1)')
    .trim();
}

function settingDoc(name: string, property: ts.PropertyAssignment): SettingDoc {
  const docs = ts.getJSDocCommentsAndTags(property).filter(ts.isJSDoc);
  const doc = docs.at(-1);
  if (!doc) throw new Error(`${name} has no /** doc comment */ in src/settings.ts`);
  const description = oneLine(ts.getTextOfJSDocComment(doc.comment) ?? '');
  const tag = doc.tags?.find((t) => t.tagName.text === 'default');
  const value = oneLine(ts.getTextOfJSDocComment(tag?.comment) ?? '');
  if (!description) throw new Error(`${name}: its doc comment has no text`);
  if (!tag || !value) throw new Error(`${name}: its doc comment has no @default`);
  return { name, default: value, description };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The value an `@default` text stands for: a quoted string ('x' or "x"), else JSON
 * (numbers, booleans, null, [] and {}). Used by the test to check comments against values.
 */
export function parseDefault(text: string): unknown {
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) return quoted[2];
  return JSON.parse(text) as unknown;
}

/** `30000` → `30 s`, for settings named `_MS`. */
function humanMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1_000 === 0) return `${ms / 1_000} s`;
  return `${ms} ms`;
}

/** `1048576` → `1 MiB`, for settings named `_BYTES`. */
function humanBytes(bytes: number): string {
  if (bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MiB`;
  if (bytes % 1_024 === 0) return `${bytes / 1_024} KiB`;
  return `${bytes} bytes`;
}

function defaultCell(setting: SettingDoc): string {
  const cell = `\`${setting.default}\``;
  const value = Number(setting.default);
  if (!Number.isFinite(value) || value <= 0) return cell;
  if (setting.name.endsWith('_MS') && value >= 1_000) return `${cell} (${humanMs(value)})`;
  if (setting.name.endsWith('_BYTES') && value >= 1_024) return `${cell} (${humanBytes(value)})`;
  return cell;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

const INTRO = `# Settings

Every setting lona-ts reads, with its default and what it means. Names are Lona's where Lona
has the setting (with Lona's meaning and unit: the \`CLIENT_*\` timeouts are in seconds);
settings new in lona-ts name their unit (\`_MS\`, \`_BYTES\`).

This file is generated from the doc comments in \`src/settings.ts\` by
\`npx tsx scripts/settings-doc.ts\`; \`src/settings-doc.test.ts\` checks that the two agree.

## Where settings come from

Three layers, later ones winning:

1. \`new App({ settings: { ... } })\` in the app module;
2. settings files given with \`-s FILE\` (repeatable, applied in order): a module whose
   default export is an object of settings (or whose named exports are the settings), or a
   \`.json\` file;
3. \`-o NAME=VALUE\` on the command line (repeatable): the value is parsed as JSON, and
   taken as a plain string when it is not JSON, so \`-o STATIC_URL_PREFIX=/assets/\` needs no
   quotes.

\`\`\`sh
npx lona-ts run app.ts -s production.settings.ts -o MAX_RUNTIME_THREADS=50 -o DEBUG=false
\`\`\`

\`\`\`ts
// production.settings.ts
export default {
  MAX_RUNTIME_THREADS: 50,
  STATIC_FILES_SERVE: false,
  app: { supportEmail: 'help@example.com' },
};
\`\`\`

Each layer is checked on its own when it is read, and the app does not start if one is
wrong:

- an unknown name is \`LONA_ERR_SETTINGS_UNKNOWN\`, which suggests the closest known name;
- a Lona setting that lona-ts dropped is \`LONA_ERR_SETTINGS_DROPPED\`, which says what to use
  instead (the list is at the end of this page);
- a value of the wrong type is \`LONA_ERR_SETTINGS_TYPE\`: numbers must be finite and ≥ 0,
  booleans \`true\`/\`false\`, lists arrays of strings (\`MIDDLEWARES\`: any objects),
  \`FRONTEND_VIEW\` a class or \`null\`, \`TEMPLATE_EXTRA_FILTERS\` an object of functions.

Values of your own application go under \`app\` (\`settings.app\`); they are not checked, and
each layer's \`app\` object is merged into the one below it key by key. Read the result as
\`app.settings\` (for example \`app.settings.app.supportEmail\`). The server reads its
settings when it starts; changing \`app.settings\` later has no effect on pools, timeouts or
templates.

Settings whose value is a class or a function (\`FRONTEND_VIEW\`, \`MIDDLEWARES\`,
\`TEMPLATE_EXTRA_FILTERS\`) can only come from \`new App()\` or a \`.ts\`/\`.js\` settings file,
not from JSON or \`-o\`.
`;

/** The whole of docs/settings.md for the text of src/settings.ts. */
export function renderSettingsDoc(text: string): string {
  const { groups, dropped } = readSettingsSource(text);
  const lines = [INTRO];
  for (const group of groups) {
    lines.push(`## ${group.title}`, '', '| Setting | Default | Description |', '|---|---|---|');
    for (const setting of group.settings) {
      lines.push(
        `| \`${setting.name}\` | ${cell(defaultCell(setting))} | ${cell(setting.description)} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '## Lona settings that lona-ts does not use',
    '',
    'Setting one of these is an error (`LONA_ERR_SETTINGS_DROPPED`) that says what to do instead:',
    '',
    '| Lona setting | Instead |',
    '|---|---|',
    ...dropped.map(({ name, replacement }) => `| \`${name}\` | ${cell(replacement)} |`),
    '',
  );
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { groups } = readSettingsSource(readFileSync(SETTINGS_SOURCE, 'utf8'));
  writeFileSync(SETTINGS_DOC, renderSettingsDoc(readFileSync(SETTINGS_SOURCE, 'utf8')));
  const count = groups.reduce((n, group) => n + group.settings.length, 0);
  console.log(`docs/settings.md: ${count} settings in ${groups.length} groups`);
}
