/**
 * Serves static files (SPEC §3.10) from STATIC_DIRS and declared files under one URL prefix,
 * through `send` (ETag, Last-Modified, conditional GET, Range, HEAD, content types), and
 * copies the same set for a front proxy (`collectStatic`, for `lona-ts collect-static`).
 *
 * The rules for what is servable live here, once, for both: the relative path is decoded
 * once; empty, `.`/`..` and dot segments, backslashes and NUL are never looked up; dirs are
 * searched in order (first regular file wins), then declared files by URL; a symlink counts
 * only when its real path stays inside its dir; directories are not found.
 *
 * Matching the prefix, answering "not found" with the app's 404 view and limiting work with
 * the static pool are left to the caller (server/http-server.ts); declarations and tags to
 * static-declarations.ts.
 */
import type { Stats } from 'node:fs';
import { copyFile, mkdir, readdir, realpath, rm, stat } from 'node:fs/promises';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, dirname, join, parse as parsePath, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import send from 'send';
import { LonaError } from '../errors.js';
import {
  normalizeUrlPrefix,
  renderTags,
  type StaticFile,
  type StaticFileDeclaration,
} from './static-declarations.js';

export {
  SORT_ORDER,
  Script,
  StaticFile,
  StyleSheet,
  collectStaticFiles,
  linkedFiles,
  renderTags,
  type CollectOptions,
  type LinkedFile,
  type StaticFileDeclaration,
  type StaticFileKind,
  type StaticFileOptions,
} from './static-declarations.js';

/** lona-ts's own static files (`lona/style.css`); goes after the user's STATIC_DIRS. */
export const BUILTIN_STATIC_DIR = fileURLToPath(new URL('../static/', import.meta.url));

export interface StaticFilesOptions {
  /** Absolute dirs, searched in order (STATIC_DIRS, then the built-in one). */
  dirs: readonly string[];
  /** STATIC_URL_PREFIX. @default '/static/' */
  urlPrefix?: string;
  /** The enabled declarations, as `collectStaticFiles()` returns them. @default [] */
  declarations?: readonly StaticFileDeclaration[];
  /** STATIC_FILES_SERVE: false leaves every file to a front proxy. @default true */
  serve?: boolean;
}

/** A file `lookup()` found: what `respond()` sends. */
export interface StaticHit {
  /** The real path (no symlinks left), checked to be inside its dir. */
  readonly path: string;
  readonly stat: Stats;
}

const ALLOWED_METHODS = 'GET, HEAD';

/** Headers `send` sets before it can fail; removed when we answer with an error instead. */
const SEND_HEADERS = [
  'Accept-Ranges',
  'Cache-Control',
  'Content-Length',
  'Content-Range',
  'Content-Type',
  'ETag',
  'Last-Modified',
];

export class StaticFiles {
  readonly dirs: readonly string[];
  readonly urlPrefix: string;
  readonly declarations: readonly StaticFileDeclaration[];
  readonly serve: boolean;
  readonly #byUrl: ReadonlyMap<string, StaticFile>;
  /** Real paths of the dirs, once found; a dir missing at startup is looked for again. */
  readonly #realDirs: Array<string | undefined>;
  readonly #tags: { stylesheets: string; scripts: string };

  constructor(options: StaticFilesOptions) {
    this.dirs = options.dirs.map((dir) => resolve(dir));
    this.urlPrefix = normalizeUrlPrefix(options.urlPrefix ?? '/static/');
    this.declarations = options.declarations ?? [];
    this.serve = options.serve ?? true;
    this.#byUrl = new Map(this.declarations.map((file) => [file.url, file]));
    this.#realDirs = this.dirs.map(() => undefined);
    this.#tags = renderTags(this.declarations, this.urlPrefix);
  }

  /** `<link rel="stylesheet">` tags of the linked style sheets (trusted HTML). */
  renderStyleTags(): string {
    return this.#tags.stylesheets;
  }

  /** `<script defer>` tags of the linked scripts (trusted HTML). */
  renderScriptTags(): string {
    return this.#tags.scripts;
  }

  /** The raw path after the prefix (what `handle()` takes), or null when not under it. */
  matchPrefix(rawPath: string): string | null {
    return rawPath.startsWith(this.urlPrefix) ? rawPath.slice(this.urlPrefix.length) : null;
  }

  /**
   * Answers a request for `relativePath` (the raw path after the prefix, still
   * percent-encoded). Resolves false when there is no such file (the caller answers with
   * the 404 view), true when the request was answered.
   * @throws LonaError LONA_ERR_HTTP_BAD_URL for bad percent-encoding (the caller answers 400)
   */
  async handle(req: IncomingMessage, res: ServerResponse, relativePath: string): Promise<boolean> {
    // A pool wraps these two steps: the lookup, the open and the headers take a slot;
    // respond() resolves once the body streams, so streaming holds no slot.
    const hit = await this.lookup(relativePath);
    if (hit === null) return false;
    return this.respond(req, res, hit);
  }

  /**
   * Finds the file for a raw relative path, or null.
   * @throws LonaError LONA_ERR_HTTP_BAD_URL for bad percent-encoding
   */
  async lookup(relativePath: string): Promise<StaticHit | null> {
    if (!this.serve) return null;
    const segments = servableSegments(relativePath);
    if (segments === null) return null;

    for (let i = 0; i < this.dirs.length; i++) {
      const root = await this.#realDir(i);
      if (root === undefined) continue;
      const hit = await findInside(root, join(root, ...segments));
      if (hit) return hit;
    }
    const declared = this.#byUrl.get(segments.join('/'));
    if (declared) {
      // Declared paths are absolute and chosen by the developer: no containment check.
      const path = await realpath(declared.path).catch(() => null);
      const stats = path === null ? null : await stat(path).catch(() => null);
      if (path !== null && stats?.isFile()) return { path, stat: stats };
    }
    return null;
  }

  /**
   * Sends a found file with `send`. Resolves once the headers are decided (the body then
   * streams on its own): true when answered, false when the file vanished before it could
   * be opened (the caller answers with the 404 view).
   */
  respond(req: IncomingMessage, res: ServerResponse, hit: StaticHit): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      answerStatus(res, 405, { Allow: ALLOWED_METHODS });
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolvePromise) => {
      let settled = false;
      const settle = (answered: boolean) => {
        if (settled) return;
        settled = true;
        resolvePromise(answered);
      };
      // `send` resolves the name against `root` again; the name is one segment of a real
      // path, so nothing can move it outside. Dotfiles were refused on the request path.
      const stream = send(req, '/' + encodeURIComponent(basename(hit.path)), {
        root: dirname(hit.path),
        index: false,
        dotfiles: 'allow',
      });
      stream.on('error', (error: { status?: number; headers?: Record<string, string> }) => {
        const status = error.status ?? 500;
        if (res.headersSent) {
          res.destroy(); // a read error mid-body: all we can do is cut the response
        } else if (status === 404 && !settled) {
          for (const name of SEND_HEADERS) res.removeHeader(name);
          settle(false);
        } else {
          answerStatus(res, status, error.headers ?? {});
        }
        settle(true);
      });
      stream.on('stream', () => settle(true));
      res.once('finish', () => settle(true));
      res.once('close', () => settle(true));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      stream.pipe(res);
    });
  }

  async #realDir(index: number): Promise<string | undefined> {
    const known = this.#realDirs[index];
    if (known !== undefined) return known;
    const dir = this.dirs[index] as string;
    const real = await realpath(dir).catch(() => undefined);
    this.#realDirs[index] = real;
    return real;
  }
}

export interface CollectStaticOptions {
  /** The static dirs, in serving order: on a clash the earlier dir wins. */
  dirs: readonly string[];
  /** The enabled declarations; a dir file at the same URL wins, as when serving. */
  declarations?: readonly StaticFileDeclaration[];
  /** Where the files go; created if missing. */
  dest: string;
  /** Empty `dest` first. @default false */
  clean?: boolean;
  /** Copy nothing; only return what would be copied. @default false */
  dryRun?: boolean;
}

/**
 * Copies every file the server would serve under the prefix into `dest`, at its URL path,
 * so a front proxy can serve `dest` at STATIC_URL_PREFIX. Returns the copied files'
 * URL paths (relative to `dest`, with `/`), in copy order.
 * @throws LonaError LONA_ERR_STATIC_BAD_DEST when `dest` is a root, a static dir or inside one
 */
export async function collectStatic(options: CollectStaticOptions): Promise<string[]> {
  const dest = resolve(options.dest);
  const realDest = await realpath(dest).catch(() => dest);
  const roots: string[] = [];
  for (const dir of options.dirs) {
    const real = await realpath(resolve(dir)).catch(() => null);
    if (real !== null) roots.push(real);
  }
  checkDest(dest, realDest, roots, options.clean ?? false);

  // URL path → source file. Earlier dirs first, declared files last: the order lookup() uses.
  const plan = new Map<string, string>();
  for (const root of roots) {
    for (const [url, source] of await servableFiles(root)) {
      if (!plan.has(url)) plan.set(url, source);
    }
  }
  for (const file of options.declarations ?? []) {
    if (!plan.has(file.url)) plan.set(file.url, file.path);
  }
  if (options.dryRun) return [...plan.keys()];

  if (options.clean) await rm(dest, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  for (const [url, source] of plan) {
    const target = join(dest, ...url.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(source, target);
  }
  return [...plan.keys()];
}

/**
 * Decodes a raw relative path once and splits it, or returns null when it could not name
 * a servable file: empty, absolute, `//`, a trailing `/`, `.`/`..` or dot segments,
 * backslashes or NUL. Decoding once means `%252e%252e` stays the name `%2e%2e`.
 */
function servableSegments(relativePath: string): string[] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relativePath);
  } catch {
    throw new LonaError('LONA_ERR_HTTP_BAD_URL', { url: relativePath });
  }
  if (decoded === '' || /[\\\0]/.test(decoded)) return null;
  const segments = decoded.split('/');
  return segments.every(isServableName) ? segments : null;
}

function isServableName(segment: string): boolean {
  return segment !== '' && !segment.startsWith('.');
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** A regular file at `candidate` whose real path stays inside `root`, or null. */
async function findInside(root: string, candidate: string): Promise<StaticHit | null> {
  if (!isInside(root, candidate)) return null; // belt and braces: segments are checked
  const path = await realpath(candidate).catch(() => null);
  if (path === null || !isInside(root, path)) return null;
  const stats = await stat(path).catch(() => null);
  // Only regular files: a FIFO or device would hang or leak.
  return stats?.isFile() ? { path, stat: stats } : null;
}

/** Every servable file under a real dir: URL path → real source path. */
async function servableFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  // `ancestors` holds the real dirs on the current walk, so a symlink loop ends there while
  // a symlinked dir elsewhere in the tree is still collected under each of its URLs.
  const walk = async (dir: string, prefix: string, ancestors: Set<string>): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (!isServableName(entry.name) || entry.name.includes('\\')) continue;
      const url = prefix + entry.name;
      const real = await realpath(join(dir, entry.name)).catch(() => null);
      if (real === null || !isInside(root, real)) continue;
      const stats = await stat(real).catch(() => null);
      if (stats?.isFile()) {
        files.set(url, real);
      } else if (stats?.isDirectory() && !ancestors.has(real)) {
        await walk(real, url + '/', new Set(ancestors).add(real));
      }
    }
  };
  await walk(root, '', new Set([root]));
  return files;
}

function checkDest(dest: string, realDest: string, roots: readonly string[], clean: boolean) {
  const fail = (reason: string) => new LonaError('LONA_ERR_STATIC_BAD_DEST', { dest, reason });
  if (parsePath(realDest).root === realDest) throw fail('it is a file-system root');
  for (const root of roots) {
    if (realDest === root || isInside(root, realDest)) {
      throw fail(`it is inside the static dir '${root}'`);
    }
    if (clean && isInside(realDest, root)) {
      throw fail(`--clean would delete the static dir '${root}' inside it`);
    }
  }
  const cwd = process.cwd();
  if (clean && (realDest === cwd || isInside(realDest, cwd))) {
    throw fail('--clean would delete the current directory');
  }
}

/** A short plain-text answer; `send`'s own headers are removed first. */
function answerStatus(res: ServerResponse, status: number, headers: Record<string, string>) {
  for (const name of SEND_HEADERS) res.removeHeader(name);
  const body = `${status} ${STATUS_CODES[status] ?? 'Error'}\n`;
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(body);
}
