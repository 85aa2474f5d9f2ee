/**
 * Settings: the one typed, documented defaults object (SPEC §6, STYLE rule 4) and the code
 * that merges and validates the layers a running app reads them from.
 *
 * Layers, later winning: `new App({ settings })` < a settings file (`-s`) < `-o NAME=VALUE`.
 * Each layer is checked on its own, so an error names the layer's setting as the user wrote
 * it. What the settings mean is implemented elsewhere; this file only knows their names,
 * types, units and defaults. `docs/settings.md` is checked against this object by a test.
 */
import { LonaError } from './errors.js';

/** A class or function setting (views, middlewares). Kept loose: checked where it is used. */
type AnyFunction = (...args: any[]) => unknown;

export const DEFAULT_SETTINGS = {
  // --- Resource pools (SPEC §4; docs/resource-management.md) -------------------------------

  /** Interactive views that may run `handleRequest()` at once, sleeping and awaiting included. @default 20000 */
  MAX_RUNTIME_THREADS: 20_000,
  /** View starts that may wait for a runtime slot before the 503 view is shown. @default 1000 */
  RUNTIME_QUEUE_MAX: 1_000,
  /** Longest a view start waits for a runtime slot, in ms. @default 30000 */
  RUNTIME_QUEUE_TIMEOUT_MS: 30_000,
  /** Plain HTTP requests (shell, non-interactive views) handled at once. @default 256 */
  MAX_HTTP_THREADS: 256,
  /** HTTP requests that may wait for a slot before 503. @default 1000 */
  HTTP_QUEUE_MAX: 1_000,
  /** Longest an HTTP request waits for a slot, in ms. @default 10000 */
  HTTP_QUEUE_TIMEOUT_MS: 10_000,
  /** Lane jobs (input events, channel deliveries, view-start middlewares) run at once. @default 256 */
  MAX_WORKER_THREADS: 256,
  /** Lanes that may wait for a worker slot. Input events are never dropped for time. @default 100000 */
  WORKER_QUEUE_MAX: 100_000,
  /** Longest a view start's middlewares wait for a worker slot, in ms (0: no limit). @default 30000 */
  WORKER_QUEUE_TIMEOUT_MS: 30_000,
  /** Input events and channel deliveries queued per view; past it the socket closes with 4002. @default 100 */
  MAX_QUEUED_INPUT_EVENTS_PER_VIEW: 100,
  /** Static file lookups (lookup, open, headers) at once; bodies stream without a slot. @default 64 */
  MAX_STATIC_THREADS: 64,
  /** Static requests that may wait for a slot before 503. @default 1000 */
  STATIC_QUEUE_MAX: 1_000,
  /** Longest a static request waits for a slot, in ms. @default 10000 */
  STATIC_QUEUE_TIMEOUT_MS: 10_000,
  /** Channel handlers not bound to a view that run at once. @default 64 */
  MAX_CHANNEL_TASK_WORKER_THREADS: 64,
  /** Channel deliveries that may wait for a slot. @default 100000 */
  CHANNEL_QUEUE_MAX: 100_000,
  /** Longest a channel delivery waits for a slot, in ms (0: no limit). @default 0 */
  CHANNEL_QUEUE_TIMEOUT_MS: 0,
  /** `runInThread()` worker threads; 0 means cores − 1, at least 1, started lazily. @default 0 */
  MAX_CPU_THREADS: 0,
  /** `runInThread()` tasks that may wait for a thread. @default 10000 */
  CPU_QUEUE_MAX: 10_000,
  /** Longest a `runInThread()` task waits for a thread, in ms (0: no limit). @default 0 */
  CPU_QUEUE_TIMEOUT_MS: 0,

  // --- HTTP server -----------------------------------------------------------------------

  /** Largest HTTP request body, in bytes; larger bodies get 413. Lona's limit. @default 1048576 */
  MAX_HTTP_BODY_BYTES: 1024 * 1024,
  /** Largest HTTP request header block, in bytes. @default 16384 */
  MAX_HTTP_HEADER_BYTES: 16 * 1024,
  /** Time a client has to send the request headers, in ms. @default 20000 */
  HTTP_HEADERS_TIMEOUT_MS: 20_000,
  /** Time a client has to send the whole request, in ms. @default 60000 */
  HTTP_REQUEST_TIMEOUT_MS: 60_000,
  /** Idle keep-alive connections are closed after this many ms. @default 5000 */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: 5_000,
  /** Longest a graceful stop waits for running work before closing everything, in ms. @default 10000 */
  SHUTDOWN_TIMEOUT_MS: 10_000,
  /** Show stack traces in the 500 view. Never enable in production. @default false */
  DEBUG: false,
  /** `Content-Security-Policy` of the frontend shell ('' sends none). Every click runs server code, so framing is refused by default. @default "frame-ancestors 'self'" */
  CONTENT_SECURITY_POLICY: "frame-ancestors 'self'",
  /** Trust `X-Forwarded-Proto` / `X-Forwarded-Host` from a proxy in front. @default false */
  TRUST_PROXY: false,
  /** Extra origins allowed to open the WebSocket and to POST (e.g. 'https://example.com'). @default [] */
  ALLOWED_ORIGINS: [] as string[],
  /** URL path of the health endpoint for load balancers ('' disables it). @default '' */
  HEALTH_URL: '',
  /** URL path of the Prometheus metrics endpoint ('' disables it). Unauthenticated. @default '' */
  METRICS_URL: '',

  // --- WebSocket and connections ------------------------------------------------------------

  /** Largest WebSocket frame, in bytes; larger frames close the socket with 1009. @default 1048576 */
  MAX_WEBSOCKET_MESSAGE_BYTES: 1024 * 1024,
  /** Server ping interval, in ms; a socket that misses two pings is terminated. Below nginx's 60 s read timeout. @default 25000 */
  WEBSOCKET_PING_INTERVAL_MS: 25_000,
  /** WebSocket connections per process; past it new sockets are closed with 1013. @default 100000 */
  MAX_CONNECTIONS: 100_000,
  /** Bytes a socket may have buffered before it stops getting patches (slow reader). @default 4194304 */
  MAX_WEBSOCKET_BUFFERED_BYTES: 4 * 1024 * 1024,
  /** How long a socket may stay over the buffer limit before it is closed with 1013, in ms. @default 30000 */
  SLOW_CLIENT_TIMEOUT_MS: 30_000,

  // --- Views --------------------------------------------------------------------------------

  /** A view class that renders the frontend shell instead of FRONTEND_TEMPLATE. @default null */
  FRONTEND_VIEW: null as AnyFunction | null,
  /** The initial value of `app.state`. @default {} */
  INITIAL_SERVER_STATE: {} as Record<string, unknown>,
  /** Longest lona-ts awaits an async `onStop`/`onCleanup`/notification hook, in ms. @default 10000 */
  VIEW_HOOK_TIMEOUT_MS: 10_000,
  /** A daemon view with no tab for this long is stopped, in ms. @default 3600000 */
  DAEMON_VIEW_IDLE_TIMEOUT_MS: 60 * 60 * 1000,
  /** Daemon views one user may have at once. @default 10 */
  MAX_DAEMON_VIEWS_PER_USER: 10,
  /** Synchronous user code longer than this gets a LONA_WARN_EVENT_LOOP_BLOCKED, in ms. @default 100 */
  EVENT_LOOP_BLOCK_WARN_MS: 100,
  /** Middleware objects, run before those added with `app.middleware()`. @default [] */
  MIDDLEWARES: [] as unknown[],

  // --- Templates --------------------------------------------------------------------------

  /** Directories searched for templates before the built-in ones. @default [] */
  TEMPLATE_DIRS: [] as string[],
  /** The frontend shell template. @default 'lona/frontend.html' */
  FRONTEND_TEMPLATE: 'lona/frontend.html',
  /** Template of the 403 view. @default 'lona/403.html' */
  ERROR_403_TEMPLATE: 'lona/403.html',
  /** Template of the 404 view. @default 'lona/404.html' */
  ERROR_404_TEMPLATE: 'lona/404.html',
  /** Template of the 500 view. @default 'lona/500.html' */
  ERROR_500_TEMPLATE: 'lona/500.html',
  /** Template of the 503 "server busy" view. @default 'lona/503.html' */
  ERROR_503_TEMPLATE: 'lona/503.html',
  /** Values added to every template's context. @default {} */
  TEMPLATE_EXTRA_CONTEXT: {} as Record<string, unknown>,
  /** Filters added to the template engine, by name. @default {} */
  TEMPLATE_EXTRA_FILTERS: {} as Record<string, AnyFunction>,

  // --- Static files -----------------------------------------------------------------------

  /** Directories served under STATIC_URL_PREFIX, searched in order. @default [] */
  STATIC_DIRS: [] as string[],
  /** URL prefix of static files. @default '/static/' */
  STATIC_URL_PREFIX: '/static/',
  /** Serve static files (false when a front proxy serves `collect-static` output). @default true */
  STATIC_FILES_SERVE: true,
  /** Names of declared static files that are off by default but wanted. @default [] */
  STATIC_FILES_ENABLED: [] as string[],
  /** Names of declared static files to switch off. @default [] */
  STATIC_FILES_DISABLED: [] as string[],

  // --- Client (Lona's names and units: the CLIENT_* timeouts are in seconds) ---------------

  /** Seconds before the client shows its "waiting for server" state on a view start. @default 2 */
  CLIENT_VIEW_START_TIMEOUT: 2,
  /** Seconds before the client shows "waiting for server" while an input event has no `done`. @default 2 */
  CLIENT_INPUT_EVENT_TIMEOUT: 2,
  /** Reconnect after a dropped connection. @default true */
  CLIENT_AUTO_RECONNECT: true,
  /** First reconnect delay, in ms; doubles with full jitter up to 30 s. @default 1000 */
  CLIENT_AUTO_RECONNECT_TIMEOUT: 1_000,

  // --- Sessions and channels ----------------------------------------------------------------

  /** Give every browser a session cookie and an anonymous user (false: each connection is its own user). @default true */
  SESSIONS: true,
  /** Name of the session cookie. @default 'sessionid' */
  SESSIONS_KEY_NAME: 'sessionid',
  /**
   * 'memory' (one process) or a redis:// (rediss://) URL shared by several processes; needs
   * `npm install ioredis`. Add `?namespace=name` when several apps share one Redis server.
   * While Redis is down, `send` rejects with LONA_ERR_CHANNEL_BROKER_DOWN (nothing is
   * buffered). @default 'memory'
   */
  CHANNEL_BROKER: 'memory',
};

export type SettingName = keyof typeof DEFAULT_SETTINGS;

/** The settings an app reads: every known setting, plus unchecked app-specific values. */
export type Settings = { -readonly [K in SettingName]: (typeof DEFAULT_SETTINGS)[K] } & {
  app: Record<string, unknown>;
};

/** What a layer may hold: any subset, with `app` for the application's own values. */
export type SettingsInput = Partial<Omit<Settings, 'app'>> & { app?: Record<string, unknown> };

/** Lona settings that lona-ts does not use, with what to do instead (SPEC §10). */
const DROPPED_SETTINGS: Record<string, string> = {
  MAX_CHANNEL_MESSAGE_BROKER_THREADS: 'Channel messages are delivered through the worker pool.',
  CHANNEL_WORKER_TIMEOUT: 'Channel deliveries never time out; see WORKER_QUEUE_MAX.',
  CHANNEL_MESSAGE_BROKER_CLASS: "Use CHANNEL_BROKER: 'memory' or a redis:// URL.",
  CHANNEL_TASK_WORKER_CLASS: 'Use MAX_CHANNEL_TASK_WORKER_THREADS.',
  CLIENT_VERSION: 'lona-ts has one client.',
  CLIENT_DEBUG: 'Use DEBUG.',
  CLIENT_PING_INTERVAL: 'The server pings: use WEBSOCKET_PING_INTERVAL_MS.',
  USE_FUTURE_NODE_CLASSES: 'lona-ts has one Select/Option with typed values.',
  STOP_DAEMON_WHEN_VIEW_FINISHES: 'A finished daemon view stays reconnectable (Lona 2 behaviour).',
  ROUTING_TABLE: 'Add routes with app.route().',
  ROUTING_NAME_CACHE_MAX_SIZE: 'Routes are compiled once; no cache to size.',
  ROUTING_RESOLVE_CACHE_MAX_SIZE: 'Routes are compiled once; no cache to size.',
  ROUTING_REVERSE_CACHE_MAX_SIZE: 'Routes are compiled once; no cache to size.',
  AIOHTTP_CLIENT_MAX_SIZE: 'Use MAX_HTTP_BODY_BYTES.',
  SESSIONS_KEY_GENERATOR: 'Session keys are 32 url-safe characters from a CSPRNG.',
  SESSIONS_KEY_RANDOM_LENGTH: 'Session keys are 32 url-safe characters from a CSPRNG.',
  SESSIONS_REUSE: 'A session key identifies a browser; set users with a middleware.',
  BUCKETS_URL_PREFIX: 'Buckets are not carried over (uploads come later).',
  TEST_VIEW_START_TIMEOUT: 'Not carried over.',
  TEST_INPUT_EVENT_TIMEOUT: 'Not carried over.',
  ERROR_403_VIEW: 'Use app.errorView(403, View).',
  ERROR_404_VIEW: 'Use app.errorView(404, View).',
  ERROR_500_VIEW: 'Use app.errorView(500, View).',
  STATIC_FILES_STYLE_TAGS_TEMPLATE:
    "Tags come from STATIC_FILES; to change the shell, override 'lona/frontend.html' in TEMPLATE_DIRS.",
  STATIC_FILES_SCRIPT_TAGS_TEMPLATE:
    "Tags come from STATIC_FILES; to change the shell, override 'lona/frontend.html' in TEMPLATE_DIRS.",
  COMMANDS: 'The rlpython shell is not carried over.',
};

const KNOWN_NAMES = Object.keys(DEFAULT_SETTINGS) as SettingName[];

/** Settings whose value may be a function (a class) or null, rather than the default's type. */
const FUNCTION_OR_NULL = new Set<SettingName>(['FRONTEND_VIEW']);
/** Settings whose value is an object of functions. */
const FUNCTION_RECORD = new Set<SettingName>(['TEMPLATE_EXTRA_FILTERS']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${JSON.stringify(value)?.slice(0, 60)})`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 60))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Checks one value against the type of its default; returns what was expected, or null. */
function expectedType(name: SettingName, value: unknown): string | null {
  const fallback = DEFAULT_SETTINGS[name] as unknown;
  if (FUNCTION_OR_NULL.has(name)) {
    return value === null || typeof value === 'function' ? null : 'a class or null';
  }
  if (FUNCTION_RECORD.has(name)) {
    return isPlainObject(value) && Object.values(value).every((f) => typeof f === 'function')
      ? null
      : 'an object of functions';
  }
  if (typeof fallback === 'number') {
    return typeof value === 'number' && Number.isFinite(value) && value >= 0
      ? null
      : 'a finite number ≥ 0';
  }
  if (typeof fallback === 'boolean') return typeof value === 'boolean' ? null : 'true or false';
  if (typeof fallback === 'string') return typeof value === 'string' ? null : 'a string';
  if (Array.isArray(fallback)) {
    if (!Array.isArray(value)) return 'an array';
    if (name === 'MIDDLEWARES') return null;
    return value.every((v) => typeof v === 'string') ? null : 'an array of strings';
  }
  if (isPlainObject(fallback)) return isPlainObject(value) ? null : 'a plain object';
  return null;
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known setting closest to a misspelled name, if one is close enough to be a typo. */
export function suggestSettingName(name: string): string | undefined {
  const upper = name.toUpperCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of KNOWN_NAMES) {
    const d = editDistance(upper, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Checks one layer: unknown names, dropped Lona names and wrong types are LonaErrors. */
export function validateSettingsLayer(layer: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(layer)) {
    if (name === 'app') {
      if (!isPlainObject(value)) {
        throw new LonaError('LONA_ERR_SETTINGS_TYPE', {
          name,
          expected: 'a plain object',
          got: describe(value),
        });
      }
      continue;
    }
    if (name in DROPPED_SETTINGS) {
      throw new LonaError('LONA_ERR_SETTINGS_DROPPED', {
        name,
        replacement: DROPPED_SETTINGS[name],
      });
    }
    if (!Object.hasOwn(DEFAULT_SETTINGS, name)) {
      throw new LonaError('LONA_ERR_SETTINGS_UNKNOWN', {
        name,
        suggestion: suggestSettingName(name),
      });
    }
    const expected = expectedType(name as SettingName, value);
    if (expected) {
      throw new LonaError('LONA_ERR_SETTINGS_TYPE', { name, expected, got: describe(value) });
    }
  }
}

/** Merges validated layers over the defaults, later layers winning; `app` merges shallowly. */
export function resolveSettings(...layers: Array<Record<string, unknown> | undefined>): Settings {
  const settings = structuredCloneDefaults();
  for (const layer of layers) {
    if (!layer) continue;
    validateSettingsLayer(layer);
    for (const [name, value] of Object.entries(layer)) {
      if (name === 'app') Object.assign(settings.app, value);
      else (settings as Record<string, unknown>)[name] = value;
    }
  }
  return settings;
}

/** Fresh copies of the defaults, so no app can change another app's arrays and objects. */
function structuredCloneDefaults(): Settings {
  const copy: Record<string, unknown> = { app: {} };
  for (const name of KNOWN_NAMES) {
    const value = DEFAULT_SETTINGS[name] as unknown;
    copy[name] = Array.isArray(value) ? [...value] : isPlainObject(value) ? { ...value } : value;
  }
  return copy as Settings;
}

/**
 * Parses `-o NAME=VALUE` overrides: the value as JSON, else as the plain string (so
 * `-o STATIC_URL_PREFIX=/assets/` needs no quotes), then checked like any layer.
 */
export function parseOverrides(texts: string[]): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new LonaError('LONA_ERR_SETTINGS_OVERRIDE', { text });
    const name = text.slice(0, eq).trim();
    const raw = text.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    layer[name] = value;
  }
  validateSettingsLayer(layer);
  return layer;
}

/** Loads a settings file: a module whose default export (or whose named exports) is a layer, or JSON. */
export async function loadSettingsFile(path: string): Promise<Record<string, unknown>> {
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  const absolute = resolve(path);
  let layer: unknown;
  try {
    if (absolute.endsWith('.json')) {
      const { readFile } = await import('node:fs/promises');
      layer = JSON.parse(await readFile(absolute, 'utf8'));
    } else {
      const module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
      layer = module.default ?? { ...module };
    }
  } catch (error) {
    throw new LonaError(
      'LONA_ERR_SETTINGS_FILE',
      { path, reason: error instanceof Error ? error.message : String(error) },
      { cause: error },
    );
  }
  if (!isPlainObject(layer)) {
    throw new LonaError('LONA_ERR_SETTINGS_FILE', {
      path,
      reason: 'it must export an object of settings (export default { ... })',
    });
  }
  validateSettingsLayer(layer);
  return layer;
}
