/**
 * The HTTP side of lona-ts on `node:http`: URL checks, static files, pass-through routes,
 * the frontend shell of interactive routes, non-interactive views, error views and
 * graceful stop. Turning a view's result into bytes is server/http-response.ts's job; the
 * WebSocket side is server/websocket.ts's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import type { App } from '../app.js';
import { ForbiddenError, LonaError, NotFoundError, ServerStop } from '../errors.js';
import { CLOSE_CODE } from '../protocol/messages.js';
import type { Pools } from '../resources/pools.js';
import type { Route } from '../routing/route.js';
import { Request } from '../view/request.js';
import { errorStatus, type ErrorStatus } from '../view/error-views.js';
import type { ViewClass } from '../view/view.js';
import { TemplateEngine } from './templates.js';
import { BUILTIN_STATIC_DIR, StaticFiles, collectStaticFiles } from './static-files.js';
import { hasBody, parseForm, readBody } from './body.js';
import { HttpResponder, addSecurityHeaders } from './http-response.js';
import { renderFrontend } from './frontend.js';
import { MiddlewareChain } from './middlewares.js';
import { AnonymousUser, newSessionKey, readSessionKey, sessionCookie } from './sessions.js';
import { ViewHost } from './view-host.js';
import { WebSocketEndpoint } from './websocket.js';
import { MetricsEndpoint } from './metrics-endpoint.js';
import { EventLoopMonitor } from '../resources/event-loop-monitor.js';

/** Where the bundled browser client is served from, and the files behind it. */
export const CLIENT_URL_PREFIX = '/_lona/';
const CLIENT_DIR = fileURLToPath(new URL('../../dist/client/', import.meta.url));

export class HttpServer {
  readonly app: App;
  readonly templates: TemplateEngine;
  readonly staticFiles: StaticFiles;
  readonly responder: HttpResponder;
  readonly pools: Pools;
  readonly middlewares: MiddlewareChain;
  readonly views: ViewHost;
  readonly websocket: WebSocketEndpoint;
  readonly eventLoop: EventLoopMonitor;
  readonly #metrics: MetricsEndpoint | null;
  readonly #clientFiles: StaticFiles;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];
  #closing = false;
  #origin = '';

  constructor(app: App) {
    this.app = app;
    const settings = app.settings;
    this.templates = new TemplateEngine({
      dirs: settings.TEMPLATE_DIRS.map((dir) => resolvePath(app.root, dir)),
      extraContext: settings.TEMPLATE_EXTRA_CONTEXT,
      extraFilters: settings.TEMPLATE_EXTRA_FILTERS as Record<
        string,
        (...args: unknown[]) => unknown
      >,
      globals: { settings, state: app.state, reverse: app.reverse.bind(app) },
      staticUrlPrefix: settings.STATIC_URL_PREFIX,
    });
    const declarations = collectStaticFiles(app.staticSources, {
      enabled: settings.STATIC_FILES_ENABLED,
      disabled: settings.STATIC_FILES_DISABLED,
    });
    this.staticFiles = new StaticFiles({
      dirs: [...settings.STATIC_DIRS.map((dir) => resolvePath(app.root, dir)), BUILTIN_STATIC_DIR],
      urlPrefix: settings.STATIC_URL_PREFIX,
      declarations,
      serve: settings.STATIC_FILES_SERVE,
    });
    this.#clientFiles = new StaticFiles({
      dirs: [CLIENT_DIR],
      urlPrefix: CLIENT_URL_PREFIX,
      declarations: [],
      serve: true,
    });
    this.responder = new HttpResponder(this);
    this.pools = app.pools;
    this.middlewares = new MiddlewareChain(app.middlewares, app.logger);
    this.views = new ViewHost({
      app,
      pools: this.pools,
      middlewares: this.middlewares,
      renderTemplate: (response) => this.responder.renderTemplate(response),
    });
    this.websocket = new WebSocketEndpoint({
      app,
      host: this.views,
      middlewares: this.middlewares,
      originOf: (req) => this.#originOf(req),
    });
    this.#server = createServer(
      {
        maxHeaderSize: settings.MAX_HTTP_HEADER_BYTES,
        headersTimeout: settings.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeout: settings.HTTP_REQUEST_TIMEOUT_MS,
        keepAliveTimeout: settings.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      },
      (req, res) => void this.#handle(req, res),
    );
    if (!existsSync(`${CLIENT_DIR}lona.js`)) {
      app.logger.warning('LONA_WARN_CLIENT_NOT_BUILT', { path: `${CLIENT_DIR}lona.js` });
    }
    this.eventLoop = new EventLoopMonitor(settings.EVENT_LOOP_BLOCK_WARN_MS, app.logger);
    this.#metrics = settings.METRICS_URL ? new MetricsEndpoint(app) : null;
    this.#server.on('upgrade', (req, socket, head) =>
      this.websocket.handleUpgrade(req, socket, head),
    );
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('clientError', (error, socket) => {
      // Malformed requests never reach #handle; answer them here, once, and drop the socket.
      if (
        socket.writable &&
        !(error as { code?: string }).code?.startsWith('ERR_HTTP_REQUEST_TIMEOUT')
      ) {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      } else {
        socket.destroy();
      }
    });
  }

  /** The underlying `node:http` server (the WebSocket endpoint attaches to its upgrades). */
  get nodeServer(): Server {
    return this.#server;
  }

  /** `http://host:port` of the running server. */
  get origin(): string {
    return this.#origin;
  }

  async listen(host: string, port: number): Promise<string> {
    await this.middlewares.notify('onStartup', { app: this.app, server: this });
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        const address = this.#server.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.#origin = `http://${host === 'localhost' ? 'localhost' : shownHost}:${address.port}`;
        resolve(this.#origin);
      });
    });
  }

  /** Stops accepting, lets running requests finish for up to `timeoutMs`, then closes everything. */
  async close(timeoutMs: number): Promise<void> {
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // Views stop with ServerStop; sockets close with 1012 so clients reconnect (maybe elsewhere).
    this.views.stopAll(new ServerStop());
    this.websocket.close(CLOSE_CODE.SERVER_RESTART);
    this.#server.closeIdleConnections();
    if (this.#inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.#idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
    this.eventLoop.close();
    await this.middlewares.notify('onShutdown', { app: this.app, server: this });
  }

  get closing(): boolean {
    return this.#closing;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.#inFlight++;
    try {
      await this.#dispatch(req, res);
    } catch (error) {
      // #dispatch answers its own errors; this is the last line of defence.
      this.app.logger.error('Unexpected error while answering an HTTP request', error);
      if (!res.headersSent) this.responder.plain(req, res, 500, 'Internal Server Error');
      else res.destroy();
    } finally {
      if (--this.#inFlight === 0 && this.#idleWaiters.length > 0) {
        for (const wake of this.#idleWaiters.splice(0)) wake();
      }
    }
  }

  /**
   * Routes a request to its answer. The security headers go out with every answer: the
   * responder adds them to its own, and they are set on `res` before it is handed to
   * other code (static files, middlewares, pass-through routes).
   */
  async #dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.#closing) res.setHeader('Connection', 'close');

    const url = this.requestUrl(req);
    if (!url) return this.responder.plain(req, res, 400, 'Bad Request: malformed URL');
    const rawPath = url.pathname;
    const settings = this.app.settings;
    if (settings.HEALTH_URL && rawPath === settings.HEALTH_URL) {
      // Load balancers take a process out of rotation as soon as it starts stopping.
      return this.responder.plain(
        req,
        res,
        this.#closing ? 503 : 200,
        this.#closing ? 'stopping' : 'ok',
      );
    }
    if (this.#metrics && rawPath === settings.METRICS_URL) {
      const { contentType, body } = await this.#metrics.render();
      return this.responder.plain(req, res, 200, body, contentType);
    }

    try {
      if (rawPath.startsWith(CLIENT_URL_PREFIX) && !rawPath.startsWith(`${CLIENT_URL_PREFIX}ws`)) {
        addSecurityHeaders(res);
        const answered = await this.#clientFiles.handle(
          req,
          res,
          rawPath.slice(CLIENT_URL_PREFIX.length),
        );
        if (answered) return;
        return this.#answerError(req, res, url, null, new NotFoundError());
      }
      const staticPath = this.staticFiles.matchPrefix(rawPath);
      if (staticPath !== null) {
        addSecurityHeaders(res);
        const answered = await this.pools.static.run(() =>
          this.staticFiles.handle(req, res, staticPath),
        );
        if (answered) return;
        return this.#answerError(req, res, url, null, new NotFoundError());
      }
    } catch (error) {
      if (error instanceof LonaError && error.code === 'LONA_ERR_HTTP_BAD_URL') {
        return this.responder.plain(req, res, 400, 'Bad Request: malformed percent-encoding');
      }
      if (error instanceof LonaError && error.code.startsWith('LONA_ERR_POOL_')) {
        return this.responder.busy(req, res, error);
      }
      throw error;
    }

    let match: ReturnType<App['router']['resolve']>;
    try {
      match = this.app.router.resolve(rawPath);
    } catch (error) {
      if (error instanceof LonaError && error.code === 'LONA_ERR_HTTP_BAD_URL') {
        return this.responder.plain(req, res, 400, 'Bad Request: malformed percent-encoding');
      }
      throw error;
    }
    if (!match) return this.#answerError(req, res, url, null, new NotFoundError());
    const { route, matchInfo } = match;

    if (this.middlewares.has('handleHttpRequest')) {
      addSecurityHeaders(res);
      const answered = await this.#runHttpMiddlewares(req, res, url, route);
      if (answered) return;
    }
    if (route.httpPassThrough) {
      addSecurityHeaders(res);
      await (route.view as (req: IncomingMessage, res: ServerResponse) => unknown)(req, res);
      return;
    }

    const method = (req.method ?? 'GET').toUpperCase();
    if (route.interactive) {
      if (method !== 'GET' && method !== 'HEAD') {
        return this.responder.methodNotAllowed(req, res, ['GET', 'HEAD']);
      }
      const request = this.#request(req, url, route, matchInfo, false);
      return this.#runView(req, res, request, this.app.frontendViewFor(route), true);
    }

    const allowed = (route.view as ViewClass & { methods?: readonly string[] }).methods ?? [];
    if (!allowed.includes(method)) return this.responder.methodNotAllowed(req, res, allowed);
    if (method !== 'GET' && method !== 'HEAD' && this.#isCrossSite(req, url)) {
      return this.#answerError(
        req,
        res,
        url,
        route,
        new ForbiddenError('Cross-site request refused'),
      );
    }
    let body: Buffer | undefined;
    try {
      // A request without a body (GET, HEAD) is complete already: nothing to wait for.
      body = hasBody(req) ? await readBody(req, settings.MAX_HTTP_BODY_BYTES) : undefined;
    } catch (error) {
      if (error instanceof LonaError && error.code === 'LONA_ERR_HTTP_BODY_TOO_LARGE') {
        res.setHeader('Connection', 'close');
        return this.responder.plain(req, res, 413, 'Payload Too Large');
      }
      throw error;
    }
    const request = this.#request(req, url, route, matchInfo, false, body);
    return this.#runView(req, res, request, route.view as ViewClass, false);
  }

  /** The request's URL on the server's own origin, or null when it is malformed. */
  requestUrl(req: IncomingMessage): URL | null {
    const raw = req.url ?? '/';
    if (!raw.startsWith('/') || raw.startsWith('//')) return null;
    let url: URL;
    try {
      url = new URL(raw, this.#originOf(req) ?? (this.#origin || 'http://localhost'));
    } catch {
      return null;
    }
    return hasMalformedEscape(url.pathname) ? null : url;
  }

  #request(
    req: IncomingMessage,
    url: URL,
    route: Route | null,
    matchInfo: Record<string, string>,
    interactive: boolean,
    body?: Buffer,
  ): Request {
    const sessionKey = this.#sessionKey(req);
    return new Request({
      url,
      method: req.method ?? 'GET',
      headers: req.headers,
      route,
      matchInfo,
      interactive,
      body,
      post: body ? parseForm(body, req.headers['content-type']) : undefined,
      sessionKey,
      user: sessionKey ? new AnonymousUser(sessionKey) : null,
    });
  }

  /**
   * The request's session key; a browser without one gets a new key, sent with the
   * response's Set-Cookie (SPEC §3.9). Remembered per request object.
   */
  #sessionKey(req: IncomingMessage): string | null {
    const settings = this.app.settings;
    if (!settings.SESSIONS) return null;
    // The cookie gives the same key every time; only a new key needs remembering.
    const sent = readSessionKey(req.headers.cookie, settings.SESSIONS_KEY_NAME);
    if (sent) return sent;
    let key = newSessionKeys.get(req);
    if (!key) {
      key = newSessionKey();
      const secure = this.#originOf(req)?.startsWith('https:') ?? false;
      this.responder.setCookieFor(req, sessionCookie(settings.SESSIONS_KEY_NAME, key, secure));
      newSessionKeys.set(req, key);
    }
    return key;
  }

  /** `proto://host` of a request as the browser sees it (forwarded headers only with TRUST_PROXY). */
  #originOf(req: IncomingMessage): string | null {
    const trustProxy = this.app.settings.TRUST_PROXY;
    const proto = (trustProxy && firstHeader(req.headers['x-forwarded-proto'])) || 'http';
    const host = (trustProxy && firstHeader(req.headers['x-forwarded-host'])) || req.headers.host;
    if (!host) return null;
    return cachedOrigin(proto, host);
  }

  async #runHttpMiddlewares(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: Route,
  ): Promise<boolean> {
    const request = this.#request(req, url, route, {}, false);
    try {
      const answer = await this.middlewares.run('handleHttpRequest', {
        req,
        res,
        request,
        app: this.app,
      });
      if (res.writableEnded || res.headersSent) return true;
      if (answer !== undefined) {
        await this.responder.result(req, res, answer);
        return true;
      }
    } catch (error) {
      await this.#answerError(req, res, url, route, error);
      return true;
    }
    return false;
  }

  /** SPEC §8: a POST from another site is refused unless its origin is allowed. */
  #isCrossSite(req: IncomingMessage, url: URL): boolean {
    const origin = firstHeader(req.headers.origin);
    if (origin && origin !== 'null') {
      return origin !== url.origin && !this.app.settings.ALLOWED_ORIGINS.includes(origin);
    }
    return firstHeader(req.headers['sec-fetch-site']) === 'cross-site';
  }

  /** Runs a view (or the frontend shell) and answers with its result or the matching error view. */
  async #runView(
    req: IncomingMessage,
    res: ServerResponse,
    request: Request,
    viewClass: ViewClass | null,
    isShell: boolean,
  ): Promise<void> {
    // A free slot is taken at once; only when the pool is full does the request queue.
    let release = this.pools.http.tryAcquire();
    if (!release) {
      try {
        release = await this.pools.http.acquire();
      } catch (error) {
        return this.responder.busy(req, res, error);
      }
    }
    try {
      if (isShell && !viewClass) {
        const html = renderFrontend(this, request);
        return this.responder.html(req, res, 200, html, { shell: true });
      }
      if (!isShell && this.middlewares.has('handleRequest')) {
        const answer = await this.middlewares.run('handleRequest', {
          request,
          view: viewClass,
          app: this.app,
        });
        if (answer !== undefined) return await this.responder.result(req, res, answer);
      }
      const view = new viewClass!();
      view.request = request;
      view.app = this.app;
      const result = await view.handleRequest(request);
      await this.responder.result(req, res, result, { shell: isShell });
    } catch (error) {
      await this.#answerError(req, res, request.url, request.route, error);
    } finally {
      release();
    }
  }

  /** Answers with the error view for `error` (403, 404 or 500), falling back to plain text. */
  async #answerError(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: Route | null,
    error: unknown,
  ): Promise<void> {
    const status: ErrorStatus = errorStatus(error);
    if (status === 500) {
      this.app.logger.error(`Error while answering ${req.method} ${url.pathname}`, error);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    try {
      const view = new (this.app.errorViewFor(status))();
      view.request = this.#request(req, url, route, {}, false);
      view.app = this.app;
      view.error = error;
      const result = await view.handleRequest(view.request);
      await this.responder.result(req, res, result, { status });
    } catch (viewError) {
      this.app.logger.error(`The ${status} error view failed`, viewError);
      if (!res.headersSent) this.responder.plain(req, res, status, `${status}`);
    }
  }
}

/** Session keys chosen for requests that came without one (so one request gets one key). */
const newSessionKeys = new WeakMap<IncomingMessage, string>();

/** Whether decoding the path would fail on a bad `%` escape (a path without `%` cannot). */
function hasMalformedEscape(pathname: string): boolean {
  if (!pathname.includes('%')) return false;
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

/**
 * The origin of `proto://host`, or null when it is no URL. Parsing it is a good part of a
 * small request's cost and a server sees few distinct hosts, so the origins of http and
 * https hosts are remembered, keyed by the Host value alone (no key string to build); a
 * flood of made-up Host headers only empties the cache now and then. Other forwarded
 * protos are rare and parsed every time.
 */
function cachedOrigin(proto: string, host: string): string | null {
  const cache = proto === 'http' ? httpOrigins : proto === 'https' ? httpsOrigins : null;
  if (!cache) return parseOrigin(proto, host);
  let origin = cache.get(host);
  if (origin === undefined) {
    origin = parseOrigin(proto, host);
    if (cache.size >= MAX_CACHED_ORIGINS) cache.clear();
    cache.set(host, origin);
  }
  return origin;
}

function parseOrigin(proto: string, host: string): string | null {
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return null;
  }
}

const MAX_CACHED_ORIGINS = 256;
const httpOrigins = new Map<string, string | null>();
const httpsOrigins = new Map<string, string | null>();

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim() || undefined;
}
