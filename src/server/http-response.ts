/**
 * Turns what a view returned into an HTTP response (SPEC §3.6): strings and nodes become
 * HTML, response objects their status, headers and body; files stream through `send`.
 * It also owns the headers every response carries (SPEC §8).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { realpath } from 'node:fs/promises';
import { resolve as resolvePath, sep, basename } from 'node:path';
import send from 'send';
import { LonaError, NotFoundError } from '../errors.js';
import { BaseNode } from '../html/base-node.js';
import { checkRedirectUrl } from '../html/url-safety.js';
import {
  FileResponse,
  HtmlResponse,
  HttpRedirectResponse,
  JsonResponse,
  RedirectResponse,
  Response,
  TemplateResponse,
  TemplateStringResponse,
  type Headers,
} from '../view/responses.js';
import type { HttpServer } from './http-server.js';
import { lonaContext } from './frontend.js';

/** Sent on every response. */
export const securityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
});

/**
 * Sets the security headers `res` does not have yet. The responder's own answers send them
 * with their other headers; this is for answers other code writes (static files,
 * pass-through routes, middlewares given `res`, files through `send`). A header set
 * before (by a middleware, say) is kept, as it was when these were set first.
 */
export function addSecurityHeaders(res: ServerResponse): void {
  for (const name in securityHeaders) {
    if (!res.hasHeader(name)) res.setHeader(name, securityHeaders[name]!);
  }
}

const HTML_TYPE = 'text/html; charset=utf-8';
const NO_CACHE = 'no-cache, no-store, must-revalidate';

export interface ResultOptions {
  /** Status to use when the result sets none (error views). */
  status?: number;
  /** The result is a frontend shell: add the shell's CSP header. */
  shell?: boolean;
}

export class HttpResponder {
  readonly #server: HttpServer;
  /** Set-Cookie values decided while handling a request (new session keys). */
  readonly #cookies = new WeakMap<IncomingMessage, string>();

  constructor(server: HttpServer) {
    this.#server = server;
  }

  /** Sends `cookie` with whatever response answers `req`. */
  setCookieFor(req: IncomingMessage, cookie: string): void {
    this.#cookies.set(req, cookie);
  }

  /** 503 with Retry-After: a pool's queue was full or its wait too long (SPEC §4.4). */
  busy(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    if (!(error instanceof LonaError && error.code.startsWith('LONA_ERR_POOL_'))) throw error;
    this.#server.app.logger.warn(`${error.code}: ${req.method} ${req.url} answered 503`);
    res.setHeader('Retry-After', '1');
    this.plain(req, res, 503, 'Service Unavailable: the server is busy, retry in a moment.');
  }

  /** Renders a template response with the `lona` context every template gets. */
  renderTemplate(response: TemplateResponse | TemplateStringResponse): string {
    const templates = this.#server.templates;
    const context = { lona: lonaContext(this.#server), ...response.context };
    return response instanceof TemplateResponse
      ? templates.render(response.templateName, context)
      : templates.renderString(response.source, context);
  }

  /** A short plain-text answer (400, 405, 413, fallbacks). */
  plain(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    text: string,
    contentType = 'text/plain; charset=utf-8',
  ): void {
    this.#end(req, res, status, { 'Content-Type': contentType, 'Cache-Control': NO_CACHE }, text);
  }

  methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: readonly string[]): void {
    res.setHeader('Allow', allow.join(', '));
    this.plain(req, res, 405, 'Method Not Allowed');
  }

  html(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    html: string,
    options: { shell?: boolean; headers?: Headers; contentType?: string } = {},
  ): void {
    const headers: Headers = {
      'Content-Type': options.contentType ?? HTML_TYPE,
      'Cache-Control': NO_CACHE,
    };
    const csp = this.#server.app.settings.CONTENT_SECURITY_POLICY;
    if (options.shell && csp && !hasHeader(options.headers, 'content-security-policy')) {
      headers['Content-Security-Policy'] = csp;
    }
    this.#end(req, res, status, headers, html, options.headers);
  }

  /** Answers with any value `handleRequest()` may return. */
  async result(
    req: IncomingMessage,
    res: ServerResponse,
    result: unknown,
    options: ResultOptions = {},
  ): Promise<void> {
    const defaultStatus = options.status ?? 200;
    if (result === undefined || result === null) {
      return this.html(req, res, defaultStatus, '', options);
    }
    if (typeof result === 'string') return this.html(req, res, defaultStatus, result, options);
    // Any node: an element, text, trusted RawHtml, or a fragment (what parseHtml may return).
    if (result instanceof BaseNode)
      return this.html(req, res, defaultStatus, result.toString(), options);
    if (!(result instanceof Response)) {
      throw new LonaError('LONA_ERR_RESPONSE_BAD_VALUE', { got: describeValue(result) });
    }
    const status = result.status ?? defaultStatus;
    const common = {
      shell: options.shell,
      headers: result.headers,
      contentType: result.contentType,
    };
    if (result instanceof HtmlResponse) {
      const html = typeof result.html === 'string' ? result.html : result.html.toString();
      return this.html(req, res, status, html, common);
    }
    if (result instanceof TemplateResponse || result instanceof TemplateStringResponse) {
      return this.html(req, res, status, this.renderTemplate(result), common);
    }
    if (result instanceof JsonResponse) {
      const body = JSON.stringify(result.data) ?? 'null';
      return this.#end(
        req,
        res,
        status,
        {
          'Content-Type': result.contentType ?? 'application/json; charset=utf-8',
          'Cache-Control': NO_CACHE,
        },
        body,
        result.headers,
      );
    }
    if (result instanceof RedirectResponse || result instanceof HttpRedirectResponse) {
      checkRedirectUrl(result.url);
      return this.#end(
        req,
        res,
        result.status ?? 302,
        { Location: result.url },
        '',
        result.headers,
      );
    }
    if (result instanceof FileResponse) return this.#file(req, res, result);
    // A plain Response.
    const headers: Headers = { 'Cache-Control': NO_CACHE };
    if (!hasHeader(result.headers, 'content-type')) {
      headers['Content-Type'] =
        result.contentType ??
        (typeof result.body === 'string'
          ? 'text/plain; charset=utf-8'
          : 'application/octet-stream');
    }
    return this.#end(req, res, status, headers, result.body, result.headers);
  }

  async #file(req: IncomingMessage, res: ServerResponse, file: FileResponse): Promise<void> {
    let path = resolvePath(file.path);
    if (file.root !== undefined) {
      const root = await realpath(resolvePath(file.root)).catch(() => resolvePath(file.root!));
      path = resolvePath(root, file.path);
      const real = await realpath(path).catch(() => path);
      if (real !== root && !real.startsWith(root + sep)) {
        throw new LonaError('LONA_ERR_RESPONSE_FILE_OUTSIDE_ROOT', {
          path: file.path,
          root: file.root,
        });
      }
    }
    addSecurityHeaders(res);
    for (const [name, value] of Object.entries(file.headers ?? {})) res.setHeader(name, value);
    const cookie = this.#cookies.get(req);
    if (cookie) res.appendHeader('Set-Cookie', cookie);
    if (file.downloadName !== undefined || file.contentType) {
      if (file.downloadName !== undefined) {
        const name = file.downloadName || basename(path);
        res.setHeader(
          'Content-Disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
        );
      }
    }
    await new Promise<void>((resolveDone, reject) => {
      const stream = send(req, path, { dotfiles: 'allow', index: false });
      if (file.contentType) {
        stream.on('headers', (response: ServerResponse) =>
          response.setHeader('Content-Type', file.contentType!),
        );
      }
      stream.on('error', (error: Error & { status?: number }) => {
        // A file that is not there gets the 404 view, as any missing page does.
        if (error.status === 404) reject(new NotFoundError(`No file at ${file.path}`));
        else reject(error);
      });
      stream.on('end', () => resolveDone());
      res.once('close', () => resolveDone());
      stream.pipe(res);
    });
  }

  /**
   * Sends the response: the security headers, the request's new session cookie, `headers`
   * (the responder's own, no name twice), then `responseHeaders` (a response's or a
   * caller's; they win over the responder's), Content-Length and the body.
   */
  #end(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: Headers,
    body: string | Uint8Array,
    responseHeaders?: Headers,
  ): void {
    const cookie = this.#cookies.get(req);
    const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
    if (responseHeaders === undefined && res.getHeaderNames().length === 0) {
      // Nothing set on `res` yet and no name twice, so nothing to merge: one writeHead
      // with every header costs less than a setHeader each (a few µs of W2's ~30).
      writeAllHeaders(res, status, headerList(headers, cookie, length));
    } else {
      res.statusCode = status;
      addSecurityHeaders(res);
      if (cookie) res.appendHeader('Set-Cookie', cookie);
      setHeaders(res, headers);
      if (responseHeaders) setHeaders(res, responseHeaders);
      res.setHeader('Content-Length', length);
    }
    // A string body lets node:http send headers and body in one write (a Buffer costs a
    // writev of two chunks: about a third of a small page's server time in W2's profile).
    if (req.method === 'HEAD' || status === 204 || status === 304) res.end();
    else res.end(body);
  }
}

/** [name, value, …] for writeHead, in the order `#end` sets them one by one. */
function headerList(
  headers: Headers,
  cookie: string | undefined,
  length: number,
): Array<string | string[]> {
  const list: Array<string | string[]> = [...SECURITY_HEADER_LIST];
  if (cookie) list.push('Set-Cookie', cookie);
  for (const name of Object.keys(headers)) list.push(name, headers[name]!);
  list.push('Content-Length', String(length));
  return list;
}

const SECURITY_HEADER_LIST: readonly string[] = Object.entries(securityHeaders).flat();

/**
 * `res.writeHead(status, list)`, leaving `res` as it was when Node refuses a header value
 * (a content type or a redirect URL with a forbidden character): writeHead has set the
 * reason phrase by then, and the 500 view that follows must not inherit it.
 */
function writeAllHeaders(
  res: ServerResponse,
  status: number,
  list: Array<string | string[]>,
): void {
  const statusMessage = res.statusMessage;
  try {
    res.writeHead(status, list);
  } catch (error) {
    res.statusMessage = statusMessage;
    throw error;
  }
}

function setHeaders(res: ServerResponse, headers: Headers): void {
  for (const name of Object.keys(headers)) res.setHeader(name, headers[name]!);
}

function hasHeader(headers: Headers | undefined, lowerName: string): boolean {
  return headers !== undefined && Object.keys(headers).some((n) => n.toLowerCase() === lowerName);
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object')
    return `an object (${(value as object).constructor?.name ?? 'null prototype'})`;
  return `a ${typeof value}`;
}
