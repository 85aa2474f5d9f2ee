/**
 * `METRICS_URL`: `app.metrics()` in Prometheus text format (SPEC §4.7), through prom-client.
 * Gauges read the app when scraped, so nothing is counted twice and idle apps pay nothing.
 * Unauthenticated by design: keep it off (the default) or reachable only from inside.
 */
import { Gauge, Registry } from 'prom-client';
import type { App } from '../app.js';

export class MetricsEndpoint {
  readonly registry = new Registry();

  constructor(app: App) {
    const snapshot = () => app.metrics();
    const poolGauge = (
      name: string,
      help: string,
      read: (m: ReturnType<App['metrics']>['pools']['runtime']) => number,
    ) =>
      new Gauge({
        name: `lona_pool_${name}`,
        help,
        labelNames: ['pool'],
        registers: [this.registry],
        collect() {
          for (const [pool, m] of Object.entries(snapshot().pools)) this.set({ pool }, read(m));
        },
      });
    poolGauge('size', 'Slots of the pool (threads for cpu).', (m) => m.size);
    poolGauge('active', 'Slots held now.', (m) => m.active);
    poolGauge('queued', 'Work waiting for a slot now.', (m) => m.queued);
    poolGauge('admitted_total', 'Work admitted since start.', (m) => m.admitted);
    poolGauge(
      'rejected_total',
      'Work refused since start (queue full or waited too long).',
      (m) => m.rejected,
    );
    poolGauge(
      'wait_p99_ms',
      'Wait for a slot, 99th percentile over recent admissions, ms.',
      (m) => m.waitMs.p99,
    );
    new Gauge({
      name: 'lona_views',
      help: 'Views by state.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        for (const [state, count] of Object.entries(snapshot().views)) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'lona_connections',
      help: 'Open WebSocket connections.',
      registers: [this.registry],
      collect() {
        this.set(snapshot().connections);
      },
    });
    new Gauge({
      name: 'lona_event_loop_delay_ms',
      help: 'Event-loop delay over the last second, ms.',
      labelNames: ['quantile'],
      registers: [this.registry],
      collect() {
        const d = snapshot().eventLoopDelayMs;
        this.set({ quantile: '0.5' }, d.p50);
        this.set({ quantile: '0.99' }, d.p99);
        this.set({ quantile: '1' }, d.max);
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
