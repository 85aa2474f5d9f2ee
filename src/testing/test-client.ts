/**
 * `createTestClient(app)` and `TestClient`: one test user of an app (SPEC §3.12, STYLE
 * rule 9). It starts the app in-process when it is not running (app-lease.ts), gets the
 * session cookie the way a browser does (an HTTP GET of the first page it opens), and
 * opens tabs: `open(path)` gives a TestView that speaks the real protocol over a real
 * WebSocket and renders with the browser client's own code. Two tabs of one client are
 * one user (one cookie); another user is another client (`newUser()`, or
 * `createTestClient(app)` again).
 */
import type { App } from '../app.js';
import { WidgetRegistry, type WidgetClass } from '../client/widgets.js';
import { leaseApp, type AppLease } from './app-lease.js';
import { CookieJar } from './cookie-jar.js';
import { TabDriver } from './tab-driver.js';
import { TestClientError } from './test-client-error.js';
import { TestView, type ActionOptions } from './test-view.js';

/**
 * Default for every wait, in ms: below Vitest's default test timeout (5 s), so that a
 * hanging wait fails with the test client's message (what it waited for, and the view's
 * HTML) rather than a bare test timeout.
 */
export const DEFAULT_TIMEOUT_MS = 4_000;

export interface TestClientOptions {
  /** Longest wait of `open`, every verb, `waitFor` and `reconnect`, in ms. @default 4000 */
  timeoutMs?: number;
  /** Host the app is started on when the test client starts it. @default 'localhost' */
  host?: string;
  /** Extra headers for the client's HTTP requests and WebSocket upgrades. @default {} */
  headers?: Record<string, string>;
  /**
   * Client widget classes by name, as pages register them with `Lona.registerWidget`.
   * Without one, a node that names a widget is rendered and its widget reported in
   * `view.errors`. @default {}
   */
  widgets?: Record<string, WidgetClass>;
}

/** A test user of `app`; the app is started when the first tab opens (or on `start()`). */
export function createTestClient(app: App, options: TestClientOptions = {}): TestClient {
  return new TestClient(app, options);
}

export class TestClient {
  readonly app: App;
  readonly #options: TestClientOptions;
  readonly #timeoutMs: number;
  readonly #widgets = new WidgetRegistry();
  readonly #jar = new CookieJar();
  readonly #tabs = new Set<TestView>();
  /** Users made with `newUser()`: closed with this one. */
  readonly #users = new Set<TestClient>();
  /** The client whose app lease a `newUser()` client shares. */
  readonly #parent: TestClient | null;
  #lease: Promise<AppLease> | null = null;
  /** The GET that fetches the session cookie, shared by tabs opened at the same time. */
  #session: Promise<void> | null = null;
  #closed = false;

  /** @internal Use `createTestClient(app)` or `client.newUser()`. */
  constructor(app: App, options: TestClientOptions = {}, parent: TestClient | null = null) {
    this.app = app;
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#parent = parent;
    for (const [name, widgetClass] of Object.entries(options.widgets ?? {})) {
      this.#widgets.register(name, widgetClass);
    }
  }

  /** The tabs of this user that are open. */
  get tabs(): readonly TestView[] {
    return [...this.#tabs];
  }

  /** This user's cookies, name → value (the session cookie among them once a tab opened). */
  get cookies(): Record<string, string> {
    return this.#jar.toObject();
  }

  /** Sets a cookie for later requests and connections (null deletes it), e.g. a login. */
  setCookie(name: string, value: string | null): void {
    if (value === null) this.#jar.delete(name);
    else this.#jar.set(name, value);
  }

  /** Starts the app unless it is running; resolves with its URL (`http://host:port`). */
  async start(): Promise<string> {
    this.#assertOpen('start()');
    if (this.#parent) return this.#parent.start();
    if (!this.#lease) {
      const lease = leaseApp(this.app, this.#options.host ?? 'localhost');
      this.#lease = lease;
      // A failed start may be retried by the next call.
      lease.catch(() => {
        if (this.#lease === lease) this.#lease = null;
      });
    }
    return (await this.#lease).url;
  }

  /**
   * Opens a tab at `path` and resolves when its view showed its first tree (after any
   * in-app redirects). Rejects with a clear error when the server refuses the connection
   * or nothing is shown within the timeout.
   */
  async open(path = '/', options: ActionOptions = {}): Promise<TestView> {
    this.#assertOpen(`open('${path}')`);
    const origin = await this.start();
    const url = new URL(path, origin);
    if (url.origin !== new URL(origin).origin) {
      throw new TestClientError(
        'LONA_TEST_BAD_TARGET',
        `open('${path}'): ${url.href} is not in the app at ${origin}`,
      );
    }
    await this.#ensureSession(url.href);
    const driver = new TabDriver({
      origin,
      url: url.href,
      cookie: () => this.#jar.header(),
      headers: this.#options.headers ?? {},
      widgets: this.#widgets,
    });
    const view: TestView = new TestView({
      client: this,
      driver,
      timeoutMs: this.#timeoutMs,
      onClose: () => this.#tabs.delete(view),
    });
    this.#tabs.add(view);
    try {
      await view.start(options.timeoutMs ?? this.#timeoutMs);
    } catch (error) {
      await view.close();
      throw error;
    }
    return view;
  }

  /** Another user of the same app: its own cookies and tabs, closed with this client. */
  newUser(): TestClient {
    this.#assertOpen('newUser()');
    const owner = this.#parent ?? this;
    const user = new TestClient(this.app, this.#options, owner);
    owner.#users.add(user);
    return user;
  }

  /**
   * An HTTP request as this user (its cookies go along, the cookies it sets are kept),
   * for non-interactive routes. `path` is relative to the app's URL.
   */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const origin = await this.start();
    const headers = new Headers(this.#options.headers);
    new Headers(init.headers).forEach((value, name) => headers.set(name, value));
    const cookie = this.#jar.header();
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    const response = await fetch(new URL(path, origin), { ...init, headers });
    this.#jar.store(response.headers.getSetCookie());
    return response;
  }

  /**
   * Closes every tab of this user and of the users made with `newUser()`, then stops the
   * app if the test clients started it and no other test client still uses it.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#users].map((user) => user.close()));
    await Promise.all([...this.#tabs].map((tab) => tab.close()));
    if (this.#parent) this.#parent.#users.delete(this);
    const lease = this.#lease;
    this.#lease = null;
    const held = await lease?.catch(() => null);
    await held?.release();
  }

  /** A browser gets its session cookie from the first page it loads: so does a test user. */
  #ensureSession(url: string): Promise<void> {
    const { SESSIONS, SESSIONS_KEY_NAME } = this.app.settings;
    if (!SESSIONS || this.#jar.get(SESSIONS_KEY_NAME) !== undefined) return Promise.resolve();
    this.#session ??= this.#loadSession(url, SESSIONS_KEY_NAME).finally(() => {
      this.#session = null;
    });
    return this.#session;
  }

  async #loadSession(url: string, cookieName: string): Promise<void> {
    const pages = [url, new URL('/', url).href];
    const statuses: string[] = [];
    // The page itself first; one that is not the frontend shell (a JSON route, say) may set
    // no cookie, and then the app's root page does, as the user's next page load would.
    for (const page of pages) {
      let response: Response;
      try {
        response = await this.fetch(page, { redirect: 'manual' });
        await response.arrayBuffer();
      } catch (error) {
        throw new TestClientError(
          'LONA_TEST_CONNECTION_REFUSED',
          `GET ${page} failed: ${(error as Error).message}`,
        );
      }
      statuses.push(`GET ${page}: ${response.status}`);
      if (this.#jar.get(cookieName) !== undefined) return;
    }
    throw new TestClientError(
      'LONA_TEST_CONNECTION_REFUSED',
      `no '${cookieName}' session cookie was set (${statuses.join(', ')}); without one the server refuses the WebSocket (4001)`,
    );
  }

  #assertOpen(what: string): void {
    if (this.#closed) {
      throw new TestClientError('LONA_TEST_DISCONNECTED', `${what}: this test client is closed`);
    }
  }
}
