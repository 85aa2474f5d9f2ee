/**
 * Runs a real `redis-server` for a test (SPEC §5: tests start a real server): on a free
 * port of 127.0.0.1, with no persistence, answering PING before `start` resolves. A test
 * can stop it and start it again on the same port to play a Redis restart, or freeze it
 * to play a hung one.
 *
 * It knows nothing about brokers; it only owns the server process. Nothing of it outlives
 * the test: `stop()` ends the process and waits for it, and a server left running when the
 * test process exits is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port.js';

const HOST = '127.0.0.1';

/** Servers still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
const START_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 3_000;

/** The redis-server binary: $REDIS_SERVER, else the first one on PATH or in /usr/bin. */
export function findRedisServer(): string | undefined {
  const candidates = [
    process.env.REDIS_SERVER,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => dir && join(dir, 'redis-server')),
    '/usr/bin/redis-server',
    '/usr/sbin/redis-server',
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there; try the next.
    }
  }
  return undefined;
}

export class RedisServer {
  readonly port: number;
  readonly #binary: string;
  #process: ChildProcess | undefined;
  #output = '';

  private constructor(binary: string, port: number) {
    this.#binary = binary;
    this.port = port;
  }

  /**
   * Starts a server on `port` (default: a free one) and resolves once it answers PING.
   * Throws if redis-server is not installed or does not come up.
   */
  static async start(options: { port?: number } = {}): Promise<RedisServer> {
    const binary = findRedisServer();
    if (binary === undefined) throw new Error('redis-server is not installed');
    let lastError: unknown;
    // Another process may take the free port before redis-server binds it: try a few.
    for (let attempt = 0; attempt < 3; attempt++) {
      const server = new RedisServer(binary, options.port ?? (await freePort()));
      try {
        await server.#launch();
        return server;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  get url(): string {
    return `redis://${HOST}:${this.port}`;
  }

  /** The redis-server's process id while it runs (the benchmark pins it to a core). */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get isRunning(): boolean {
    return this.#process !== undefined;
  }

  /** Stops the server (SIGTERM, then SIGKILL if it lingers) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.#process;
    if (child === undefined) return;
    this.#process = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Starts the server again on the same port, after `stop()`. */
  async start(): Promise<void> {
    if (this.#process) throw new Error('this redis-server is already running');
    let lastError: unknown;
    // The port was just released; give the kernel a few tries to let it go.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.#launch();
        return;
      } catch (error) {
        lastError = error;
        await sleep(50);
      }
    }
    throw lastError;
  }

  /**
   * Freezes the server (SIGSTOP) without closing anything: clients see a hung Redis, whose
   * connections stay open and never answer. `resume()` lets it go on.
   */
  pause(): void {
    this.#process?.kill('SIGSTOP');
  }

  resume(): void {
    this.#process?.kill('SIGCONT');
  }

  /** Stops the server and starts it again on the same port: clients see a Redis restart. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async #launch(): Promise<void> {
    this.#output = '';
    const child = spawn(
      this.#binary,
      [
        '--port',
        String(this.port),
        '--bind',
        HOST,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        tmpdir(),
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString()).slice(-4_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited = false;
    running.add(child);
    child.once('exit', () => {
      exited = true;
      running.delete(child);
    });
    child.once('error', (error) => {
      // The binary could not be run at all; no 'exit' follows.
      keep(Buffer.from(`${error.message}\n`));
      exited = true;
      running.delete(child);
    });
    this.#process = child;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (exited) break;
      if (await ping(this.port)) return;
      await sleep(20);
    }
    this.#process = undefined;
    if (!exited) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    throw new Error(`redis-server did not start on port ${this.port}:\n${this.#output.trim()}`);
  }
}

/** Does a Redis server on `port` answer PING with PONG? */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
