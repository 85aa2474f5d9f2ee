/**
 * The cpu pool (SPEC §4.6): real `worker_threads`, through piscina, for CPU-heavy work
 * that would otherwise block the event loop. `runInThread(moduleUrl, exportName, args)`
 * runs an exported function of a module in a thread; the caller keeps its own slot while
 * it waits, and thread jobs take no other slot. A queued task whose signal aborts leaves
 * the queue; a running one has its thread terminated and replaced (piscina does both).
 * Threads start lazily: an app that never calls `runInThread` starts none.
 */
import { availableParallelism } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { LonaError } from '../errors.js';
import { hookContext } from '../view/hook-context.js';
import type { Settings } from '../settings.js';

const WORKER_SCRIPT = new URL('./thread-worker.mjs', import.meta.url).href;

export interface RunInThreadOptions {
  /** Cancels the task; defaults to the calling view's signal. */
  signal?: AbortSignal;
  /** Objects to move into the thread instead of copying them. */
  transferList?: Transferable[];
}

type Transferable = ArrayBuffer | MessagePort;

export class ThreadPool {
  readonly size: number;
  readonly #maxQueued: number;
  readonly #maxWaitMs: number;
  #piscina: Piscina | null = null;
  #admitted = 0;
  #rejected = 0;

  constructor(
    settings: Pick<Settings, 'MAX_CPU_THREADS' | 'CPU_QUEUE_MAX' | 'CPU_QUEUE_TIMEOUT_MS'>,
  ) {
    this.size =
      settings.MAX_CPU_THREADS > 0
        ? settings.MAX_CPU_THREADS
        : Math.max(1, availableParallelism() - 1);
    this.#maxQueued = settings.CPU_QUEUE_MAX;
    this.#maxWaitMs = settings.CPU_QUEUE_TIMEOUT_MS;
  }

  /** Tasks running in a thread now. */
  get active(): number {
    return Math.min(this.#running, this.size);
  }

  /** Tasks waiting for a thread. */
  get pending(): number {
    return Math.max(0, this.#running - this.size);
  }

  get admitted(): number {
    return this.#admitted;
  }

  get rejected(): number {
    return this.#rejected;
  }

  /** Tasks handed to piscina and not settled (running or queued there). */
  #running = 0;

  async run<T>(
    moduleUrl: string,
    exportName: string,
    args: unknown[],
    options: RunInThreadOptions = {},
  ): Promise<T> {
    if (this.pending >= this.#maxQueued) {
      this.#rejected++;
      throw new LonaError('LONA_ERR_POOL_QUEUE_FULL', { pool: 'cpu', limit: this.#maxQueued });
    }
    const piscina = (this.#piscina ??= new Piscina({
      filename: WORKER_SCRIPT,
      minThreads: 0,
      maxThreads: this.size,
      idleTimeout: 30_000,
      // Pass the parent's loader flags on (e.g. --import tsx) so tasks can be TypeScript.
      execArgv: process.execArgv,
    }));
    const signals = [options.signal].filter((s): s is AbortSignal => s !== undefined);
    if (this.#maxWaitMs > 0) signals.push(AbortSignal.timeout(this.#maxWaitMs));
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    this.#admitted++;
    this.#running++;
    try {
      return (await piscina.run(
        { moduleUrl, exportName, args },
        { signal: signal ?? null, transferList: options.transferList as never },
      )) as T;
    } catch (error) {
      if (error instanceof Error && error.name === 'DataCloneError') {
        throw new LonaError(
          'LONA_ERR_THREAD_NOT_CLONEABLE',
          { reason: error.message },
          { cause: error },
        );
      }
      if (signal?.aborted) throw signal.reason ?? error;
      throw error;
    } finally {
      this.#running--;
    }
  }

  async close(): Promise<void> {
    const piscina = this.#piscina;
    this.#piscina = null;
    await piscina?.destroy();
  }
}

/** The process-wide pool used outside any app's views (scripts, tests). */
let fallbackPool: ThreadPool | null = null;

/**
 * Runs `exportName` of the module at `moduleUrl` (use `import.meta.url`-relative URLs) in
 * a worker thread of the cpu pool and resolves with its result. Arguments are copied with
 * the structured clone algorithm; ones that cannot be are a coded error. Errors come back
 * with the thread's stack. Inside a view, the view's app's pool is used and `signal`
 * defaults to the view's, so the task is cancelled with its view.
 */
export function runInThread<T = unknown>(
  moduleUrl: string | URL,
  exportName: string,
  args: unknown[] = [],
  options: RunInThreadOptions = {},
): Promise<T> {
  const context = hookContext.getStore();
  const pool =
    context?.threads ??
    (fallbackPool ??= new ThreadPool({
      MAX_CPU_THREADS: 0,
      CPU_QUEUE_MAX: 10_000,
      CPU_QUEUE_TIMEOUT_MS: 0,
    }));
  const signal = options.signal ?? context?.signal;
  return pool.run<T>(String(moduleUrl), exportName, args, { ...options, signal });
}
