/**
 * The `Request` a view sees (SPEC §11): URL, method, query, post data, headers, the route
 * and its matchInfo, the user. Built by the server for HTTP requests and (later) for view
 * starts over the WebSocket; it holds data only and does no I/O.
 */
import { randomUUID } from 'node:crypto';
import type { Route } from '../routing/route.js';

export type FormData = Record<string, string | string[]>;

export interface RequestInit {
  url: URL;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  route: Route | null;
  matchInfo: Record<string, string>;
  interactive: boolean;
  post?: FormData;
  body?: Buffer;
  user?: unknown;
  sessionKey?: string | null;
}

/**
 * The id, the query and the body are made on first read: many views never read them, and
 * they cost a good part of building a request on a small page.
 */
export class Request {
  /** The requested URL, on the server's own origin. */
  readonly url: URL;
  /** 'GET', 'POST', ... (upper case). */
  readonly method: string;
  /** Form fields of a POST (urlencoded), else `{}`. */
  readonly post: FormData;
  /** Request headers, lower-case names. */
  readonly headers: Record<string, string | string[] | undefined>;
  /** The matched route, or null (404 views). */
  readonly route: Route | null;
  /** Values captured by the route pattern, percent-decoded. */
  readonly matchInfo: Record<string, string>;
  /** True when the view runs over the WebSocket. */
  readonly interactive: boolean;
  /** The session key (null when SESSIONS is off or none was sent). */
  readonly sessionKey: string | null;
  /** The user: an anonymous user bound to the session until a middleware sets one. */
  user: unknown;
  #id: string | undefined;
  /** The query string as it was when the request was made (`url` is a mutable URL). */
  readonly #search: string;
  #query: FormData | undefined;
  #body: Buffer | undefined;

  constructor(init: RequestInit) {
    this.url = init.url;
    this.#search = init.url.search;
    this.method = init.method.toUpperCase();
    this.post = init.post ?? {};
    this.headers = init.headers;
    this.route = init.route;
    this.matchInfo = init.matchInfo;
    this.interactive = init.interactive;
    this.user = init.user ?? null;
    this.sessionKey = init.sessionKey ?? null;
    this.#body = init.body;
  }

  /** A random id, unique per request (also per view start). */
  get id(): string {
    return (this.#id ??= randomUUID());
  }

  /** The query string, one entry per name (repeated names become arrays). */
  get query(): FormData {
    return (this.#query ??= searchParamsToForm(new URLSearchParams(this.#search)));
  }

  /** The raw request body (non-interactive views; empty otherwise). */
  get body(): Buffer {
    return (this.#body ??= Buffer.alloc(0));
  }

  /** The body parsed as JSON; throws a SyntaxError on malformed JSON. */
  json(): unknown {
    return JSON.parse(this.body.toString('utf8'));
  }

  /** The body as UTF-8 text. */
  text(): string {
    return this.body.toString('utf8');
  }
}

/** URLSearchParams → record; a repeated name becomes an array, in order. */
export function searchParamsToForm(params: URLSearchParams): FormData {
  const form: FormData = Object.create(null);
  for (const [key, value] of params) {
    const existing = form[key];
    if (existing === undefined) form[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else form[key] = [existing, value];
  }
  return form;
}
