/**
 * W2, plain HTTP: `wrk -t2 -c50` on the non-interactive /hello page of the bench app and on
 * a bare node:http server serving the same bytes, alternating, in the same run. wrk sends
 * the session cookie a browser would have (got by one GET first), so lona-ts does not mint
 * a new session per request. Target: lona-ts at least 70% of node:http's requests/s.
 * Without wrk (Debian's package; installed when root) the workload is skipped with a note.
 */
import { execFileSync } from 'node:child_process';
import { HELLO_PAGE } from '../baselines/hello-page.js';
import { cpuSeconds, cpuSnapshot, cpuUse } from '../lib/proc.js';
import { runPinned, startServer, type ServerProcess } from '../lib/processes.js';
import {
  num,
  range,
  type RunContext,
  type TargetCheck,
  type WorkloadReport,
} from '../lib/report.js';
import { spread } from '../lib/stats.js';
import { startLona } from './common.js';

interface WrkResult {
  requestsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p99: number };
  non2xx: number;
  socketErrors: string | null;
  serverCpuUsPerRequest: number;
  /** Busy CPU of everything but the server and wrk, in cores. */
  otherCores: number;
  /** wrk's CPU, in cores (near 1: the load was the limit). */
  wrkCores: number;
}

/** wrk on PATH, installing Debian's package when we are root and it is missing. */
function ensureWrk(log: (message: string) => void): string | null {
  const has = () => {
    try {
      execFileSync('wrk', ['--version'], { stdio: 'ignore' });
      return true;
    } catch (error) {
      // wrk --version exits 1 after printing its version: it is there.
      return (error as { status?: number }).status === 1;
    }
  };
  if (has()) return null;
  if (process.getuid?.() !== 0) return 'wrk is not installed and we are not root: W2 skipped';
  log('installing wrk (apt-get install -y wrk)');
  try {
    execFileSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('apt-get', ['update'], { stdio: 'ignore' });
      execFileSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'ignore' });
    } catch {
      return 'apt-get install wrk failed: W2 skipped';
    }
  }
  return has() ? null : 'wrk not found after installing: W2 skipped';
}

function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

async function wrk(
  server: ServerProcess,
  path: string,
  seconds: number,
  cookie: string,
): Promise<WrkResult> {
  const before = cpuSnapshot([server.pid]);
  const cpuStart = cpuSeconds(server.pid);
  const {
    stdout,
    stderr,
    code,
    cpuSeconds: wrkCpu,
  } = await runPinned('wrk', [
    '-t2',
    '-c50',
    `-d${seconds}s`,
    '--latency',
    '-H',
    `Cookie: ${cookie}`,
    `${server.url}${path}`,
  ]);
  const cpu = cpuSeconds(server.pid) - cpuStart;
  const use = cpuUse(before, cpuSnapshot([server.pid]));
  if (code !== 0) throw new Error(`wrk failed (${code}): ${stderr}`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
  return {
    requestsPerSecond: rps,
    requests,
    latencyMs: {
      p50: toMs(/^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? ''),
      p99: toMs(/^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? ''),
    },
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0),
    socketErrors: /Socket errors: (.*)/.exec(stdout)?.[1] ?? null,
    serverCpuUsPerRequest: (cpu / requests) * 1e6,
    // wrk's own CPU is load, not noise.
    otherCores: Math.max(0, use.otherCores - wrkCpu / use.seconds),
    wrkCores: wrkCpu / use.seconds,
  };
}

async function checkBody(url: string, cookie: string): Promise<string | null> {
  const res = await fetch(url, { headers: { cookie } });
  const body = await res.text();
  if (res.status !== 200) return `${url}: status ${res.status}`;
  if (body !== HELLO_PAGE) return `${url}: body differs from the hello page`;
  if (res.headers.get('set-cookie')) return `${url}: set a new cookie although one was sent`;
  return null;
}

export async function runW2(ctx: RunContext): Promise<WorkloadReport> {
  const skipped = ensureWrk(ctx.log);
  const runs = ctx.runs ?? (ctx.quick ? 1 : 5);
  const seconds = ctx.quick ? 3 : 10;
  const base: WorkloadReport = {
    id: 'W2',
    title: 'W2 plain HTTP (/hello vs bare node:http)',
    config: { wrk: '-t2 -c50', seconds, warmupSeconds: ctx.quick ? 1 : 3, runs },
    tables: [],
    targets: [],
    notes: [],
    raw: null,
  };
  if (skipped) {
    base.notes.push(skipped);
    base.targets.push({
      workload: 'W2',
      target: '≥ 70% of node:http',
      measured: skipped,
      met: null,
    });
    return base;
  }
  const lona = await startLona(ctx, 'W2');
  const bare = await startServer('node:http', 'bench/baselines/http-hello.ts');
  const all: Array<{ run: number; lona: WrkResult; bare: WrkResult }> = [];
  const errors: string[] = [];
  try {
    const res = await fetch(`${lona.url}/hello`);
    await res.arrayBuffer();
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    for (const url of [`${lona.url}/hello`, `${bare.url}/hello`]) {
      const problem = await checkBody(url, cookie);
      if (problem && !(url.startsWith(bare.url) && problem.includes('cookie')))
        errors.push(problem);
    }
    ctx.log('W2 warm-up');
    await wrk(lona, '/hello', ctx.quick ? 1 : 3, cookie);
    await wrk(bare, '/hello', ctx.quick ? 1 : 3, cookie);
    for (let run = 1; run <= runs; run++) {
      ctx.log(`W2 run ${run}/${runs}`);
      const order = run % 2 === 1 ? [lona, bare] : [bare, lona];
      const results = new Map<ServerProcess, WrkResult>();
      for (const server of order) results.set(server, await wrk(server, '/hello', seconds, cookie));
      const entry = { run, lona: results.get(lona)!, bare: results.get(bare)! };
      for (const [name, r] of Object.entries({ lona: entry.lona, bare: entry.bare })) {
        if (r.non2xx > 0) errors.push(`${name}: ${r.non2xx} non-2xx responses`);
        if (r.socketErrors) errors.push(`${name}: socket errors ${r.socketErrors}`);
      }
      all.push(entry);
    }
  } finally {
    await bare.stop();
    await lona.stop();
  }
  const rps = spread(all.map((r) => r.lona.requestsPerSecond));
  const bareRps = spread(all.map((r) => r.bare.requestsPerSecond));
  const ratio = spread(all.map((r) => r.lona.requestsPerSecond / r.bare.requestsPerSecond));
  const targets: TargetCheck[] = [
    {
      workload: 'W2',
      target: '/hello ≥ 70% of bare node:http',
      measured: `${(ratio.median * 100).toFixed(0)}% (${num(rps.median)}/s vs ${num(bareRps.median)}/s)`,
      met: ratio.median >= 0.7,
    },
    {
      workload: 'W2',
      target: 'every response 200 with the page',
      measured: errors.length ? errors.slice(0, 3).join('; ') : 'checked',
      met: errors.length === 0,
    },
  ];
  const median = (pick: (r: (typeof all)[number]) => number, digits = 2) =>
    num(spread(all.map(pick)).median, digits);
  return {
    ...base,
    tables: [
      {
        title: `W2 plain HTTP: wrk -t2 -c50 -d${seconds}s, ~130-byte page; median [min–max] of ${runs} runs`,
        columns: [
          'server',
          'requests/s',
          'vs node:http',
          'p50 ms',
          'p99 ms',
          'CPU µs/req',
          'wrk cores',
          'other cores',
        ],
        rows: [
          [
            'lona-ts /hello',
            range(rps),
            range(ratio, 2),
            median((r) => r.lona.latencyMs.p50),
            median((r) => r.lona.latencyMs.p99),
            median((r) => r.lona.serverCpuUsPerRequest, 0),
            median((r) => r.lona.wrkCores),
            median((r) => r.lona.otherCores),
          ],
          [
            'bare node:http',
            range(bareRps),
            '1.00',
            median((r) => r.bare.latencyMs.p50),
            median((r) => r.bare.latencyMs.p99),
            median((r) => r.bare.serverCpuUsPerRequest, 0),
            median((r) => r.bare.wrkCores),
            median((r) => r.bare.otherCores),
          ],
        ],
      },
    ],
    targets,
    raw: all,
  };
}
