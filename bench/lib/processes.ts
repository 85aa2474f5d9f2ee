/**
 * Starting the benchmark's processes: servers (the lona-ts bench app and the bare
 * baselines) pinned to one core, load generators and wrk pinned to the other, when the
 * machine has two cores and `taskset` exists. A server prints `READY <url>` on stdout when
 * it listens; a generator answers commands over Node's IPC channel (bench/load/generator.ts).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { cpuSeconds } from './proc.js';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every child started here, so that an interrupted run leaves none behind. */
const children = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Kills the children still running (on exit, Ctrl-C, SIGTERM). */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

process.once('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

/** Core pinning: the server on core 0, load on core 1; none on a one-core machine. */
export interface Pinning {
  enabled: boolean;
  server: string[];
  load: string[];
  note: string;
}

let pinning: Pinning | undefined;

export function getPinning(): Pinning {
  if (pinning) return pinning;
  const cores = os.availableParallelism();
  let hasTaskset = false;
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    hasTaskset = true;
  } catch {
    hasTaskset = false;
  }
  if (cores >= 2 && hasTaskset) {
    pinning = {
      enabled: true,
      server: ['taskset', '-c', '0'],
      load: ['taskset', '-c', '1'],
      note: 'server on core 0, load generators on core 1 (taskset)',
    };
  } else {
    pinning = {
      enabled: false,
      server: [],
      load: [],
      note: cores < 2 ? 'not pinned: one core' : 'not pinned: taskset not found',
    };
  }
  return pinning;
}

/**
 * Moves a process we did not spawn through `startServer` (redis-server) to the load core,
 * so that it shares no core with the servers under test. No-op without pinning.
 */
export function pinToLoadCore(pid: number): void {
  const { enabled, load } = getPinning();
  if (!enabled) return;
  execFileSync('taskset', ['-p', '-c', load[load.length - 1]!, String(pid)], { stdio: 'ignore' });
}

function withPrefix(prefix: string[], command: string, args: string[]): [string, string[]] {
  if (prefix.length === 0) return [command, args];
  return [prefix[0]!, [...prefix.slice(1), command, ...args]];
}

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** Lines the server wrote to stderr (warnings, errors). */
  stderr: string[];
  /** The last lines it wrote to stdout after READY. */
  stdout: string[];
  /** Ms from spawn to READY (module loading and start). */
  startupMs: number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Environment added to the server's. */
  env?: Record<string, string>;
  /** Node options before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Ms to wait for READY. @default 30000 */
  timeoutMs?: number;
}

/** Starts a TypeScript server script (path relative to the repository) and waits for READY. */
export async function startServer(
  name: string,
  script: string,
  options: ServerOptions = {},
): Promise<ServerProcess> {
  const [command, args] = withPrefix(getPinning().server, process.execPath, [
    '--import',
    'tsx',
    ...(options.nodeArgs ?? []),
    script,
  ]);
  const spawnedAt = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const stderr: string[] = [];
  const stdout: string[] = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) stderr.push(line);
    if (stderr.length > 200) stderr.splice(0, stderr.length - 200);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start: ${stderr.join('\n')}`)),
      options.timeoutMs ?? 30_000,
    );
    child.stdout!.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffered += chunk;
      const match = /READY (\S+)/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        // Keep draining stdout (a full pipe would block the server), keeping the last lines.
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more: string) => {
          for (const line of more.split('\n')) if (line.trim()) stdout.push(line);
          if (stdout.length > 2000) stdout.splice(0, stdout.length - 2000);
        });
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before READY: ${stderr.join('\n')}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    url,
    pid: child.pid!,
    child,
    stderr,
    stdout,
    startupMs: performance.now() - spawnedAt,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** A load generator process: `call(command, args)` runs one command of bench/load/generator.ts. */
export class GeneratorProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  #nextId = 1;
  #pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
  #exited: Promise<void>;

  private constructor(child: ChildProcess) {
    this.child = child;
    this.pid = child.pid!;
    child.on('message', (message: Reply) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(new Error(`generator ${this.pid}: ${message.error}`));
    });
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        for (const pending of this.#pending.values()) {
          pending.reject(new Error(`generator ${this.pid} exited (${code ?? signal})`));
        }
        this.#pending.clear();
        resolve();
      }),
    );
  }

  static async start(): Promise<GeneratorProcess> {
    const [command, args] = withPrefix(getPinning().load, process.execPath, [
      '--import',
      'tsx',
      'bench/load/generator.ts',
    ]);
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    track(child);
    const generator = new GeneratorProcess(child);
    await generator.call('ping', {});
    return generator;
  }

  call<T>(command: string, args: unknown): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, command, args });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.#exited;
    clearTimeout(timer);
  }
}

/**
 * Runs a command pinned to the load core and collects its output, with the CPU seconds it
 * used (read from /proc every 100 ms while it runs, so the last 100 ms may be missing).
 */
export function runPinned(
  command: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string; cpuSeconds: number }> {
  const [cmd, fullArgs] = withPrefix(getPinning().load, command, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    let cpu = 0;
    const sampler = setInterval(() => {
      const used = cpuSeconds(child.pid!);
      if (Number.isFinite(used)) cpu = used;
    }, 100);
    child.once('exit', () => clearInterval(sampler));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr, cpuSeconds: cpu }));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
