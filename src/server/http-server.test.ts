/**
 * The headers of each kind of answer, checked on the wire: the responder writes its own
 * answers' headers in one writeHead, and sets the security headers on `res` before other
 * code (middlewares, pass-through routes, static files) writes to it.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type StartedApp } from '../../test/helpers/start-app.js';
import { HtmlResponse, JsonResponse, RedirectResponse, Response } from '../view/responses.js';
import { View } from '../view/view.js';
import type { Request } from '../view/request.js';

const KEY = 'abcdefghijklmnopqrstuvwxyzABCDEF';

function route(handle: (request: Request) => unknown) {
  return class extends View {
    static methods = ['GET', 'HEAD', 'POST'];
    override handleRequest(request: Request) {
      return handle(request) as never;
    }
  };
}

interface Answer {
  status: number;
  statusMessage: string;
  /** Header lines as sent, in order, `name: value`. */
  lines: string[];
  body: string;
}

function send(
  server: StartedApp,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: init.method, headers: init.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const lines: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
          }
          resolve({
            status: res.statusCode!,
            statusMessage: res.statusMessage!,
            lines,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const named = (answer: Answer, name: string) =>
  answer.lines.filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}: `));

describe('response headers', () => {
  let plain: StartedApp;
  let withMiddleware: StartedApp;

  function routes(app: StartedApp['app']): void {
    const http = { interactive: false } as const;
    app.route(
      '/page',
      route(() => '<p>page</p>'),
      http,
    );
    app.route(
      '/own-headers',
      route(
        () =>
          new HtmlResponse('x', {
            headers: { 'content-type': 'text/x-own', 'X-Own': '1', 'Content-Length': '99' },
          }),
      ),
      http,
    );
    app.route(
      '/json',
      route(() => new JsonResponse({ a: 1 })),
      http,
    );
    app.route(
      '/bytes',
      route(() => new Response({ body: new Uint8Array([1, 2, 3]) })),
      http,
    );
    app.route(
      '/bad-location',
      route(() => new RedirectResponse('/caf\u2192')),
      http,
    );
    app.route(
      '/body',
      route((request) => request.text()),
      http,
    );
    app.route('/raw', (_req: IncomingMessage, res: ServerResponse) => res.end('raw'), {
      httpPassThrough: true,
    });
  }

  beforeAll(async () => {
    plain = await startApp((app) => routes(app), { settings: { MAX_HTTP_BODY_BYTES: 16 } });
    withMiddleware = await startApp((app) => {
      routes(app);
      app.middleware({
        handleHttpRequest({ req, res }: { req: IncomingMessage; res: ServerResponse }) {
          if (req.url === '/page') res.setHeader('X-Middleware', 'kept');
          if (req.url === '/json') res.setHeader('X-Content-Type-Options', 'its-own');
        },
      });
    });
  });

  afterAll(async () => {
    await plain?.stop();
    await withMiddleware?.stop();
  });

  it('sends a page with the security headers, the new session cookie and the length, once each', async () => {
    const answer = await send(plain, '/page');
    expect(answer.status).toBe(200);
    expect(answer.lines.slice(0, 5).map((line) => line.split(':')[0])).toEqual([
      'X-Content-Type-Options',
      'Set-Cookie',
      'Content-Type',
      'Cache-Control',
      'Content-Length',
    ]);
    expect(named(answer, 'x-content-type-options')).toEqual(['X-Content-Type-Options: nosniff']);
    expect(named(answer, 'content-length')).toEqual(['Content-Length: 11']);
    expect(answer.body).toBe('<p>page</p>');
  });

  it('sends no Set-Cookie when the request has a session', async () => {
    const answer = await send(plain, '/page', { headers: { cookie: `sessionid=${KEY}` } });
    expect(named(answer, 'set-cookie')).toEqual([]);
  });

  it('answers HEAD with the GET length and no body', async () => {
    const answer = await send(plain, '/page', { method: 'HEAD' });
    expect(named(answer, 'content-length')).toEqual(['Content-Length: 11']);
    expect(answer.body).toBe('');
  });

  it("lets a response's headers win over the defaults, whatever their case, but not the length", async () => {
    const answer = await send(plain, '/own-headers');
    expect(named(answer, 'content-type')).toEqual(['content-type: text/x-own']);
    expect(named(answer, 'x-own')).toEqual(['X-Own: 1']);
    expect(named(answer, 'content-length')).toEqual(['Content-Length: 1']);
    expect(named(answer, 'x-content-type-options')).toEqual(['X-Content-Type-Options: nosniff']);
  });

  it('sends the security headers with JSON, bytes, 404, 405 and pass-through answers', async () => {
    for (const [path, method, status] of [
      ['/json', 'GET', 200],
      ['/bytes', 'GET', 200],
      ['/nowhere', 'GET', 404],
      ['/page', 'DELETE', 405],
      ['/raw', 'GET', 200],
    ] as const) {
      for (const server of [plain, withMiddleware]) {
        const answer = await send(server, path, { method });
        expect(answer.status, path).toBe(status);
        expect(named(answer, 'x-content-type-options').length, path).toBe(1);
      }
    }
  });

  it('keeps headers a middleware set, its own security header value included', async () => {
    const page = await send(withMiddleware, '/page');
    expect(named(page, 'x-middleware')).toEqual(['X-Middleware: kept']);
    expect(named(page, 'x-content-type-options')).toEqual(['X-Content-Type-Options: nosniff']);
    const json = await send(withMiddleware, '/json');
    expect(named(json, 'x-content-type-options')).toEqual(['X-Content-Type-Options: its-own']);
  });

  it('answers a header Node refuses with the 500 view and its own reason phrase', async () => {
    for (const server of [plain, withMiddleware]) {
      const answer = await send(server, '/bad-location');
      expect(answer.status).toBe(500);
      expect(answer.statusMessage).toBe('Internal Server Error');
      expect(named(answer, 'location')).toEqual([]);
      expect(named(answer, 'x-content-type-options').length).toBe(1);
    }
  });

  it('reads a body when a request declares one, GET included, and refuses one past the limit', async () => {
    const get = await send(plain, '/body', { headers: { 'content-length': '4' }, body: 'text' });
    expect(get.body).toBe('text');
    const chunked = await send(plain, '/body', {
      method: 'POST',
      headers: { 'transfer-encoding': 'chunked' },
      body: 'chunks',
    });
    expect(chunked.body).toBe('chunks');
    const big = await send(plain, '/body', { method: 'POST', body: 'x'.repeat(17) });
    expect(big.status).toBe(413);
    expect(named(big, 'connection')).toEqual(['Connection: close']);
    expect(named(big, 'x-content-type-options').length).toBe(1);
  });
});
