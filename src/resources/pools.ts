/**
 * The named pools of one process (SPEC §4.1), built from their size, queue-bound and
 * max-wait settings. Pools are ordered runtime → http → worker → static → channel → cpu;
 * framework code never waits for a slot while holding one of the same or a later pool
 * (SPEC §4.2). The cpu pool is real threads and lives in resources/thread-pool.ts.
 */
import type { Settings } from '../settings.js';
import { Pool } from './pool.js';

export type PoolName = 'runtime' | 'http' | 'worker' | 'static' | 'channel';

export type Pools = Record<PoolName, Pool>;

export function createPools(settings: Settings): Pools {
  return {
    runtime: new Pool({
      name: 'runtime',
      size: settings.MAX_RUNTIME_THREADS,
      maxQueued: settings.RUNTIME_QUEUE_MAX,
      maxWaitMs: settings.RUNTIME_QUEUE_TIMEOUT_MS,
    }),
    http: new Pool({
      name: 'http',
      size: settings.MAX_HTTP_THREADS,
      maxQueued: settings.HTTP_QUEUE_MAX,
      maxWaitMs: settings.HTTP_QUEUE_TIMEOUT_MS,
    }),
    worker: new Pool({
      name: 'worker',
      size: settings.MAX_WORKER_THREADS,
      maxQueued: settings.WORKER_QUEUE_MAX,
      // Input events never time out in the queue (SPEC §4.4); view starts pass their own signal
      // and WORKER_QUEUE_TIMEOUT_MS.
      maxWaitMs: 0,
    }),
    static: new Pool({
      name: 'static',
      size: settings.MAX_STATIC_THREADS,
      maxQueued: settings.STATIC_QUEUE_MAX,
      maxWaitMs: settings.STATIC_QUEUE_TIMEOUT_MS,
    }),
    channel: new Pool({
      name: 'channel',
      size: settings.MAX_CHANNEL_TASK_WORKER_THREADS,
      maxQueued: settings.CHANNEL_QUEUE_MAX,
      maxWaitMs: settings.CHANNEL_QUEUE_TIMEOUT_MS,
    }),
  };
}
