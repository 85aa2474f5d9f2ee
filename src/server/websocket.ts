/**
 * The WebSocket endpoint (SPEC §2.2, §4.8, §7, §8) on the `ws` package: one fixed path,
 * the Origin check (403 before the upgrade), then checks that need an open socket to be
 * read by a browser (protocol version 4000, session 4001, connection limit 1013), the
 * `handleConnection` middlewares, and the heartbeat that ends half-open sockets.
 * Frames are server/connection.ts's job.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { App } from '../app.js';
import { CLOSE_CODE, PROTOCOL_VERSION, WEBSOCKET_PATH } from '../protocol/messages.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { Connection, type ConnectionInit } from './connection.js';
import type { MiddlewareChain } from './middlewares.js';
import { AnonymousUser, readSessionKey } from './sessions.js';
import type { ViewHost } from './view-host.js';

export interface WebSocketEndpointInit {
  app: App;
  host: ViewHost;
  middlewares: MiddlewareChain;
  /** The server's own origin for a request (honours TRUST_PROXY). */
  originOf(req: IncomingMessage): string | null;
}

export class WebSocketEndpoint {
  readonly #app: App;
  readonly #host: ViewHost;
  readonly #middlewares: MiddlewareChain;
  readonly #originOf: WebSocketEndpointInit['originOf'];
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<Connection>();
  readonly #heartbeat: NodeJS.Timeout;
  /** The same for every connection, so one object serves them all. */
  readonly #limits: ConnectionInit['limits'];

  constructor(init: WebSocketEndpointInit) {
    this.#app = init.app;
    this.#host = init.host;
    this.#middlewares = init.middlewares;
    this.#originOf = init.originOf;
    const settings = init.app.settings;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: settings.MAX_WEBSOCKET_MESSAGE_BYTES,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.#heartbeat = setInterval(() => this.#ping(), settings.WEBSOCKET_PING_INTERVAL_MS);
    this.#heartbeat.unref();
    this.#limits = {
      maxBufferedBytes: settings.MAX_WEBSOCKET_BUFFERED_BYTES,
      slowClientTimeoutMs: settings.SLOW_CLIENT_TIMEOUT_MS,
    };
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  get connections(): ReadonlySet<Connection> {
    return this.#connections;
  }

  /** Handles an HTTP upgrade; anything but our path is refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A named function, not a closure: this listener stays for the socket's whole life, and
    // a closure here would share this call's scope and keep `req` (headers, parser state)
    // alive as long as the socket.
    socket.on('error', destroySocket);
    const path = (req.url ?? '').split('?')[0];
    if (path !== WEBSOCKET_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    const origin = this.#originOf(req);
    if (!origin || !this.#originAllowed(req, origin))
      return refuseUpgrade(socket, 403, 'Forbidden');
    this.#wss.handleUpgrade(req, socket, head, (ws) => void this.#accept(ws, req, origin));
  }

  #originAllowed(req: IncomingMessage, origin: string): boolean {
    const sent = req.headers.origin;
    if (!sent) return true; // not a browser: the session check still applies
    return sent === origin || this.#app.settings.ALLOWED_ORIGINS.includes(sent);
  }

  async #accept(ws: WebSocket, req: IncomingMessage, origin: string): Promise<void> {
    const settings = this.#app.settings;
    const version = new URL(req.url ?? '/', 'http://x').searchParams.get('v');
    if (version !== String(PROTOCOL_VERSION)) {
      ws.close(CLOSE_CODE.VERSION_MISMATCH, `protocol ${PROTOCOL_VERSION}`);
      return;
    }
    if (this.#connections.size >= settings.MAX_CONNECTIONS) {
      ws.close(CLOSE_CODE.TRY_LATER, 'too many connections');
      return;
    }
    let sessionKey: string | null = null;
    if (settings.SESSIONS) {
      sessionKey = readSessionKey(req.headers.cookie, settings.SESSIONS_KEY_NAME);
      if (!sessionKey) {
        ws.close(CLOSE_CODE.NO_SESSION, 'no session');
        return;
      }
    }
    const connection = new Connection({
      ws,
      headers: req.headers,
      origin,
      sessionKey,
      user: sessionKey ? new AnonymousUser(sessionKey) : null,
      host: this.#host,
      middlewares: this.#middlewares,
      logger: this.#app.logger,
      limits: this.#limits,
    });
    if (!sessionKey) connection.user = new AnonymousUser(connection.id);
    this.#connections.add(connection);
    ws.on('close', () => this.#connections.delete(connection));
    try {
      // Without handleConnection middlewares the connection opens at once (no await).
      const answer = this.#middlewares.has('handleConnection')
        ? await this.#middlewares.run('handleConnection', {
            connection,
            request: req,
            app: this.#app,
          })
        : undefined;
      if (answer !== undefined) connection.close(CLOSE_CODE.POLICY, 'refused');
      else connection.open();
    } catch (error) {
      if (!(error instanceof ForbiddenError || error instanceof NotFoundError)) {
        this.#app.logger.error('handleConnection failed', error);
      }
      connection.close(CLOSE_CODE.POLICY, 'refused');
    }
  }

  /** Pings every socket; one that missed two pings is half-open and is terminated. */
  #ping(): void {
    for (const connection of this.#connections) {
      if (connection.missedPings >= 2) {
        connection.socket.terminate();
        continue;
      }
      connection.missedPings++;
      connection.socket.ping();
    }
  }

  /** Closes every socket with `code` (1012 on shutdown: clients reconnect, maybe elsewhere). */
  close(code: number): void {
    clearInterval(this.#heartbeat);
    for (const connection of this.#connections) connection.close(code, 'server stopping');
    this.#wss.close();
  }
}

/** An `error` listener: EventEmitter calls it with the socket as `this`. */
function destroySocket(this: Duplex): void {
  this.destroy();
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}
