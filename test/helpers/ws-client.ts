/**
 * A raw protocol client for integration tests: gets a session cookie the way a browser
 * does (GET a page), opens the WebSocket with it, and collects every frame, so a test can
 * send exact frames (valid or not) and wait for exact answers.
 */
import WebSocket from 'ws';
import { PROTOCOL_VERSION, WEBSOCKET_PATH } from '../../src/protocol/messages.js';

export type Frame = unknown[];

export interface RawClient {
  ws: WebSocket;
  frames: Frame[];
  cookie: string;
  send(frame: unknown): void;
  sendRaw(data: string | Buffer, options?: { binary?: boolean }): void;
  /** Resolves with the first frame (from now or already received after `from`) that matches. */
  next(
    match: (frame: Frame) => boolean,
    options?: { timeoutMs?: number; from?: number },
  ): Promise<Frame>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** GETs `path` and returns the session cookie the server set ("name=value"). */
export async function sessionCookie(url: string, path = '/'): Promise<string> {
  const res = await fetch(url + path);
  await res.arrayBuffer();
  const setCookie = res.headers.get('set-cookie');
  if (!setCookie) throw new Error(`GET ${path} set no cookie`);
  return setCookie.split(';')[0]!;
}

export async function connect(
  url: string,
  options: {
    cookie?: string | null;
    version?: number;
    origin?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<RawClient> {
  const cookie = options.cookie === undefined ? await sessionCookie(url) : options.cookie;
  const wsUrl = `${url.replace(/^http/, 'ws')}${WEBSOCKET_PATH}?v=${options.version ?? PROTOCOL_VERSION}`;
  const headers: Record<string, string> = { ...options.headers };
  if (cookie) headers.cookie = cookie;
  const ws = new WebSocket(wsUrl, { headers, origin: options.origin ?? url });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      resolve({ code, reason: String(reason) });
      for (const wake of waiters) wake();
    });
  });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
    ws.once('close', () => resolve());
  });
  return {
    ws,
    frames,
    cookie: cookie ?? '',
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data, opts) => ws.send(data, { binary: opts?.binary ?? false }),
    next(match, opts = {}) {
      const timeoutMs = opts.timeoutMs ?? 5_000;
      let searched = opts.from ?? 0;
      return new Promise((resolve, reject) => {
        const check = () => {
          for (; searched < frames.length; searched++) {
            if (match(frames[searched]!)) {
              cleanup();
              resolve(frames[searched]!);
              return;
            }
          }
          if (ws.readyState === WebSocket.CLOSED) {
            cleanup();
            reject(
              new Error(
                `socket closed while waiting; frames: ${JSON.stringify(frames).slice(0, 2000)}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no matching frame in ${timeoutMs} ms; frames: ${JSON.stringify(frames).slice(0, 2000)}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    closed,
    close: () => ws.close(),
  };
}
