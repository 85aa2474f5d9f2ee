/**
 * The shape of `app.metrics()` (SPEC §4.7) and how a pool is read into it. The App
 * gathers the numbers; server/metrics-endpoint.ts serves them in Prometheus text format.
 */
import type { Pool } from './pool.js';
import type { ThreadPool } from './thread-pool.js';

export interface PoolMetrics {
  /** Slots (threads for the cpu pool). */
  size: number;
  /** Slots held now. */
  active: number;
  /** Waiting for a slot now. */
  queued: number;
  /** Admitted since start. */
  admitted: number;
  /** Refused since start (queue full or waited too long). */
  rejected: number;
  /** Wait for a slot over the last 1,024 admissions, in ms. */
  waitMs: { p50: number; p99: number; max: number };
}

export interface ViewMetrics {
  /** Running `handleRequest` (holding a runtime slot). */
  running: number;
  /** Waiting for a runtime slot. */
  queued: number;
  /** `handleRequest` returned; the view is alive (callbacks work). */
  idle: number;
  /** Daemon views (with or without a tab). */
  daemon: number;
  /** Stopped more than 10 s ago with `handleRequest` still not settled. */
  zombie: number;
}

export interface AppMetrics {
  pools: Record<'runtime' | 'http' | 'worker' | 'static' | 'channel' | 'cpu', PoolMetrics>;
  views: ViewMetrics;
  /** Open WebSocket connections. */
  connections: number;
  /** Event-loop delay over the last second, in ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

export function poolMetrics(pool: Pool): PoolMetrics {
  return {
    size: pool.size,
    active: pool.active,
    queued: pool.pending,
    admitted: pool.admitted,
    rejected: pool.rejected,
    waitMs: pool.waitPercentiles(),
  };
}

export function threadPoolMetrics(pool: ThreadPool): PoolMetrics {
  return {
    size: pool.size,
    active: pool.active,
    queued: pool.pending,
    admitted: pool.admitted,
    rejected: pool.rejected,
    waitMs: { p50: 0, p99: 0, max: 0 },
  };
}
