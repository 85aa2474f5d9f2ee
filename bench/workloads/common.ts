/**
 * What the workloads share: starting the lona-ts bench app (with --expose-gc for the
 * memory figures and, on request, --cpu-prof), reading its /_bench/metrics, forcing a GC,
 * and the views one server process may hold under this machine's open-files limit.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import type { AppMetrics } from '../../src/index.js';
import type { FanoutResult } from '../load/scenarios.js';
import { openFilesLimit, rssBytes } from '../lib/proc.js';
import { RESULTS_DIR, type RunContext, type TargetCheck } from '../lib/report.js';
import { startServer, type ServerProcess } from '../lib/processes.js';

export const PROFILE_DIR = `${RESULTS_DIR}profiles/`;

/** Files a server keeps open besides its WebSockets (listener, epoll, pipes, stdio, …). */
const SERVER_SPARE_FILES = 200;

export interface LonaServer extends ServerProcess {
  /** The folder its .cpuprofile files are written to when it stops (with --cpu-prof). */
  profile?: string;
}

export async function startLona(
  ctx: RunContext,
  label: string,
  settings: Record<string, unknown> = {},
): Promise<LonaServer> {
  const nodeArgs = ['--expose-gc'];
  let profile: string | undefined;
  if (ctx.cpuProf) {
    // One folder per server: the tsx loader thread writes a profile too (thread id ≠ 0).
    profile = `${PROFILE_DIR}${label}/`;
    rmSync(profile, { recursive: true, force: true });
    mkdirSync(profile, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profile}`);
  }
  const server: LonaServer = await startServer('lona-ts', 'bench/app.ts', {
    nodeArgs,
    env: { BENCH_SETTINGS: JSON.stringify(settings) },
  });
  server.profile = profile;
  if (profile) ctx.profiles.push({ dir: profile, startupMs: server.startupMs });
  return server;
}

export interface ServerReading {
  metrics: AppMetrics;
  memory: NodeJS.MemoryUsage;
  /** From /proc (VmRSS), bytes. */
  rss: number;
}

export async function readServer(server: ServerProcess): Promise<ServerReading> {
  const res = await fetch(`${server.url}/_bench/metrics`, { signal: AbortSignal.timeout(60_000) });
  const body = (await res.json()) as { metrics: AppMetrics; memory: NodeJS.MemoryUsage };
  return { ...body, rss: rssBytes(server.pid) };
}

/** Forces two full GCs in the server, then reads it. */
export async function readServerAfterGc(server: ServerProcess): Promise<ServerReading> {
  await (
    await fetch(`${server.url}/_bench/gc`, { signal: AbortSignal.timeout(60_000) })
  ).arrayBuffer();
  return readServer(server);
}

/** The most WebSockets one server process can hold here (`ulimit -n` minus spare files). */
export function maxViewsPerProcess(): number {
  const { soft } = openFilesLimit();
  return Number.isFinite(soft) ? soft - SERVER_SPARE_FILES : Infinity;
}

/** Splits `total` into `parts` near-equal whole shares. */
export function shares(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0),
  );
}

export function mib(bytes: number): number {
  return bytes / 2 ** 20;
}

/** The main thread's profile in a --cpu-prof folder (CPU.<date>.<time>.<pid>.0.<n>.cpuprofile). */
export function mainThreadProfile(dir: string): string | undefined {
  const file = readdirSync(dir).find((name) =>
    /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name),
  );
  return file ? `${dir}${file}` : undefined;
}

/** The correctness row of a fan-out workload: every run complete, no errors. */
export function fanoutCorrectness(
  workload: string,
  target: string,
  results: FanoutResult[],
): TargetCheck {
  const errors = results.flatMap((result) => result.errors);
  const incomplete = results.filter((result) => !result.complete).length;
  return {
    workload,
    target,
    measured:
      errors.length || incomplete
        ? `${incomplete} incomplete runs; ${errors.slice(0, 3).join('; ')}`
        : `${results.length} runs checked`,
    met: errors.length === 0 && incomplete === 0,
  };
}
