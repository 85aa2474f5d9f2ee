/**
 * Watches the event loop for stalls (SPEC §4.6) with `monitorEventLoopDelay`. Stalls in
 * user code that lona-ts calls are named by the runtime (LONA_WARN_EVENT_LOOP_BLOCKED);
 * this reports the others, without a name, at most once per reporting interval, and gives
 * the delay percentiles to the metrics.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Logger } from '../internal/logger.js';

const CHECK_INTERVAL_MS = 1_000;
/** At most one unnamed stall warning per this many ms. */
const WARN_EVERY_MS = 10_000;

export class EventLoopMonitor {
  readonly #histogram: IntervalHistogram;
  readonly #timer: NodeJS.Timeout;
  readonly #thresholdMs: number;
  readonly #logger: Logger;
  #lastWarning = 0;
  #last = { p50: 0, p99: 0, max: 0 };

  constructor(thresholdMs: number, logger: Logger) {
    this.#thresholdMs = thresholdMs;
    this.#logger = logger;
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    this.#timer = setInterval(() => this.#check(), CHECK_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Event-loop delay over the last interval, in ms. */
  get delayMs(): { p50: number; p99: number; max: number } {
    return this.#last;
  }

  #check(): void {
    const h = this.#histogram;
    this.#last = {
      p50: round(h.percentile(50) / 1e6),
      p99: round(h.percentile(99) / 1e6),
      max: round(h.max / 1e6),
    };
    h.reset();
    const now = Date.now();
    if (this.#last.max > this.#thresholdMs && now - this.#lastWarning > WARN_EVERY_MS) {
      this.#lastWarning = now;
      this.#logger.warning('LONA_WARN_EVENT_LOOP_STALL', { ms: this.#last.max });
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
