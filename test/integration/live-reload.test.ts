/**
 * `lona-ts run --live-reload` as a user runs it: a real supervisor and real app processes
 * on a temp copy of test/fixtures/live-reload-app.ts, edited while it runs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGE } from '../../src/protocol/messages.js';
import { connect } from '../helpers/ws-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/lona-ts.js');
const FIXTURE = join(ROOT, 'test/fixtures/live-reload-app.ts');
const INDEX_URL = pathToFileURL(join(ROOT, 'src/index.ts')).href;

const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The fixture in a fresh temp folder, importing lona-ts by absolute URL. */
function copyFixture(): { dir: string; write(version: string): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lona-live-reload-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const source = readFileSync(FIXTURE, 'utf8').replace("'../../src/index.js'", `'${INDEX_URL}'`);
  const write = (version: string) =>
    writeFileSync(join(dir, 'app.ts'), source.replace('const VERSION = 1;', version));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  write('const VERSION = 1;');
  return { dir, write };
}

/** Starts the supervisor in its own process group, so that cleanup reaches its child too. */
function startSupervisor(dir: string) {
  const child = spawn(process.execPath, [BIN, 'run', 'app.ts', '--live-reload', '--port', '0'], {
    cwd: dir,
    detached: true,
  });
  cleanups.push(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

function count(text: string, pattern: RegExp): number {
  return (text.match(new RegExp(pattern, 'g')) ?? []).length;
}

/** A fresh connection each time: the previous process closed the pooled ones. */
async function version(url: string): Promise<{ version: number; pid: number; debug: boolean }> {
  const response = await fetch(`${url}/version.json`, { headers: { connection: 'close' } });
  return (await response.json()) as { version: number; pid: number; debug: boolean };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('lona-ts run --live-reload', () => {
  it('restarts the app on a change, survives a broken app, and stops with its child', async () => {
    const app = copyFixture();
    const { child, exited, output } = startSupervisor(app.dir);
    const serving = () => count(output(), /serving on/);
    await expect.poll(serving, { timeout: 30_000 }).toBe(1);
    const url = /serving on (http:\/\/\S+)/.exec(output())![1]!;

    // Debug mode, and the page tells the browser to reload when it reconnects.
    const first = await version(url);
    expect(first).toMatchObject({ version: 1, debug: true });
    expect(await (await fetch(url)).text()).toContain('"reloadOnReconnect":true');
    const boom = await fetch(`${url}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.text()).toMatch(/Error: boom from the fixture\s+at /);

    // A tab of the old process is closed with 1012 (restart) when the process stops.
    const tab = await connect(url);
    tab.send([MESSAGE.VIEW_START, `${url}/`]);
    await tab.next((frame) => frame[0] === MESSAGE.TREE);

    app.write('const VERSION = 2;');
    await expect.poll(serving, { timeout: 30_000 }).toBe(2);
    const second = await version(url);
    expect(second.version).toBe(2);
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(first.pid)).toBe(false);
    expect((await tab.closed).code).toBe(1012);

    // Changes in ignored places restart nothing.
    mkdirSync(join(app.dir, 'node_modules'));
    writeFileSync(join(app.dir, 'node_modules/x.js'), '');
    writeFileSync(join(app.dir, '.env'), 'A=1');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(count(output(), /changed; restarting/)).toBe(1);
    expect((await version(url)).pid).toBe(second.pid);

    // A broken app is logged; the supervisor waits for the next change.
    app.write('const VERSION = ;');
    await expect.poll(output, { timeout: 30_000 }).toMatch(/the app exited \(exit code 1\)/);
    expect(isAlive(second.pid)).toBe(false);
    app.write('const VERSION = 3;');
    await expect.poll(serving, { timeout: 30_000 }).toBe(3);
    const third = await version(url);
    expect(third.version).toBe(3);

    process.kill(child.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(isAlive(third.pid)).toBe(false);
  }, 120_000);
});
