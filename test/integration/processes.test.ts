/**
 * `lona-ts run --processes N`: N processes share the port, a killed one is replaced, and
 * SIGTERM stops them all gracefully. Real processes, real signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function pidsSeen(url: string, want: number, attempts = 200): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < attempts && pids.size < want; i++) {
    // A new connection each time, so the kernel can hand it to another process.
    const res = await fetch(`${url}/pid.json`, { headers: { connection: 'close' } });
    pids.add(((await res.json()) as { pid: number }).pid);
  }
  return pids;
}

describe('--processes', () => {
  it('serves from every process, replaces a killed one, and stops all on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        'bin/lona-ts.js',
        'run',
        'test/fixtures/pid-app.ts',
        '--processes',
        '2',
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
      ],
      { cwd: ROOT },
    );
    children.push(child);
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    await expect
      .poll(() => (output.match(/serving on/g) ?? []).length, { timeout: 20_000 })
      .toBe(2);
    expect(output).toContain("CHANNEL_BROKER is 'memory' with 2 processes");
    const url = `http://127.0.0.1:${port}`;

    const pids = await pidsSeen(url, 2);
    expect(pids.size).toBe(2);

    const [victim] = [...pids];
    process.kill(victim!, 'SIGKILL');
    await expect
      .poll(() => output, { timeout: 20_000 })
      .toMatch(/died \(SIGKILL\); restarting it in \d+ ms/);
    // The survivor keeps serving meanwhile, and the replacement joins.
    expect((await fetch(`${url}/pid.json`)).status).toBe(200);
    await expect
      .poll(() => (output.match(/serving on/g) ?? []).length, { timeout: 20_000 })
      .toBe(3);
    const after = await pidsSeen(url, 2);
    expect(after.size).toBe(2);
    expect(after.has(victim!)).toBe(false);

    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/pid.json`)).rejects.toThrow();
  });
});
