/**
 * The `lona-ts` command as a user runs it: a real process, real signals.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGE } from '../../src/protocol/messages.js';
import { connect } from '../helpers/ws-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = 'bin/lona-ts.js';
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** Starts `lona-ts run` and resolves with its URL once it logs that it serves. */
function start(
  args: string[],
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'run', ...args], { cwd: ROOT });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

describe('lona-ts run', () => {
  it('serves a TypeScript app, applies -o overrides, and stops gracefully on SIGTERM', async () => {
    const { child, url, output } = await start([
      'test/fixtures/cli-app.ts',
      '--port',
      '0',
      '-o',
      'MAX_WORKER_THREADS=7',
      '--shutdown-timeout',
      '3000',
    ]);
    expect(await (await fetch(`${url}/status.json`)).json()).toEqual({ ok: true, workers: 7 });
    const client = await connect(url);
    client.send([MESSAGE.VIEW_START, `${url}/`]);
    await client.next((f) => f[0] === MESSAGE.TREE);
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((await client.closed).code).toBe(1012);
    expect(output()).toContain('stopped: ServerStop');
  });

  it('says clearly when the file is missing', () => {
    const result = cli(['run', 'no/such/app.ts']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('No such file: no/such/app.ts');
  });

  it('says clearly when the module exports no app', () => {
    const result = cli(['run', 'test/fixtures/no-app.ts']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('exports no App');
  });

  it('says clearly when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, 'localhost', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = cli(['run', 'test/fixtures/cli-app.ts', '--port', String(port)]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`Port ${port} is in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses an unknown setting in -o with a suggestion', () => {
    const result = cli(['run', 'test/fixtures/cli-app.ts', '-o', 'MAX_WORKER_THREAD=3']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Did you mean 'MAX_WORKER_THREADS'?");
  });
});

describe('lona-ts routes', () => {
  it('lists the routes in matching order', () => {
    const result = cli(['routes', 'test/fixtures/cli-app.ts']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PATTERN\s+NAME\s+KIND\s+VIEW$/);
    expect(lines[1]).toMatch(/^\/\s+home\s+interactive\s+Home$/);
    expect(lines[2]).toMatch(/^\/status\.json\s+status\s+http\s+Status$/);
  });
});
