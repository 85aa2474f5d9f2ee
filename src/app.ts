/**
 * `App`: the object a user builds (SPEC §3.1). It owns the settings, the route table,
 * middlewares, error and frontend views and the server state, and starts or stops the
 * server. Serving itself is left to server/http-server.ts; running from the command line
 * to cli/.
 */
import { resolve as resolvePath } from 'node:path';
import { Logger, type LogLevel } from './internal/logger.js';
import { LonaError } from './errors.js';
import { resolveSettings, type Settings, type SettingsInput } from './settings.js';
import { Router } from './routing/router.js';
import type { Route, RouteView } from './routing/route.js';
import { isViewClass, type View, type ViewClass } from './view/view.js';
import { DEFAULT_ERROR_VIEWS, type ErrorStatus } from './view/error-views.js';
import { HttpServer } from './server/http-server.js';
import { createPools, type Pools } from './resources/pools.js';
import { ThreadPool } from './resources/thread-pool.js';
import { poolMetrics, threadPoolMetrics, type AppMetrics } from './resources/metrics.js';
import { ChannelHub } from './channels/channel-hub.js';
import { createBroker } from './channels/create-broker.js';
import type { Channel, ChannelHandler } from './channels/channel.js';
import type { ChannelMessage } from './channels/broker.js';
import type { ViewRuntime } from './view/view-runtime.js';

export interface AppOptions {
  settings?: SettingsInput;
  /** Directory that relative TEMPLATE_DIRS and STATIC_DIRS are resolved against. @default process.cwd() */
  root?: string;
  /** Where log lines go; tests pass their own. */
  logger?: Logger;
}

export interface RouteOptions {
  /** A unique name, for `app.reverse()`. */
  name?: string;
  /** false: a plain HTTP view (no WebSocket). @default true */
  interactive?: boolean;
  /** true: the route gets Node's raw request and response. @default false */
  httpPassThrough?: boolean;
  /** A view class that renders this route's frontend shell. */
  frontendView?: ViewClass;
}

export interface StartOptions {
  host?: string;
  /** 0 picks a free port. @default 8080 */
  port?: number;
}

export interface RunOptions extends StartOptions {
  processes?: number;
  liveReload?: boolean;
  shutdownTimeoutMs?: number;
  logLevel?: LogLevel;
}

/** Set by the CLI before it imports an app module, so `app.run()` only records its options. */
export const CLI_MODE = Symbol.for('lona-ts.cli-mode');

/** Anything with any of the middleware hooks (SPEC §3.7); checked when it is added. */
export type Middleware = object;

export class App {
  readonly root: string;
  readonly logger: Logger;
  readonly router = new Router();
  /** The process's server state (SPEC §3.9), initially INITIAL_SERVER_STATE. */
  state: Record<string, unknown>;
  /** The options `run()` was last called with (read by the CLI). */
  runOptions: RunOptions | null = null;

  #settingsLayers: Array<Record<string, unknown> | undefined>;
  #settings: Settings;
  #middlewares: Middleware[] = [];
  #errorViews = new Map<ErrorStatus, ViewClass>();
  #frontendView: ViewClass | null = null;
  #staticSources: unknown[] = [];
  #server: HttpServer | null = null;
  #pools: Pools | null = null;
  #threads: ThreadPool | null = null;
  #channels: ChannelHub | null = null;

  constructor(options: AppOptions = {}) {
    this.root = resolvePath(options.root ?? process.cwd());
    this.logger = options.logger ?? new Logger();
    this.#settingsLayers = [options.settings as Record<string, unknown> | undefined];
    this.#settings = resolveSettings(...this.#settingsLayers);
    this.state = structuredClone(this.#settings.INITIAL_SERVER_STATE);
  }

  /** The validated settings (SPEC §6). */
  get settings(): Settings {
    return this.#settings;
  }

  /**
   * Adds settings layers above the App's own (a settings file, then `-o` overrides).
   * Only before `start()`: a running server keeps the settings it started with.
   */
  configure(...layers: Array<Record<string, unknown> | undefined>): this {
    if (this.#server) throw new Error('app.configure() must be called before app.start().');
    this.#settingsLayers.push(...layers);
    this.#settings = resolveSettings(...this.#settingsLayers);
    // Keep what the module put into app.state unless a layer sets the initial state.
    if (layers.some((layer) => layer && 'INITIAL_SERVER_STATE' in layer)) {
      this.state = structuredClone(this.#settings.INITIAL_SERVER_STATE);
    }
    this.#pools = null;
    this.#threads = null;
    return this;
  }

  /** Adds a route; patterns use Lona's syntax (SPEC §3.2). First match wins. */
  route(pattern: Route['pattern'], view: RouteView, options: RouteOptions = {}): this {
    const httpPassThrough = options.httpPassThrough ?? false;
    const validView = httpPassThrough ? typeof view === 'function' : isViewClass(view);
    if (!validView) {
      throw new LonaError('LONA_ERR_ROUTE_BAD_VIEW', {
        pattern: String(pattern),
        passThrough: httpPassThrough,
        got:
          typeof view === 'function' ? `the function ${view.name || '(anonymous)'}` : typeof view,
      });
    }
    this.router.add({
      pattern,
      view,
      name: options.name,
      interactive: options.interactive ?? true,
      httpPassThrough,
      frontendView: options.frontendView,
    });
    return this;
  }

  /** Adds a middleware (SPEC §3.7); they run in the order they were added. */
  middleware(middleware: Middleware): this {
    this.#middlewares.push(middleware);
    return this;
  }

  /** The middlewares: MIDDLEWARES from the settings, then those added with `middleware()`. */
  get middlewares(): readonly Middleware[] {
    return [...(this.#settings.MIDDLEWARES as Middleware[]), ...this.#middlewares];
  }

  /** Replaces the view that renders the frontend shell of interactive routes. */
  frontendView(view: ViewClass): this {
    this.#frontendView = view;
    return this;
  }

  /** The frontend view for a route: the route's own, the app's, FRONTEND_VIEW, or null (the template). */
  frontendViewFor(route: Route | null): ViewClass | null {
    return (
      (route?.frontendView as ViewClass | undefined) ??
      this.#frontendView ??
      (this.#settings.FRONTEND_VIEW as ViewClass | null)
    );
  }

  /** Replaces the view shown for an error status. */
  errorView(status: ErrorStatus, view: ViewClass): this {
    if (!(status in DEFAULT_ERROR_VIEWS)) {
      throw new TypeError(`app.errorView(): status must be 403, 404, 500 or 503; got ${status}.`);
    }
    this.#errorViews.set(status, view);
    return this;
  }

  /** The view that answers an error status. */
  errorViewFor(status: ErrorStatus): ViewClass {
    return this.#errorViews.get(status) ?? (DEFAULT_ERROR_VIEWS[status] as ViewClass);
  }

  /** Declares static files (or classes with STATIC_FILES) that no route's view lists. */
  staticFiles(...sources: unknown[]): this {
    this.#staticSources.push(...sources);
    return this;
  }

  /** Everything that may declare STATIC_FILES: the views of routes, error and frontend views, and `staticFiles()`. */
  get staticSources(): unknown[] {
    const views = this.router.routes.flatMap((r) =>
      r.httpPassThrough ? [] : [r.view, r.frontendView].filter(Boolean),
    );
    return [
      ...views,
      ...this.#errorViews.values(),
      ...(this.#frontendView ? [this.#frontendView] : []),
      ...this.#staticSources,
    ];
  }

  /** The process's pools (SPEC §4.1), built from the settings on first use. */
  get pools(): Pools {
    return (this.#pools ??= createPools(this.#settings));
  }

  /** The cpu pool (`runInThread`): worker threads, started lazily. */
  get threads(): ThreadPool {
    return (this.#threads ??= new ThreadPool(this.#settings));
  }

  /** Pools, views, connections and event-loop delay, now (SPEC §4.7). */
  metrics(): AppMetrics {
    const pools = this.pools;
    const server = this.#server;
    return {
      pools: {
        runtime: poolMetrics(pools.runtime),
        http: poolMetrics(pools.http),
        worker: poolMetrics(pools.worker),
        static: poolMetrics(pools.static),
        channel: poolMetrics(pools.channel),
        cpu: threadPoolMetrics(this.threads),
      },
      views: server?.views.metrics() ?? { running: 0, queued: 0, idle: 0, daemon: 0, zombie: 0 },
      connections: server?.websocket.connectionCount ?? 0,
      eventLoopDelayMs: server?.eventLoop.delayMs ?? { p50: 0, p99: 0, max: 0 },
    };
  }

  /** Running views, optionally of one user (its user key or user object) or route name. */
  views(filter: { user?: unknown; route?: string } = {}): View[] {
    const host = this.#server?.views;
    if (!host) return [];
    return host.list(filter);
  }

  /** The app's channels (SPEC §3.8); app-level handlers run on the channel pool. */
  get channels(): ChannelHub {
    if (!this.#channels) {
      const logger = {
        error: (message: string, error?: unknown) => this.logger.error(message, error),
        warn: (message: string) => this.logger.warn(message),
        info: (message: string) => this.logger.info(message),
      };
      this.#channels = new ChannelHub({
        broker: createBroker(this.#settings.CHANNEL_BROKER, logger),
        logger,
        schedule: (job) => this.pools.channel.run(job),
      });
    }
    return this.#channels;
  }

  /** A channel of this app; with a handler, subscribed at once (SPEC §3.8). */
  channel<T = unknown>(topic: string, handler?: ChannelHandler<T>): Channel<T> {
    return this.channels.channel<T>(topic, handler);
  }

  /**
   * Binds a subscription to a view (`view.subscribe`): the handler runs in the view's
   * lane, patches flush afterwards, a throw shows the view's error view, and the
   * subscription ends with the view.
   */
  subscribeView(
    runtime: ViewRuntime,
    topic: string,
    handler: (message: ChannelMessage) => unknown,
  ): void {
    const channel = this.channels.channel(topic);
    channel.subscribe(
      async (message) => {
        try {
          await runtime.callHandler('channel handler', () => handler(message));
        } catch (error) {
          await runtime.fail(error);
        }
      },
      {
        schedule: (job) =>
          new Promise<void>((resolve, reject) => {
            const queued = runtime.enqueue(async () => {
              try {
                await job();
                if (!runtime.stopped || runtime.stopReason === undefined) runtime.flush();
              } finally {
                resolve();
              }
            });
            if (!queued) reject(new Error(`${runtime.name}: lane full, channel message dropped`));
          }),
      },
    );
    runtime.addCleanup(() => channel.unsubscribe());
  }

  /** The URL path of a named route (SPEC §3.2). */
  reverse(name: string, params: Record<string, string | number> = {}): string {
    return this.router.reverse(name, params);
  }

  /** Starts serving; resolves with the server's URL. No process handlers (SPEC §3.1). */
  async start(options: StartOptions = {}): Promise<string> {
    if (this.#server) throw new Error('This app is already started; call app.stop() first.');
    const server = new HttpServer(this);
    this.#server = server;
    try {
      // Take traffic only once channels reach other processes: a view subscribed before
      // the broker is would miss messages sent meanwhile.
      await this.channels.ready().catch((error: unknown) => {
        this.logger.warn(
          `Starting while the channel broker is unreachable (it keeps retrying): ${String(error)}`,
        );
      });
      return await server.listen(options.host ?? 'localhost', options.port ?? 8080);
    } catch (error) {
      this.#server = null;
      throw error;
    }
  }

  /** Stops serving: no new connections, running work gets SHUTDOWN_TIMEOUT_MS to finish. */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    const server = this.#server;
    this.#server = null;
    await server?.close(options.timeoutMs ?? this.#settings.SHUTDOWN_TIMEOUT_MS);
    // Channels and threads may be in use without a server (scripts, tests): close them too.
    await this.#channels?.close();
    this.#channels = null;
    this.#pools = null;
    await this.#threads?.close();
    this.#threads = null;
  }

  /** The running server, if started. */
  get server(): HttpServer | null {
    return this.#server;
  }

  /**
   * Starts the app as a program: installs signal and process-error handlers (SPEC §3.3).
   * Under the CLI it only records the options; the CLI's flags win and the CLI starts it.
   */
  async run(options: RunOptions = {}): Promise<void> {
    this.runOptions = options;
    if ((globalThis as Record<symbol, unknown>)[CLI_MODE]) return;
    const { runApp } = await import('./cli/run-app.js');
    await runApp(this, options);
  }
}
