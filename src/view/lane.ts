/**
 * A view's lane (SPEC §4.3): its ordered mailbox of input events and channel deliveries.
 * Jobs run one at a time in arrival order, each holding a worker slot; every job starts
 * from a macrotask, so code after an await that a job resolved runs before the next job.
 * A lane takes one worker slot per job and queues again for the next, which makes the
 * worker pool's FIFO queue round-robin across views.
 */
import type { Pool } from '../resources/pool.js';

export type LaneJob = () => Promise<void> | void;

export class Lane {
  readonly #pool: Pool;
  readonly #maxQueued: number;
  readonly #onError: (error: unknown) => void;
  #jobs: LaneJob[] = [];
  #running = false;
  #closed = false;

  constructor(pool: Pool, maxQueued: number, onError: (error: unknown) => void) {
    this.#pool = pool;
    this.#maxQueued = maxQueued;
    this.#onError = onError;
  }

  /** Jobs waiting (not counting the running one). */
  get length(): number {
    return this.#jobs.length;
  }

  /** Queues a job; false when the lane is over its bound (the caller closes the flooder). */
  push(job: LaneJob): boolean {
    if (this.#closed) return true;
    if (this.#jobs.length >= this.#maxQueued) return false;
    this.#jobs.push(job);
    if (!this.#running) {
      this.#running = true;
      setImmediate(this.#next);
    }
    return true;
  }

  /** Drops queued jobs; a running one finishes. */
  close(): void {
    this.#closed = true;
    this.#jobs = [];
  }

  #next = async (): Promise<void> => {
    const job = this.#jobs.shift();
    if (!job || this.#closed) {
      this.#running = false;
      return;
    }
    try {
      await this.#pool.run(job);
    } catch (error) {
      this.#onError(error);
    }
    if (this.#jobs.length > 0 && !this.#closed) setImmediate(this.#next);
    else this.#running = false;
  };
}
