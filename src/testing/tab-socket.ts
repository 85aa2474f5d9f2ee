/**
 * One tab's WebSocket, opened the way the browser client opens it (SPEC §2.2): the fixed
 * path with the protocol version, the user's cookies, and the page's own Origin. Frames
 * are JSON arrays in both directions; anything else from the server is ignored, as the
 * browser client does. What the frames mean is the TabDriver's business.
 */
import WebSocket from 'ws';
import { PROTOCOL_VERSION, WEBSOCKET_PATH } from '../protocol/messages.js';
import { TestClientError } from './test-client-error.js';

export interface TabSocketOptions {
  /** The server's origin, `http://host:port`. */
  origin: string;
  /** The Cookie header of the user. */
  cookie: string;
  /** Extra upgrade headers (TestClientOptions.headers). */
  headers: Record<string, string>;
  onFrame(frame: unknown[]): void;
  /** Called once when the socket is gone, however it went. */
  onClose(code: number, reason: string): void;
}

export class TabSocket {
  readonly #ws: WebSocket;
  readonly #closed: Promise<void>;

  private constructor(ws: WebSocket, options: TabSocketOptions) {
    this.#ws = ws;
    this.#closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        options.onClose(code, reason.toString('utf8'));
        resolve();
      });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: unknown;
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      if (Array.isArray(frame) && typeof frame[0] === 'string') options.onFrame(frame);
    });
  }

  /** Opens a socket; rejects when the server refuses the upgrade or cannot be reached. */
  static open(options: TabSocketOptions): Promise<TabSocket> {
    const url = `${options.origin.replace(/^http/, 'ws')}${WEBSOCKET_PATH}?v=${PROTOCOL_VERSION}`;
    const headers: Record<string, string> = { ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    const ws = new WebSocket(url, { headers, origin: options.origin, perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        ws.terminate();
        reject(new TestClientError('LONA_TEST_CONNECTION_REFUSED', message));
      };
      ws.once('unexpected-response', (_request, response) =>
        fail(`the server refused the WebSocket upgrade with HTTP ${response.statusCode}`),
      );
      ws.once('error', (error) => fail(`the WebSocket could not connect: ${error.message}`));
      // Errors after the open are followed by a close, which is what the tab reacts to.
      ws.on('error', () => undefined);
      ws.once('open', () => {
        settled = true;
        resolve(new TabSocket(ws, options));
      });
    });
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** Sends one frame; false when the socket is not open (the frame is lost, as in a browser). */
  send(frame: unknown[]): boolean {
    if (!this.isOpen) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  /** Closes with a close handshake (a tab that is closed); resolves when the socket is gone. */
  close(code = 1000): Promise<void> {
    if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) {
      this.#ws.close(code);
    }
    return this.#closed;
  }

  /** Drops the connection without a close frame (a network failure); resolves when it is gone. */
  terminate(): Promise<void> {
    this.#ws.terminate();
    return this.#closed;
  }
}
