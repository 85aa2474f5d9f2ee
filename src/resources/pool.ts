/**
 * A bounded pool of slots: a FIFO queue and a counter (SPEC §4, STYLE rule 5). A slot is a
 * unit of admitted concurrency, not a thread. `acquire()` resolves with a release function
 * once a slot is free (`tryAcquire()` takes a free one synchronously, so a hot path pays no
 * promise); a finishing holder hands its slot straight to the oldest waiter, so a newcomer
 * never overtakes the queue and nothing polls. A waiter whose signal aborts
 * leaves the queue at once. Past `maxQueued` or `maxWaitMs` a waiter is rejected with a
 * coded error the caller answers (503 view, 503 status); nothing is dropped silently.
 *
 * The pool knows nothing of the work it admits; resources/pools.ts builds the named pools
 * from the settings.
 */
import { LonaError } from '../errors.js';

export type Release = () => void;

export interface PoolOptions {
  name: string;
  size: number;
  /** Waiters allowed in the queue; past it `acquire` rejects. @default Infinity */
  maxQueued?: number;
  /** Longest a waiter waits, in ms; 0 = no limit. @default 0 */
  maxWaitMs?: number;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Longest wait for this call, in ms (0: no limit); the pool's `maxWaitMs` otherwise. */
  maxWaitMs?: number;
}

interface Waiter {
  grant: (release: Release) => void;
  reject: (error: unknown) => void;
  enqueuedAt: number;
  cleanup: () => void;
}

/** How many recent waits the percentiles are computed from. */
const WAIT_SAMPLES = 1024;

export class Pool {
  readonly name: string;
  readonly size: number;
  readonly maxQueued: number;
  readonly maxWaitMs: number;
  #active = 0;
  #queue: Waiter[] = [];
  /** Index of the queue's head: shifting a long array is O(n), so we advance and compact. */
  #head = 0;
  #admitted = 0;
  #rejected = 0;
  #waits = new Float64Array(WAIT_SAMPLES);
  #waitCount = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: PoolOptions) {
    if (!(options.size >= 1))
      throw new RangeError(`Pool '${options.name}' needs a size ≥ 1; got ${options.size}.`);
    this.name = options.name;
    this.size = options.size;
    this.maxQueued = options.maxQueued ?? Infinity;
    this.maxWaitMs = options.maxWaitMs ?? 0;
  }

  /** Slots held now. */
  get active(): number {
    return this.#active;
  }

  /** Waiters in the queue now. */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  get admitted(): number {
    return this.#admitted;
  }

  get rejected(): number {
    return this.#rejected;
  }

  /** Waits for a slot; resolves with its release function (idempotent). */
  acquire(options: AcquireOptions = {}): Promise<Release> {
    const { signal, maxWaitMs = this.maxWaitMs } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const release = this.tryAcquire();
    if (release) return Promise.resolve(release);
    if (this.pending >= this.maxQueued) {
      this.#rejected++;
      return Promise.reject(
        new LonaError('LONA_ERR_POOL_QUEUE_FULL', { pool: this.name, limit: this.maxQueued }),
      );
    }
    return new Promise<Release>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        this.#remove(waiter);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: resolve,
        reject,
        enqueuedAt: performance.now(),
        cleanup: () => {
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      if (maxWaitMs > 0) {
        timer = setTimeout(() => {
          this.#remove(waiter);
          this.#rejected++;
          reject(new LonaError('LONA_ERR_POOL_QUEUE_TIMEOUT', { pool: this.name, ms: maxWaitMs }));
        }, maxWaitMs);
        timer.unref?.();
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /**
   * Takes a free slot now, without a promise: its release function, or null when every
   * slot is held or others are queued (they come first; the caller then waits with
   * `acquire`). Counted as an admission with a zero wait, as `acquire` counts it.
   */
  tryAcquire(): Release | null {
    if (this.#active >= this.size || this.pending > 0) return null;
    this.#active++;
    this.#recordWait(0);
    return this.#releaser();
  }

  /** Runs `fn` holding a slot; the slot is released when it settles. */
  async run<T>(fn: () => T | Promise<T>, options: AcquireOptions = {}): Promise<T> {
    const release = await this.acquire(options);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Resolves when no slot is held and nobody waits. */
  onIdle(): Promise<void> {
    if (this.#active === 0 && this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Wait-time percentiles (ms) over the last waits, for metrics. */
  waitPercentiles(): { p50: number; p99: number; max: number } {
    const n = Math.min(this.#waitCount, WAIT_SAMPLES);
    if (n === 0) return { p50: 0, p99: 0, max: 0 };
    const sorted = Array.from(this.#waits.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))]!;
    return { p50: at(0.5), p99: at(0.99), max: sorted[n - 1]! };
  }

  #releaser(): Release {
    this.#admitted++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#handOver();
    };
  }

  /** A slot was released: give it to the oldest waiter, or free it. */
  #handOver(): void {
    const waiter = this.#shift();
    if (waiter) {
      waiter.cleanup();
      this.#recordWait(performance.now() - waiter.enqueuedAt);
      waiter.grant(this.#releaser());
      return;
    }
    this.#active--;
    if (this.#active === 0 && this.#idleWaiters.length > 0) {
      for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  #shift(): Waiter | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const waiter = this.#queue[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return waiter;
  }

  #remove(waiter: Waiter): void {
    waiter.cleanup();
    const index = this.#queue.indexOf(waiter, this.#head);
    if (index >= 0) this.#queue.splice(index, 1);
    if (this.#active === 0 && this.pending === 0) {
      for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  #recordWait(ms: number): void {
    this.#waits[this.#waitCount % WAIT_SAMPLES] = ms;
    this.#waitCount++;
  }
}
