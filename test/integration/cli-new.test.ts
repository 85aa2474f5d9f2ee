/**
 * `lona-ts new DIR` as a user runs it: write the starter, `npm install` it (this reaches
 * the npm registry for the dev tools; lona-ts itself is a `file:` dependency on this
 * checkout), serve it with `npm start`, and run its own `npm test`.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGE } from '../../src/protocol/messages.js';
import { connect } from '../helpers/ws-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/lona-ts.js');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = promisify(execFile);
const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lona-new-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function lonaTs(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
}

/** `npm start -- …` in its own process group, so that stopping it reaches the server too. */
function npmStart(cwd: string, args: string[]) {
  const child = spawn(NPM, ['start', '--', ...args], { cwd, detached: true });
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  cleanups.push(() => kill('SIGKILL'));
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { exited, kill, output: () => output };
}

describe('lona-ts new', () => {
  it('writes a starter that installs, serves and passes its own tests', async () => {
    const parent = tempDir();
    const created = lonaTs(['new', 'my-app'], parent);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/cd my-app\n\s+npm install\n\s+npm start/);
    const dir = join(parent, 'my-app');
    expect(readdirSync(dir).sort()).toEqual([
      '.gitignore',
      'README.md',
      'app.ts',
      'package.json',
      'test',
      'tsconfig.json',
    ]);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-app');
    expect(pkg.type).toBe('module');
    expect(pkg.dependencies['lona-ts']).toBe(`file:${ROOT.replace(/\/$/, '')}`);
    expect(pkg.devDependencies.tsx).toBe(ours.dependencies.tsx);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/^# my-app\n/);

    await run(NPM, ['install', '--no-audit', '--no-fund'], { cwd: dir });

    const server = npmStart(dir, ['--port', '0']);
    await expect.poll(server.output, { timeout: 60_000 }).toMatch(/serving on http/);
    const url = /serving on (http:\/\/\S+)/.exec(server.output())![1]!;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="lona-settings"');
    const status = await fetch(`${url}/api/status.json`);
    expect(await status.json()).toMatchObject({ ok: true });
    const tab = await connect(url);
    tab.send([MESSAGE.VIEW_START, `${url}/`]);
    const tree = await tab.next((frame) => frame[0] === MESSAGE.TREE);
    expect(JSON.stringify(tree)).toContain('Clicks: ');
    tab.close();
    server.kill('SIGTERM');
    await server.exited;
    await expect(fetch(url)).rejects.toThrow();

    // A failing test would reject here (npm test exits non-zero).
    const tests = await run(NPM, ['test'], { cwd: dir });
    expect(tests.stdout).toMatch(/# pass 2\b/);
    expect(tests.stdout).toMatch(/# fail 0\b/);
  }, 180_000);

  it('refuses a folder that is not empty, and names none', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const refused = lonaTs(['new', '.'], dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('. is not empty');
    expect(readdirSync(dir)).toEqual(['notes.txt']);

    const unnamed = lonaTs(['new'], dir);
    expect(unnamed.status).toBe(2);
    expect(unnamed.stderr).toContain('Name the folder for the new app');
  });
});
