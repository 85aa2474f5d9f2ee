/**
 * Non-interactive views over plain HTTP on a real server: every response class, the
 * Request object, methods, bodies, error views and the bad inputs of the foundation issue.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Div,
  FileResponse,
  ForbiddenError,
  H1,
  HtmlResponse,
  HttpRedirectResponse,
  JsonResponse,
  NotFoundError,
  RedirectResponse,
  Response,
  TemplateResponse,
  TemplateStringResponse,
  View,
  type Request,
} from '../../src/index.js';
import { startApp, type StartedApp } from '../helpers/start-app.js';

const files = mkdtempSync(join(tmpdir(), 'lona-http-'));
mkdirSync(join(files, 'public'));
writeFileSync(join(files, 'public', 'report.txt'), 'report body');
writeFileSync(join(files, 'secret.txt'), 'secret');
const templates = mkdtempSync(join(tmpdir(), 'lona-templates-'));
writeFileSync(join(templates, 'hello.html'), '<p>Hello {{ name }}</p>');

function route(handle: (request: Request) => unknown) {
  return class extends View {
    override handleRequest(request: Request) {
      return handle(request) as never;
    }
  };
}

let server: StartedApp;

beforeAll(async () => {
  server = await startApp(
    (app) => {
      const http = { interactive: false } as const;
      app.route(
        '/string',
        route(() => '<b>bold</b>'),
        http,
      );
      app.route(
        '/node',
        route(() => new Div({ id: 'x' }, new H1('Title'), '<i>text</i>')),
        http,
      );
      app.route(
        '/nothing',
        route(() => undefined),
        http,
      );
      app.route(
        '/html',
        route(
          () => new HtmlResponse('<p>created</p>', { status: 201, headers: { 'X-Custom': 'yes' } }),
        ),
        http,
      );
      app.route(
        '/template',
        route(() => new TemplateResponse('hello.html', { name: '<World>' })),
        http,
      );
      app.route(
        '/template-string',
        route(() => new TemplateStringResponse('{{ a }}+{{ b }}', { a: 1, b: 2 })),
        http,
      );
      app.route(
        '/json',
        route(() => new JsonResponse({ ok: true, list: [1, 2] })),
        http,
      );
      app.route(
        '/json-status',
        route(() => new JsonResponse({ error: 'x' }, { status: 422 })),
        http,
      );
      app.route(
        '/file',
        route(() => new FileResponse('report.txt', { root: join(files, 'public') })),
        http,
      );
      app.route(
        '/file-escape',
        route(() => new FileResponse('../secret.txt', { root: join(files, 'public') })),
        http,
      );
      app.route(
        '/download',
        route(
          () => new FileResponse(join(files, 'public', 'report.txt'), { downloadName: 'r.txt' }),
        ),
        http,
      );
      app.route(
        '/redirect',
        route(() => new RedirectResponse('/string')),
        http,
      );
      app.route(
        '/http-redirect',
        route(() => new HttpRedirectResponse('https://example.org/', { status: 301 })),
        http,
      );
      app.route(
        '/bad-redirect',
        route(() => new RedirectResponse('javascript:alert(1)')),
        http,
      );
      app.route(
        '/binary',
        route(
          () => new Response({ body: new Uint8Array([0, 1, 2, 255]), headers: { 'X-Bin': '1' } }),
        ),
        http,
      );
      app.route(
        '/teapot',
        route(() => new Response({ status: 418, body: 'short and stout' })),
        http,
      );
      app.route(
        '/forbidden',
        route(() => {
          throw new ForbiddenError();
        }),
        http,
      );
      app.route(
        '/missing',
        route(() => {
          throw new NotFoundError();
        }),
        http,
      );
      app.route(
        '/crash',
        route(() => {
          throw new Error('boom');
        }),
        http,
      );
      app.route(
        '/async-crash',
        route(async () => {
          await Promise.resolve();
          throw new Error('late boom');
        }),
        http,
      );
      app.route(
        '/bad-value',
        route(() => 42),
        http,
      );
      app.route(
        '/echo/<kind>/<rest:.*>',
        route(
          (request) =>
            new JsonResponse({
              method: request.method,
              query: request.query,
              post: request.post,
              matchInfo: request.matchInfo,
              url: request.url.pathname,
              route: request.route?.name,
              id: typeof request.id,
              interactive: request.interactive,
            }),
        ),
        { interactive: false, name: 'echo' },
      );
      app.route(
        '/json-body',
        route((request) => new JsonResponse({ got: request.json() })),
        http,
      );
      app.route(
        '/only-get',
        class extends View {
          static override methods = ['GET', 'HEAD'];
          override handleRequest() {
            return 'got';
          }
        },
        http,
      );
      app.route(
        '/page',
        route(() => 'interactive page'),
      );
      app.route(
        '/raw',
        (_req: IncomingMessage, res: ServerResponse) => {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('raw node response');
        },
        { httpPassThrough: true },
      );
    },
    { settings: { TEMPLATE_DIRS: [templates], MAX_HTTP_BODY_BYTES: 1024 } },
  );
});

afterAll(() => server.stop());

const get = (path: string, init?: RequestInit) =>
  fetch(server.url + path, { redirect: 'manual', ...init });

describe('responses', () => {
  it('serves a returned string as HTML with the default headers', async () => {
    const res = await get('/string');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(await res.text()).toBe('<b>bold</b>');
  });

  it('renders a returned node with its text escaped', async () => {
    const res = await get('/node');
    expect(await res.text()).toBe('<div id="x"><h1>Title</h1>&lt;i&gt;text&lt;/i&gt;</div>');
  });

  it('answers undefined with an empty 200', async () => {
    const res = await get('/nothing');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('takes status and headers from HtmlResponse', async () => {
    const res = await get('/html');
    expect(res.status).toBe(201);
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(await res.text()).toBe('<p>created</p>');
  });

  it('renders templates from TEMPLATE_DIRS with autoescape', async () => {
    expect(await (await get('/template')).text()).toBe('<p>Hello &lt;World&gt;</p>');
    expect(await (await get('/template-string')).text()).toBe('1+2');
  });

  it('serves JSON with its content type and status', async () => {
    const res = await get('/json');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ ok: true, list: [1, 2] });
    expect((await get('/json-status')).status).toBe(422);
  });

  it('streams a file inside its root and refuses one outside', async () => {
    const res = await get('/file');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('report body');
    const escape = await get('/file-escape');
    expect(escape.status).toBe(500);
    expect(await escape.text()).not.toContain('secret');
    const download = await get('/download');
    expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''r.txt");
  });

  it('answers redirects with Location and refuses unsafe targets', async () => {
    const res = await get('/redirect');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/string');
    const moved = await get('/http-redirect');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('https://example.org/');
    expect((await get('/bad-redirect')).status).toBe(500);
  });

  it('sends binary bodies and custom statuses', async () => {
    const res = await get('/binary');
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-bin')).toBe('1');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const teapot = await get('/teapot');
    expect(teapot.status).toBe(418);
    expect(await teapot.text()).toBe('short and stout');
  });

  it('answers HEAD without a body', async () => {
    const res = await get('/string', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('11');
    expect(await res.text()).toBe('');
  });
});

describe('the Request object', () => {
  it('carries method, query, matchInfo, route and url', async () => {
    const res = await get('/echo/a%20b/x/y%2Fz?q=1&q=2&single=s');
    expect(await res.json()).toEqual({
      method: 'GET',
      query: { q: ['1', '2'], single: 's' },
      post: {},
      matchInfo: { kind: 'a b', rest: 'x/y/z' },
      url: '/echo/a%20b/x/y%2Fz',
      route: 'echo',
      id: 'string',
      interactive: false,
    });
  });

  it('parses urlencoded POST bodies', async () => {
    const res = await get('/echo/form/1', {
      method: 'POST',
      body: new URLSearchParams([
        ['a', '1'],
        ['b', '2'],
        ['b', '3'],
      ]),
    });
    const body = (await res.json()) as { method: string; post: unknown };
    expect(body.method).toBe('POST');
    expect(body.post).toEqual({ a: '1', b: ['2', '3'] });
  });

  it('gives the raw body to request.json()', async () => {
    const res = await get('/json-body', {
      method: 'POST',
      body: '{"x":[1]}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await res.json()).toEqual({ got: { x: [1] } });
  });
});

describe('interactive routes over HTTP', () => {
  it('answer GET with the frontend shell', async () => {
    const res = await get('/page');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'self'");
    const html = await res.text();
    expect(html).toContain('<div id="lona"');
    expect(html).toContain('/_lona/lona.js');
    expect(html).toContain('id="lona-settings"');
    expect(html).not.toContain('interactive page');
  });

  it('answer other methods with 405 and Allow', async () => {
    const res = await get('/page', { method: 'POST', body: 'x=1' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('pass-through routes', () => {
  it("get Node's raw request and response", async () => {
    const res = await get('/raw');
    expect(await res.text()).toBe('raw node response');
  });
});

describe('error views', () => {
  it('answers ForbiddenError with the 403 view', async () => {
    const res = await get('/forbidden');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Forbidden');
  });

  it('answers NotFoundError and unknown URLs with the 404 view', async () => {
    expect((await get('/missing')).status).toBe(404);
    const res = await get('/no/such/page');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Not Found');
  });

  it('answers a throwing view with the 500 view, logs it and keeps serving', async () => {
    const res = await get('/crash');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toContain('Internal Server Error');
    expect(text).not.toContain('boom'); // no stack traces outside DEBUG
    expect(server.logs.some((line) => line.includes('boom'))).toBe(true);
    expect((await get('/async-crash')).status).toBe(500);
    expect((await get('/string')).status).toBe(200);
  });

  it('answers an unsupported return value with 500 and a coded log line', async () => {
    expect((await get('/bad-value')).status).toBe(500);
    expect(server.logs.some((line) => line.includes('LONA_ERR_RESPONSE_BAD_VALUE'))).toBe(true);
  });
});

describe('bad input', () => {
  it('answers malformed percent-encoding with 400', async () => {
    expect((await get('/echo/%E0%A4%A/x')).status).toBe(400);
    expect((await get('/%zz')).status).toBe(400);
  });

  it('answers a method the view does not take with 405', async () => {
    const res = await get('/only-get', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const weird = await rawRequest('PROPFIND', '/echo/a/b');
    expect(weird.status).toBe(405);
  });

  it('answers bodies over MAX_HTTP_BODY_BYTES with 413 and keeps serving', async () => {
    const res = await get('/echo/big/1', { method: 'POST', body: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect((await get('/string')).status).toBe(200);
  });

  it('refuses cross-site POSTs', async () => {
    const res = await get('/echo/a/b', {
      method: 'POST',
      body: 'a=1',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    const same = await get('/echo/a/b', {
      method: 'POST',
      body: 'a=1',
      headers: { origin: server.url },
    });
    expect(same.status).toBe(200);
  });
});

describe('replaceable error views', () => {
  it('uses a view registered with app.errorView()', async () => {
    const custom = await startApp((app) => {
      app.errorView(
        404,
        class extends View {
          override handleRequest() {
            return `<h1>Nothing at ${this.request.url.pathname}</h1>`;
          }
        },
      );
      app.errorView(
        500,
        class extends View {
          override handleRequest() {
            return `<p>sorry: ${(this.error as Error).message.length} chars</p>`;
          }
        },
      );
      app.route(
        '/crash',
        route(() => {
          throw new Error('12345');
        }),
        { interactive: false },
      );
    });
    try {
      const res = await fetch(`${custom.url}/nope`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('<h1>Nothing at /nope</h1>');
      const crash = await fetch(`${custom.url}/crash`);
      expect(crash.status).toBe(500);
      expect(await crash.text()).toBe('<p>sorry: 5 chars</p>');
    } finally {
      await custom.stop();
    }
  });
});

/** A request with a method fetch() refuses to send. */
function rawRequest(method: string, path: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(server.url + path, { method }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end();
  });
}
