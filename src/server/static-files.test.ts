import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { SYSTEM_FILE_MARKER, traversalCorpus } from '../../test/helpers/traversal-corpus.js';
import { LonaError } from '../errors.js';
import { Script, StyleSheet, collectStaticFiles } from './static-declarations.js';
import { StaticFiles, collectStatic } from './static-files.js';

// Fixture: <tmp>/package.json and <tmp>/outside/ must never be served; <tmp>/public and
// <tmp>/public2 are the static dirs; <tmp>/declared holds declared files.
const tmp = mkdtempSync(join(tmpdir(), 'lona-static-'));
const SECRET = 'TOP SECRET';
const OUTSIDE = 'OUTSIDE THE STATIC DIRS';
const DATA = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

function put(path: string, content: string | Buffer): void {
  mkdirSync(join(tmp, path, '..'), { recursive: true });
  writeFileSync(join(tmp, path), content);
}

put('package.json', SECRET);
put('outside/secret.txt', OUTSIDE);
put('public/app.css', 'body { color: red; }');
put('public/data.bin', DATA);
put('public/.secret', SECRET);
put('public/.hidden/x.txt', SECRET);
put('public/sub/page.html', '<p>page</p>');
put('public/%2e%2e', 'a file literally named %2e%2e');
put('public2/app.css', 'second dir');
put('public2/only2.txt', 'only in the second dir');
put('declared/chart.css', '.chart {}');
put('declared/chart.js', 'chart()');
put('declared/chart.js.map', '{}');
put('declared/opt-in.js', 'optIn()');
symlinkSync(join(tmp, 'public/app.css'), join(tmp, 'public/link-inside.css'));
symlinkSync(join(tmp, 'outside/secret.txt'), join(tmp, 'public/link-outside.txt'));
symlinkSync(join(tmp, 'outside'), join(tmp, 'public/linkdir-outside'));
symlinkSync(join(tmp, 'public/sub'), join(tmp, 'public/linkdir-inside'));

const dirs = [join(tmp, 'public'), join(tmp, 'public2')];

class ChartWidget {
  static STATIC_FILES = [
    new Script('chart.js', join(tmp, 'declared/chart.js'), { url: 'charts/chart.js' }),
    new StyleSheet('chart.css', join(tmp, 'declared/chart.css'), {
      url: 'charts/chart.css',
      sortOrder: 200,
    }),
    new Script('chart.js.map', join(tmp, 'declared/chart.js.map'), {
      url: 'charts/chart.js.map',
      link: false,
    }),
    new Script('opt-in', join(tmp, 'declared/opt-in.js'), { enabledByDefault: false }),
  ];
}
const declarations = collectStaticFiles([ChartWidget]);
const staticFiles = new StaticFiles({ dirs, urlPrefix: '/static/', declarations, serve: true });

let server: Server;
let base = '';

/** The caller's side of handle(): prefix match, 400 for bad URLs, the app's 404 otherwise. */
function serve(files: StaticFiles): Server {
  return createServer((req, res) => {
    const relativePath = files.matchPrefix((req.url ?? '/').split('?')[0] as string);
    if (relativePath === null) {
      res.statusCode = 404;
      res.end('app 404');
      return;
    }
    files.handle(req, res, relativePath).then(
      (answered) => {
        if (answered) return;
        res.statusCode = 404;
        res.end('app 404');
      },
      (error: unknown) => {
        res.statusCode =
          error instanceof LonaError && error.code === 'LONA_ERR_HTTP_BAD_URL' ? 400 : 500;
        res.end(String(error));
      },
    );
  });
}

async function listen(s: Server): Promise<string> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  server = serve(staticFiles);
  base = await listen(server);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request with the path sent byte for byte: fetch() would normalise `..` and `%2e`, and
 * it adds `Cache-Control: no-cache` to conditional requests, which rules out a 304.
 */
function raw(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('StaticFiles', () => {
  describe('#handle', () => {
    it('serves a file with its content type', async () => {
      const res = await fetch(`${base}/static/app.css`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe('body { color: red; }');
    });

    it('answers If-None-Match with the ETag with 304', async () => {
      const first = await fetch(`${base}/static/app.css`);
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      const second = await raw('/static/app.css', { 'If-None-Match': etag as string });
      expect(second.status).toBe(304);
      expect(second.body).toBe('');
    });

    it('answers If-Modified-Since with the Last-Modified date with 304', async () => {
      const first = await fetch(`${base}/static/app.css`);
      const lastModified = first.headers.get('last-modified');
      expect(lastModified).toBeTruthy();
      const second = await raw('/static/app.css', { 'If-Modified-Since': lastModified as string });
      expect(second.status).toBe(304);
    });

    it('answers a Range request with 206 and Content-Range', async () => {
      const res = await fetch(`${base}/static/data.bin`, { headers: { Range: 'bytes=10-19' } });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe('bytes 10-19/1000');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(DATA.subarray(10, 20));
    });

    it('answers an unsatisfiable Range with 416', async () => {
      const res = await fetch(`${base}/static/data.bin`, { headers: { Range: 'bytes=5000-6000' } });
      expect(res.status).toBe(416);
      expect(res.headers.get('content-range')).toBe('bytes */1000');
      expect(res.headers.get('etag')).toBeNull();
    });

    it('answers HEAD with the headers and no body', async () => {
      const res = await fetch(`${base}/static/data.bin`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe('1000');
      expect(await res.text()).toBe('');
    });

    it('answers other methods with 405 and Allow', async () => {
      const res = await fetch(`${base}/static/app.css`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    });

    it('searches the dirs in order, the first hit winning', async () => {
      expect(await (await fetch(`${base}/static/app.css`)).text()).toBe('body { color: red; }');
      expect(await (await fetch(`${base}/static/only2.txt`)).text()).toBe('only in the second dir');
    });

    it('serves files in subdirectories', async () => {
      expect(await (await fetch(`${base}/static/sub/page.html`)).text()).toBe('<p>page</p>');
    });

    it('does not serve directories', async () => {
      for (const path of ['/static/sub', '/static/sub/', '/static/', '/static/linkdir-inside']) {
        const res = await raw(path);
        expect(res.status, path).toBe(404);
        expect(res.body).toBe('app 404');
      }
    });

    it('does not serve dotfiles or files in dot directories', async () => {
      for (const path of ['/static/.secret', '/static/.hidden/x.txt', '/static/%2esecret']) {
        const res = await raw(path);
        expect(res.status, path).toBe(404);
        expect(res.body).not.toContain(SECRET);
      }
    });

    it('serves a symlink whose real path stays inside its dir', async () => {
      const file = await fetch(`${base}/static/link-inside.css`);
      expect(await file.text()).toBe('body { color: red; }');
      const viaDir = await fetch(`${base}/static/linkdir-inside/page.html`);
      expect(await viaDir.text()).toBe('<p>page</p>');
    });

    it('refuses a symlink that points outside its dir', async () => {
      for (const path of ['/static/link-outside.txt', '/static/linkdir-outside/secret.txt']) {
        const res = await raw(path);
        expect(res.status, path).toBe(404);
        expect(res.body).not.toContain(OUTSIDE);
      }
    });

    it('never serves anything outside the static dirs, whatever the encoding', async () => {
      const corpus = traversalCorpus('/static/', tmp);
      for (const path of corpus) {
        const res = await raw(path);
        expect([400, 404], path).toContain(res.status);
        expect(res.body, path).not.toContain(SECRET);
        expect(res.body, path).not.toContain(OUTSIDE);
        expect(res.body, path).not.toContain(SYSTEM_FILE_MARKER);
      }
    });

    it('decodes the path once: %252e%252e names a file called %2e%2e', async () => {
      const res = await raw('/static/%252e%252e');
      expect(res.status).toBe(200);
      expect(res.body).toBe('a file literally named %2e%2e');
    });

    it('throws LONA_ERR_HTTP_BAD_URL for bad percent-encoding (the caller answers 400)', async () => {
      expect((await raw('/static/%E0%A4%A')).status).toBe(400);
      await expect(staticFiles.lookup('%zz')).rejects.toMatchObject({
        code: 'LONA_ERR_HTTP_BAD_URL',
      });
    });

    it('serves declared files at their url', async () => {
      const css = await fetch(`${base}/static/charts/chart.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(await css.text()).toBe('.chart {}');
      expect((await fetch(`${base}/static/charts/chart.js.map`)).status).toBe(200);
    });

    it('does not serve disabled declared files', async () => {
      expect((await raw('/static/opt-in.js')).status).toBe(404);
    });

    it('answers nothing when serving is off', async () => {
      const off = new StaticFiles({ dirs, declarations, serve: false });
      expect(await off.lookup('app.css')).toBeNull();
      expect(await off.lookup('charts/chart.css')).toBeNull();
    });

    it('resolves false when the file vanishes between lookup and respond', async () => {
      put('vanishing/gone.txt', 'soon gone');
      const files = new StaticFiles({ dirs: [join(tmp, 'vanishing')] });
      const results: boolean[] = [];
      const s = createServer((req, res) => {
        void (async () => {
          const hit = await files.lookup('gone.txt');
          expect(hit).not.toBeNull();
          unlinkSync(join(tmp, 'vanishing/gone.txt'));
          const answered = await files.respond(req, res, hit!);
          results.push(answered);
          if (!answered) res.end('app 404');
        })();
      });
      const url = await listen(s);
      const res = await fetch(`${url}/gone.txt`);
      await new Promise((resolve) => s.close(resolve));
      expect(results).toEqual([false]);
      expect(await res.text()).toBe('app 404');
      expect(res.headers.get('etag')).toBeNull();
    });
  });

  describe('#matchPrefix', () => {
    it('returns the raw path after the normalised prefix, or null', () => {
      const files = new StaticFiles({ dirs, urlPrefix: 'assets' });
      expect(files.urlPrefix).toBe('/assets/');
      expect(files.matchPrefix('/assets/a%20b.css')).toBe('a%20b.css');
      expect(files.matchPrefix('/assets')).toBeNull();
      expect(files.matchPrefix('/other/a.css')).toBeNull();
    });
  });

  describe('tags', () => {
    it('tags the linked declared files, sorted by sort order', () => {
      expect(staticFiles.renderStyleTags()).toBe(
        '<link rel="stylesheet" href="/static/charts/chart.css">\n',
      );
      expect(staticFiles.renderScriptTags()).toBe(
        '<script defer src="/static/charts/chart.js"></script>\n',
      );
      expect(declarations.map((f) => f.name)).toEqual(['chart.css', 'chart.js', 'chart.js.map']);
    });
  });
});

describe('collectStatic', () => {
  const read = (dest: string, path: string) => readFileSync(join(dest, path), 'utf8');

  it('copies the dirs (earlier dirs winning) and the declared files at their url', async () => {
    const dest = join(tmp, 'collected');
    const copied = await collectStatic({ dirs, declarations, dest });
    expect(read(dest, 'app.css')).toBe('body { color: red; }');
    expect(read(dest, 'only2.txt')).toBe('only in the second dir');
    expect(read(dest, 'sub/page.html')).toBe('<p>page</p>');
    expect(read(dest, 'link-inside.css')).toBe('body { color: red; }');
    expect(read(dest, 'linkdir-inside/page.html')).toBe('<p>page</p>');
    expect(read(dest, 'charts/chart.css')).toBe('.chart {}');
    expect(copied).toContain('charts/chart.js.map');
    expect(copied.filter((p) => p === 'app.css')).toHaveLength(1);
  });

  it('leaves out what is not served: dotfiles, outside symlinks, disabled files', async () => {
    const dest = join(tmp, 'collected-rules');
    const copied = await collectStatic({ dirs, declarations, dest });
    for (const path of ['.secret', '.hidden', 'link-outside.txt', 'linkdir-outside', 'opt-in.js']) {
      expect(existsSync(join(dest, path)), path).toBe(false);
      expect(copied).not.toContain(path);
    }
  });

  it('copies nothing on a dry run', async () => {
    const dest = join(tmp, 'dry');
    const copied = await collectStatic({ dirs, declarations, dest, dryRun: true });
    expect(copied).toContain('app.css');
    expect(existsSync(dest)).toBe(false);
  });

  it('empties the destination first with clean', async () => {
    const dest = join(tmp, 'cleaned');
    put('cleaned/stale.txt', 'stale');
    await collectStatic({ dirs, declarations, dest, clean: true });
    expect(existsSync(join(dest, 'stale.txt'))).toBe(false);
    expect(existsSync(join(dest, 'app.css'))).toBe(true);
  });

  it('refuses a destination inside a static dir or one holding a static dir', async () => {
    await expect(collectStatic({ dirs, dest: join(tmp, 'public/out') })).rejects.toMatchObject({
      code: 'LONA_ERR_STATIC_BAD_DEST',
    });
    await expect(collectStatic({ dirs, dest: tmp, clean: true })).rejects.toMatchObject({
      code: 'LONA_ERR_STATIC_BAD_DEST',
    });
    await expect(collectStatic({ dirs, dest: '/', dryRun: true })).rejects.toMatchObject({
      code: 'LONA_ERR_STATIC_BAD_DEST',
    });
  });
});
