/**
 * `lona-ts new DIR`: writes a starter project into DIR, a new or empty folder, so that
 * `npm install` and `npm start` run it. The files are src/cli/starter/, copied as they are
 * except for three fill-ins: the project's name (from DIR), lona-ts as a `file:`
 * dependency on this checkout (lona-ts is not on the npm registry), and the version
 * ranges of the dev tools, taken from lona-ts's own package.json so the two stay in step.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error.js';

const STARTER_DIR = fileURLToPath(new URL('../starter/', import.meta.url));
const LONA_TS_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starter files stored under another name: npm leaves `.gitignore` out of packages, and a
 * `package.json` would make the starter folder a package of its own inside lona-ts.
 */
const RENAMED: Readonly<Record<string, string>> = {
  _gitignore: '.gitignore',
  '_package.json': 'package.json',
};

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export async function newCommand(args: string[]): Promise<number> {
  const dir = args[0];
  if (!dir) throw new CliError('Name the folder for the new app: lona-ts new DIR');
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) {
      throw new CliError(`${dir} exists and is not a folder. Pick a new folder name.`);
    }
    if (readdirSync(target).length > 0) {
      throw new CliError(
        `${dir} is not empty. Pick a new folder, or an empty one: lona-ts new overwrites nothing.`,
      );
    }
  }
  const name = packageName(basename(target));
  const written: string[] = [];
  for (const file of starterFiles(STARTER_DIR)) {
    const templateName = basename(file);
    const dest = join(target, dirname(file), RENAMED[templateName] ?? templateName);
    let content = readFileSync(join(STARTER_DIR, file), 'utf8');
    if (templateName === '_package.json') content = fillPackageJson(content, name);
    content = content.replaceAll('{{name}}', name);
    mkdirSync(dirname(dest), { recursive: true });
    // 'wx': a file that appeared meanwhile is not overwritten.
    writeFileSync(dest, content, { flag: 'wx' });
    written.push(relative(target, dest));
  }
  const cd = relative(process.cwd(), target) || '.';
  process.stdout.write(
    `Created ${cd}/ with ${written.sort().join(', ')}.\n\n` +
      `Next:\n${cd === '.' ? '' : `  cd ${quoteIfNeeded(cd)}\n`}  npm install\n  npm start\n\n` +
      `Then open http://localhost:8080. npm run dev restarts on every change; npm test runs the tests.\n`,
  );
  return 0;
}

/** The starter's files, relative to `root`, subfolders included. */
function starterFiles(root: string, sub = ''): string[] {
  return readdirSync(join(root, sub), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? starterFiles(root, join(sub, entry.name)) : [join(sub, entry.name)],
  );
}

function fillPackageJson(text: string, name: string): string {
  const pkg = JSON.parse(text) as PackageJson;
  const ours = JSON.parse(readFileSync(join(LONA_TS_ROOT, 'package.json'), 'utf8')) as PackageJson;
  const ourRanges = { ...ours.dependencies, ...ours.devDependencies };
  pkg.name = name;
  pkg.dependencies = {
    ...pkg.dependencies,
    'lona-ts': `file:${LONA_TS_ROOT.replace(/[\\/]$/, '')}`,
  };
  for (const tool of Object.keys(pkg.devDependencies ?? {})) {
    const range = ourRanges[tool];
    if (range) pkg.devDependencies![tool] = range;
  }
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** A valid npm package name from a folder name ('My App!' → 'my-app'). */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[-._~]+|-+$/g, '')
    .slice(0, 214);
  return name || 'lona-app';
}

function quoteIfNeeded(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
