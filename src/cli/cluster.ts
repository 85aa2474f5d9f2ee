/**
 * Several processes on one port (SPEC §4.9) with Node's cluster module: the primary forks
 * N workers, replaces one that dies (with a back-off and a clear log line), and on
 * SIGTERM/SIGINT asks every worker to stop gracefully and waits for them. Workers run the
 * app exactly as a single process does (cli/run-app.ts). The primary runs no app code.
 */
import cluster, { type Worker } from 'node:cluster';
import type { App, RunOptions } from '../app.js';

/** First restart delay after a worker died; doubles up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 10_000;
/** A worker that lived this long resets its slot's back-off. */
const STABLE_AFTER_MS = 30_000;

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** Runs the primary: forks `processes` workers and supervises them until a signal. */
export function runPrimary(app: App, options: RunOptions & { processes: number }): Promise<void> {
  const logger = app.logger;
  const timeoutMs = options.shutdownTimeoutMs ?? app.settings.SHUTDOWN_TIMEOUT_MS;
  const slots = new Map<Worker, { index: number; startedAt: number }>();
  const backoff = new Array<number>(options.processes).fill(FIRST_BACKOFF_MS);
  let stopping = false;

  warnPerProcessState(app, options.processes);

  const fork = (index: number) => {
    const worker = cluster.fork({ LONA_PROCESS_INDEX: String(index) });
    slots.set(worker, { index, startedAt: Date.now() });
  };

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.get(worker);
    slots.delete(worker);
    if (!slot || stopping) return;
    const lived = Date.now() - slot.startedAt;
    if (lived > STABLE_AFTER_MS) backoff[slot.index] = FIRST_BACKOFF_MS;
    const delay = backoff[slot.index]!;
    backoff[slot.index] = Math.min(delay * 2, MAX_BACKOFF_MS);
    logger.error(
      `process ${slot.index} (pid ${worker.process.pid}) died (${signal ?? `exit code ${code}`}); restarting it in ${delay} ms`,
    );
    setTimeout(() => {
      if (!stopping) fork(slot.index);
    }, delay);
  });

  for (let index = 0; index < options.processes; index++) fork(index);
  logger.info(`lona-ts primary (pid ${process.pid}) started ${options.processes} processes`);

  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn(`${signal} again: killing the processes now.`);
        for (const worker of slots.keys()) worker.process.kill('SIGKILL');
        process.exit(1);
      }
      stopping = true;
      logger.info(`${signal}: stopping ${slots.size} processes (up to ${timeoutMs} ms)…`);
      for (const worker of slots.keys()) worker.process.kill('SIGTERM');
      const force = setTimeout(() => {
        for (const worker of slots.keys()) worker.process.kill('SIGKILL');
      }, timeoutMs + 1_000);
      force.unref();
      const check = setInterval(() => {
        if (slots.size > 0) return;
        clearInterval(check);
        clearTimeout(force);
        resolve();
        process.exit(0);
      }, 50);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

/** SPEC §4.9: daemon views, app.state and the memory broker stay inside each process. */
function warnPerProcessState(app: App, processes: number): void {
  const logger = app.logger;
  if (app.settings.CHANNEL_BROKER === 'memory') {
    logger.warn(
      `CHANNEL_BROKER is 'memory' with ${processes} processes: channel messages stay inside each process. Set CHANNEL_BROKER to a redis:// URL to reach views in every process.`,
    );
  }
  logger.warn(
    `Daemon views and app.state are per process: with ${processes} processes a tab re-attaches to a daemon view only if it reaches the same process (sticky routing by session cookie, see docs/deployment.md).`,
  );
}
