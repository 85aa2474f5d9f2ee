/**
 * The benchmark app: one lona-ts app with a route per workload (bench/README.md).
 *
 *   /counter   interactive: an H1, #counter (text 0) and a button #plus; a click adds 1   (W1)
 *   /hello     non-interactive: a ~130-byte static HTML page                             (W2)
 *   /idle      interactive: an H1 and #status; renders once, then does nothing           (W3)
 *   /clock     interactive, long-running: sets #clock to the time, shows, sleeps 1 s     (W4)
 *   /pub       interactive: a click on #publish sends {seq} on bench.fanout, shows seq   (W5)
 *   /sub       interactive: #msg is '-', then the seq of each bench.fanout message      (W5)
 *   /_bench/metrics, /_bench/gc   JSON for the runner: app.metrics() and memory, a forced GC
 *
 * `createBenchApp()` builds it (the smoke test starts it in-process). Run as a script, it
 * serves on 127.0.0.1 (PORT, default a free port), prints `READY <url>` and stops on
 * SIGTERM; BENCH_SETTINGS (JSON) overrides settings, e.g. a small MAX_RUNTIME_THREADS.
 */
import { pathToFileURL } from 'node:url';
import {
  App,
  Button,
  Div,
  H1,
  HtmlResponse,
  JsonResponse,
  P,
  Span,
  View,
  type SettingsInput,
} from '../src/index.js';
import { HELLO_CONTENT_TYPE, HELLO_PAGE } from './baselines/hello-page.js';

/** The topic of W5. */
export const FANOUT_TOPIC = 'bench.fanout';

/**
 * Settings sized for the workloads: a runtime slot for every clock view of W4 (its largest
 * run opens 20,000), every other limit at its default. SESSIONS stays on: the load
 * generator gets its cookie by a GET, as a browser does.
 */
export const BENCH_SETTINGS: SettingsInput = {
  MAX_RUNTIME_THREADS: 25_000,
  MAX_CONNECTIONS: 100_000,
  SESSIONS: true,
};

/** hh:mm:ss.mmm (UTC) of now; cheap, unlike toLocaleTimeString, and new on every tick. */
export function clockText(now = Date.now()): string {
  return new Date(now).toISOString().slice(11, 23);
}

class Counter extends View {
  counter = new Span({ id: 'counter' }, '0');

  handleRequest() {
    return new Div(
      new H1('Counter'),
      new P('Clicks: ', this.counter),
      new Button(
        {
          id: 'plus',
          handleClick: () => this.counter.setText(Number(this.counter.getText()) + 1),
        },
        '+',
      ),
    );
  }
}

class Hello extends View {
  static methods = ['GET', 'HEAD'];

  handleRequest() {
    return new HtmlResponse(HELLO_PAGE, { contentType: HELLO_CONTENT_TYPE });
  }
}

class Idle extends View {
  handleRequest() {
    return new Div(new H1('Idle'), new P({ id: 'status' }, 'idle'));
  }
}

class Clock extends View {
  async handleRequest() {
    const clock = new Span({ id: 'clock' }, clockText());
    const page = new Div(new H1('Clock'), new P(clock));
    for (;;) {
      clock.setText(clockText());
      await this.show(page);
      await this.sleep(1000);
    }
  }
}

class Publisher extends View {
  seq = 0;
  published = new Span({ id: 'published' }, '0');

  handleRequest() {
    return new Div(
      new H1('Publisher'),
      new Button({ id: 'publish', handleClick: () => this.publish() }, 'publish'),
      new P('Sent: ', this.published),
    );
  }

  async publish() {
    const seq = ++this.seq;
    this.published.setText(seq);
    await this.app.channel(FANOUT_TOPIC).send({ seq });
  }
}

class Subscriber extends View {
  handleRequest() {
    const msg = new Span({ id: 'msg' }, '-');
    this.subscribe(FANOUT_TOPIC, (message) => {
      msg.setText(String((message.data as { seq: number }).seq));
    });
    return new Div(new H1('Subscriber'), new P('Last: ', msg));
  }
}

function jsonView(answer: (app: App) => unknown) {
  return class extends View {
    static methods = ['GET'];

    handleRequest() {
      return new JsonResponse(answer(this.app));
    }
  };
}

export function createBenchApp(settings: SettingsInput = {}): App {
  const app = new App({ settings: { ...BENCH_SETTINGS, ...settings } });
  app.route('/counter', Counter, { name: 'counter' });
  app.route('/hello', Hello, { name: 'hello', interactive: false });
  app.route('/idle', Idle, { name: 'idle' });
  app.route('/clock', Clock, { name: 'clock' });
  app.route('/pub', Publisher, { name: 'pub' });
  app.route('/sub', Subscriber, { name: 'sub' });
  app.route(
    '/_bench/metrics',
    jsonView((app) => ({
      pid: process.pid,
      metrics: app.metrics(),
      memory: process.memoryUsage(),
    })),
    { interactive: false },
  );
  app.route(
    '/_bench/gc',
    jsonView(() => {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      return { gc: gc !== undefined, memory: process.memoryUsage() };
    }),
    { interactive: false },
  );
  return app;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.BENCH_SETTINGS ?? '{}') as SettingsInput;
  const app = createBenchApp(settings);
  app.logger.level = 'warn';
  const url = await app.start({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
  process.stdout.write(`READY ${url}\n`);
  const stop = () => {
    void app.stop({ timeoutMs: 2_000 }).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
