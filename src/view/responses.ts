/**
 * Response classes a view may return (SPEC §3.6), and `toHttpResponse()`, which turns any
 * value `handleRequest()` returns into status, headers and body for the HTTP server.
 * Rendering templates and streaming files is left to the server; this module only
 * describes what to send.
 */
import type { BaseNode } from '../html/base-node.js';
import { LonaError } from '../errors.js';

export type Headers = Record<string, string | string[]>;

export interface ResponseOptions {
  status?: number;
  headers?: Headers;
  contentType?: string;
}

/** The generic response: any status, headers and body (string or bytes). */
export class Response {
  readonly status: number | undefined;
  readonly headers: Headers | undefined;
  readonly contentType: string | undefined;
  readonly body: string | Uint8Array;

  constructor(init: ResponseOptions & { body?: string | Uint8Array } = {}) {
    this.status = init.status;
    this.headers = init.headers;
    this.contentType = init.contentType;
    this.body = init.body ?? '';
  }

  /** True when the response uses something only plain HTTP can carry (custom status, headers, bytes). */
  get needsHttp(): boolean {
    return (
      this.status !== undefined ||
      this.headers !== undefined ||
      this.contentType !== undefined ||
      typeof this.body !== 'string'
    );
  }
}

/** HTML from a string (trusted markup) or a node. */
export class HtmlResponse extends Response {
  readonly html: string | BaseNode;
  constructor(html: string | BaseNode, options: ResponseOptions = {}) {
    super(options);
    this.html = html;
  }
}

/** A template from TEMPLATE_DIRS rendered with a context (autoescaped). */
export class TemplateResponse extends Response {
  readonly templateName: string;
  readonly context: Record<string, unknown>;
  constructor(name: string, context: Record<string, unknown> = {}, options: ResponseOptions = {}) {
    super(options);
    this.templateName = name;
    this.context = context;
  }
}

/** A template given as a string (trusted input) rendered with a context. */
export class TemplateStringResponse extends Response {
  readonly source: string;
  readonly context: Record<string, unknown>;
  constructor(
    source: string,
    context: Record<string, unknown> = {},
    options: ResponseOptions = {},
  ) {
    super(options);
    this.source = source;
    this.context = context;
  }
}

/** JSON (non-interactive views only). */
export class JsonResponse extends Response {
  readonly data: unknown;
  constructor(data: unknown, options: ResponseOptions = {}) {
    super(options);
    this.data = data;
  }
  override get needsHttp(): boolean {
    return true;
  }
}

export interface FileResponseOptions extends ResponseOptions {
  /** A directory the path must stay inside; a path outside it is an error. */
  root?: string;
  /** Send `Content-Disposition: attachment` with this file name. */
  downloadName?: string;
}

/** A file streamed from disk (non-interactive views only). */
export class FileResponse extends Response {
  readonly path: string;
  readonly root: string | undefined;
  readonly downloadName: string | undefined;
  constructor(path: string, options: FileResponseOptions = {}) {
    super(options);
    this.path = path;
    this.root = options.root;
    this.downloadName = options.downloadName;
  }
  override get needsHttp(): boolean {
    return true;
  }
}

/** Navigate inside the app: no page reload in interactive views; 302 over HTTP. */
export class RedirectResponse extends Response {
  readonly url: string;
  constructor(url: string, options: ResponseOptions = {}) {
    super(options);
    this.url = url;
  }
}

/** Full navigation (a page load); 302 (or `status`) over HTTP. */
export class HttpRedirectResponse extends Response {
  readonly url: string;
  constructor(url: string, options: ResponseOptions = {}) {
    super(options);
    this.url = url;
  }
}

/** Everything `handleRequest()` may return. */
export type ViewResult = string | BaseNode | Response | undefined | null | void;

/** Names a response kind for error messages. */
export function responseKind(value: Response): string {
  return value.constructor.name;
}

/** Throws the interactive-view error for responses that need plain HTTP. */
export function assertInteractiveResponse(value: Response): void {
  if (value instanceof RedirectResponse || value instanceof HttpRedirectResponse) {
    if (value.headers === undefined && value.status === undefined) return;
  } else if (!value.needsHttp) {
    return;
  }
  throw new LonaError('LONA_ERR_RESPONSE_NOT_INTERACTIVE', { kind: responseKind(value) });
}
