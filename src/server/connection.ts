/**
 * `Connection`: one browser tab's WebSocket. It parses and validates every frame
 * (server/message-validation.ts), answers protocol housekeeping at once (ack, pong: no
 * slot needed), and hands view starts and input events to the ViewHost. No frame can
 * throw out of its message loop (SPEC §8): malformed frames are logged (rate-limited)
 * and ignored, and many in a row close the socket with 1008.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Logger } from '../internal/logger.js';
import { randomId } from '../internal/random-id.js';
import { CLOSE_CODE, MESSAGE } from '../protocol/messages.js';
import { parseClientMessage, type ClientMessage } from './message-validation.js';
import type { MiddlewareChain } from './middlewares.js';
import { userKeyOf } from './sessions.js';
import type { ViewHost } from './view-host.js';
import { coalesceWrites, flushWrites } from './write-coalescing.js';

/** Malformed frames in a row that close the socket with 1008. */
const MAX_MALFORMED_IN_A_ROW = 10;
/** How often a slow reader's buffer is checked. */
const SLOW_CLIENT_POLL_MS = 100;
/** Malformed frames logged per connection before logging goes quiet. */
const MAX_MALFORMED_LOGGED = 5;

export interface ConnectionInit {
  ws: WebSocket;
  headers: IncomingHttpHeaders;
  /** The server's own origin as the browser sees it (start URLs are resolved against it). */
  origin: string;
  sessionKey: string | null;
  user: unknown;
  host: ViewHost;
  middlewares: MiddlewareChain;
  logger: Logger;
  limits: { maxBufferedBytes: number; slowClientTimeoutMs: number };
}

export class Connection {
  /** Random id; the user key fallback when SESSIONS is off. */
  readonly id = randomId(12);
  readonly headers: IncomingHttpHeaders;
  readonly sessionKey: string | null;
  readonly origin: string;
  /** The connection's user; `handleConnection` middlewares may replace it. */
  user: unknown;
  /** Set by the server's heartbeat; a socket that misses two pings is terminated. */
  missedPings = 0;
  readonly #ws: WebSocket;
  /** The TCP socket under `ws` (which keeps it private), corked around an input event. */
  readonly #tcp: Socket | undefined;
  readonly #host: ViewHost;
  readonly #middlewares: MiddlewareChain;
  readonly #logger: Logger;
  readonly #limits: ConnectionInit['limits'];
  #malformedInARow = 0;
  #malformedTotal = 0;
  #closed = false;
  /** Frames that arrived before `handleConnection` middlewares finished; handled by `open()`. */
  #early: Array<[Buffer, boolean]> | null = [];

  constructor(init: ConnectionInit) {
    this.#ws = init.ws;
    this.#tcp = (init.ws as unknown as { _socket?: Socket })._socket;
    this.headers = init.headers;
    this.origin = init.origin;
    this.sessionKey = init.sessionKey;
    this.user = init.user;
    this.#host = init.host;
    this.#middlewares = init.middlewares;
    this.#logger = init.logger;
    this.#limits = init.limits;
    this.#ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
    this.#ws.on('close', () => this.#onClose());
    this.#ws.on('error', (error) => this.#logger.debug(`WebSocket error: ${error.message}`));
    this.#ws.on('pong', () => (this.missedPings = 0));
  }

  get closed(): boolean {
    return this.#closed;
  }

  get socket(): WebSocket {
    return this.#ws;
  }

  /**
   * Queues a frame; never waits on the network. A slow reader (more than
   * MAX_WEBSOCKET_BUFFERED_BYTES buffered) gets no trees or patches until it drains, then
   * one full tree; if it stays behind for SLOW_CLIENT_TIMEOUT_MS it is closed with 1013.
   */
  send(frame: string, droppable = false): void {
    if (this.#closed || this.#ws.readyState !== this.#ws.OPEN) return;
    if (droppable) {
      if (this.#behindSince !== 0) return;
      if (this.#ws.bufferedAmount > this.#limits.maxBufferedBytes) {
        this.#fallBehind();
        return;
      }
    }
    this.#ws.send(frame);
  }

  /** When this socket fell behind (0: it keeps up). */
  #behindSince = 0;

  #fallBehind(): void {
    this.#behindSince = Date.now();
    this.#logger.debug('A slow client fell behind; patches paused until it drains.');
    const poll = setInterval(() => {
      if (this.#closed) return clearInterval(poll);
      if (this.#ws.bufferedAmount <= this.#limits.maxBufferedBytes / 2) {
        clearInterval(poll);
        this.#behindSince = 0;
        const runtime = this.#host.shownBy(this);
        if (runtime) this.#host.resync(this, runtime.id);
      } else if (Date.now() - this.#behindSince > this.#limits.slowClientTimeoutMs) {
        clearInterval(poll);
        this.#logger.warn(
          'Closing a slow client (over MAX_WEBSOCKET_BUFFERED_BYTES for SLOW_CLIENT_TIMEOUT_MS).',
        );
        this.close(CLOSE_CODE.TRY_LATER, 'slow client');
        this.#ws.terminate();
      }
    }, SLOW_CLIENT_POLL_MS);
    poll.unref();
  }

  sendDone(viewId: string, eventId: number, seq: number, code?: string): void {
    const message: unknown[] = [MESSAGE.DONE, viewId, eventId, seq];
    if (code) message.push(code);
    this.send(JSON.stringify(message));
    // The event's ack, patches and done leave together (server/write-coalescing.ts).
    if (this.#tcp) flushWrites(this.#tcp);
  }

  close(code: number, reason = ''): void {
    if (this.#ws.readyState === this.#ws.OPEN || this.#ws.readyState === this.#ws.CONNECTING) {
      this.#ws.close(code, reason);
    }
  }

  /** The user key of a user seen through this connection (SPEC §3.9). */
  userKeyFor(user: unknown): string {
    return userKeyOf(user, this.sessionKey ?? this.id);
  }

  /** Starts handling frames (after the `handleConnection` middlewares ran). */
  open(): void {
    const early = this.#early;
    this.#early = null;
    for (const [data, isBinary] of early ?? []) this.#onMessage(data, isBinary);
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (this.#closed) return;
    if (this.#early) {
      if (this.#early.length >= MAX_MALFORMED_IN_A_ROW)
        return this.close(CLOSE_CODE.POLICY, 'too early');
      this.#early.push([data, isBinary]);
      return;
    }
    const result = isBinary
      ? ({ ok: false, reason: 'binary frame' } as const)
      : parseClientMessage(data.toString('utf8'));
    if (!result.ok) {
      this.#malformed(result.reason);
      return;
    }
    this.#malformedInARow = 0;
    try {
      this.#handle(result.message);
    } catch (error) {
      // A bug of ours must not end the message loop either.
      this.#logger.error('Error while handling a WebSocket message', error);
    }
  }

  #malformed(reason: string): void {
    this.#malformedInARow++;
    this.#malformedTotal++;
    if (this.#malformedTotal <= MAX_MALFORMED_LOGGED) {
      this.#logger.warning('LONA_WARN_PROTOCOL_BAD_MESSAGE', { reason });
    }
    if (this.#malformedInARow >= MAX_MALFORMED_IN_A_ROW) {
      this.#logger.warn(
        `Closing a connection after ${MAX_MALFORMED_IN_A_ROW} malformed frames in a row.`,
      );
      this.close(CLOSE_CODE.POLICY, 'malformed frames');
    }
  }

  #handle(message: ClientMessage): void {
    switch (message.kind) {
      case MESSAGE.PING:
        this.send(JSON.stringify([MESSAGE.PONG, message.nonce]));
        return;
      case MESSAGE.VIEW_START: {
        let url: URL;
        try {
          const requested = new URL(message.url, this.origin);
          // Only the path and query count: a start never leaves the server's own origin.
          url = new URL(requested.pathname + requested.search, this.origin);
        } catch {
          this.#malformed('start URL is not a URL');
          return;
        }
        void this.#host
          .startView(this, url, message.method, message.post)
          .catch((error: unknown) => {
            this.#logger.error('Error while starting a view', error);
          });
        return;
      }
      case MESSAGE.VIEW_STOP: {
        if (this.#host.shownBy(this)?.id === message.viewId) this.#host.leave(this);
        return;
      }
      case MESSAGE.INPUT_EVENT: {
        if (this.#tcp) coalesceWrites(this.#tcp);
        this.send(JSON.stringify([MESSAGE.ACK, message.viewId, message.eventId]));
        if (!this.#host.queueInputEvent(this, message)) {
          this.#logger.warn(
            `Input flood: closing a connection (over MAX_QUEUED_INPUT_EVENTS_PER_VIEW).`,
          );
          this.close(CLOSE_CODE.INPUT_FLOOD, 'input flood');
        }
        return;
      }
      case MESSAGE.RESYNC:
        this.#host.resync(this, message.viewId);
        return;
      case MESSAGE.CLIENT_ERROR: {
        // Only a tree the client could not render at all gets here (patch errors resync):
        // the view gets its 500 view, once; other views are not affected.
        const runtime = this.#host.shownBy(this);
        this.#logger.warn(`Client error in ${runtime?.name ?? 'no view'}: ${message.message}`);
        if (runtime && runtime.id === message.viewId) {
          void runtime.fail(new Error(`The browser could not render the view: ${message.message}`));
        }
        return;
      }
      case MESSAGE.CUSTOM:
        void this.#middlewares
          .run('handleWebsocketMessage', {
            connection: this,
            message: message.data,
            viewId: message.viewId,
          })
          .catch((error: unknown) => this.#logger.error('handleWebsocketMessage failed', error));
        return;
    }
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#host.leave(this); // UserAbort, made only when the tab showed a view
  }
}
