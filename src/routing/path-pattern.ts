/**
 * Compiles one route pattern in Lona's syntax (SPEC §3.2) into a matcher and a formatter.
 *
 * - a literal path compares exactly;
 * - `<name>` matches one segment (`[^/]+`);
 * - `<name:REGEX>` matches a custom regex, which may contain `/`;
 * - a trailing `(/)` makes the final slash optional;
 * - `MATCH_ALL` matches every path.
 *
 * Patterns match the raw path (still percent-encoded); captured values are then
 * percent-decoded. Unlike Lona, the literal parts of a patterned route are regex-escaped, so
 * `/a.b/<x>` does not match `/aXb/1`. Literal parts are stored in their raw form: a pattern
 * written as `/café` matches the `/caf%C3%A9` a browser sends.
 *
 * Errors thrown here carry only the reason; router.ts names the route (it knows the name).
 * Ordering, names and `reverse()` lookups are left to router.ts.
 */
import { LonaError } from '../errors.js';

/** The pattern that matches every path. */
export const MATCH_ALL: unique symbol = Symbol('lona-ts.MATCH_ALL');

export type RoutePattern = string | typeof MATCH_ALL;

/** Thrown by the parser; router.ts turns it into LONA_ERR_ROUTE_INVALID_PATTERN. */
export class PatternSyntaxError extends Error {
  override name = 'PatternSyntaxError';
}

interface LiteralPart {
  readonly kind: 'literal';
  /** Raw (percent-encoded) text. */
  readonly text: string;
}

interface CapturePart {
  readonly kind: 'capture';
  readonly name: string;
  /** The regex source: `[^/]+` for `<name>`, the user's for `<name:REGEX>`. */
  readonly source: string;
  /** `<name:REGEX>` values may contain `/`, which reverse() keeps unencoded. */
  readonly custom: boolean;
  /** `^(?:source)$`, for checking reverse() values. */
  readonly check: RegExp;
}

type Part = LiteralPart | CapturePart;

export type FormatErrorReason =
  | { kind: 'missing'; param: string }
  | { kind: 'bad'; param: string; value: string; source: string };

const OPTIONAL_SLASH = '(/)';
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_SOURCE = '[^/]+';
/** Group names we generate; a prefix user regexes are unlikely to use. */
const GROUP_PREFIX = 'lona_c';

/** `MATCH_ALL` or the pattern string, for messages and route listings. */
export function formatPattern(pattern: RoutePattern): string {
  return pattern === MATCH_ALL ? 'MATCH_ALL' : pattern;
}

export class PathPattern {
  readonly raw: RoutePattern;
  /** True for a pattern without captures (and not MATCH_ALL): it can be looked up in a Map. */
  readonly isLiteral: boolean;
  readonly matchesAll: boolean;
  /** A trailing `(/)` was given: the path may end with one extra `/`. */
  readonly optionalTrailingSlash: boolean;
  /** Capture names in pattern order. */
  readonly paramNames: readonly string[];
  readonly #parts: readonly Part[];
  readonly #regex: RegExp | null;

  /** @throws PatternSyntaxError when the pattern is malformed. */
  constructor(raw: RoutePattern) {
    this.raw = raw;
    if (raw === MATCH_ALL) {
      this.isLiteral = false;
      this.matchesAll = true;
      this.optionalTrailingSlash = false;
      this.paramNames = [];
      this.#parts = [];
      this.#regex = null;
      return;
    }
    if (typeof raw !== 'string') {
      throw new PatternSyntaxError(`a pattern is a string or MATCH_ALL, got ${typeof raw}`);
    }
    this.matchesAll = false;
    this.optionalTrailingSlash = raw.endsWith(OPTIONAL_SLASH);
    const body = this.optionalTrailingSlash ? raw.slice(0, -OPTIONAL_SLASH.length) : raw;
    this.#parts = parse(body);
    const captures = this.#parts.filter((p): p is CapturePart => p.kind === 'capture');
    this.paramNames = captures.map((c) => c.name);
    this.isLiteral = captures.length === 0;
    this.#regex = this.isLiteral ? null : compile(this.#parts);
  }

  /** The raw path of a literal pattern, without the optional slash. */
  get literalPath(): string | null {
    if (!this.isLiteral) return null;
    return this.#parts.map((p) => (p.kind === 'literal' ? p.text : '')).join('');
  }

  /**
   * Matches a raw path (the URL's pathname, still percent-encoded, no query). Returns the
   * decoded captures, or null.
   * @throws LonaError LONA_ERR_HTTP_BAD_URL when a captured value is badly encoded.
   */
  match(rawPath: string): Record<string, string> | null {
    if (this.matchesAll) return {};
    // Strip the optional slash first, so a greedy custom regex (`<path:.*>(/)`) does not
    // swallow it; fall back to the full path for patterns that end in `/` themselves.
    if (this.optionalTrailingSlash && rawPath.length > 1 && rawPath.endsWith('/')) {
      const stripped = this.#matchExact(rawPath.slice(0, -1), rawPath);
      if (stripped) return stripped;
    }
    return this.#matchExact(rawPath, rawPath);
  }

  #matchExact(path: string, fullPath: string): Record<string, string> | null {
    if (this.#regex === null) return path === this.literalPath ? {} : null;
    const groups = this.#regex.exec(path)?.groups;
    if (!groups) return null;
    const params: Record<string, string> = {};
    this.paramNames.forEach((name, i) => {
      params[name] = decodeParam(groups[GROUP_PREFIX + i] ?? '', fullPath);
    });
    return params;
  }

  /**
   * Builds a raw path from params: `<name>` values are encoded with encodeURIComponent,
   * `<name:REGEX>` values the same but keeping `/`. Each encoded value must match its
   * capture's regex. Returns the path, or why it could not be built.
   */
  format(params: Readonly<Record<string, unknown>>): string | FormatErrorReason {
    let out = '';
    for (const part of this.#parts) {
      if (part.kind === 'literal') {
        out += part.text;
        continue;
      }
      const value = params[part.name];
      if (value === undefined || value === null) return { kind: 'missing', param: part.name };
      const text = String(value);
      const encoded = part.custom
        ? encodeURIComponent(text).replace(/%2F/g, '/')
        : encodeURIComponent(text);
      if (!part.check.test(encoded)) {
        return { kind: 'bad', param: part.name, value: text, source: part.source };
      }
      out += encoded;
    }
    return out;
  }
}

function decodeParam(value: string, fullPath: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new LonaError('LONA_ERR_HTTP_BAD_URL', { url: fullPath });
  }
}

/** Splits a pattern body into literal text and captures. */
function parse(body: string): Part[] {
  const parts: Part[] = [];
  const seen = new Set<string>();
  let literal = '';
  let i = 0;
  while (i < body.length) {
    const ch = body[i] as string;
    if (ch !== '<') {
      literal += ch;
      i++;
      continue;
    }
    if (literal) parts.push({ kind: 'literal', text: toRawPath(literal) });
    literal = '';
    const { part, end } = parseCapture(body, i);
    if (seen.has(part.name)) throw new PatternSyntaxError(`the name '${part.name}' is used twice`);
    seen.add(part.name);
    parts.push(part);
    i = end;
  }
  if (literal) parts.push({ kind: 'literal', text: toRawPath(literal) });
  return parts;
}

/** Parses `<name>` or `<name:REGEX>` starting at `start` (the `<`); returns the index after `>`. */
function parseCapture(body: string, start: number): { part: CapturePart; end: number } {
  const head = /^<([^:>]*)(:|>)/.exec(body.slice(start));
  if (!head) throw new PatternSyntaxError(`'<' at position ${start} is never closed with '>'`);
  const name = head[1] as string;
  if (!NAME_RE.test(name)) {
    throw new PatternSyntaxError(
      `'${name}' is not a valid parameter name (use letters, digits, _)`,
    );
  }
  const afterHead = start + head[0].length;
  if (head[2] === '>') {
    return { part: capture(name, DEFAULT_SOURCE, false), end: afterHead };
  }
  const close = findRegexEnd(body, afterHead);
  if (close === -1) {
    throw new PatternSyntaxError(`'<${name}:' at position ${start} is never closed with '>'`);
  }
  const source = body.slice(afterHead, close);
  if (!source) throw new PatternSyntaxError(`'<${name}:>' has an empty regex`);
  return { part: capture(name, source, true), end: close + 1 };
}

/**
 * Finds the `>` that ends a custom regex: the first one outside parentheses, outside a
 * character class and not escaped. So `(?<id>\d+)`, `(?<=a)`, `[<>]` and `\>` stay inside.
 */
function findRegexEnd(body: string, from: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') {
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      if (depth > 0) depth--;
    } else if (ch === '>' && depth === 0) {
      return i;
    }
  }
  return -1;
}

function capture(name: string, source: string, custom: boolean): CapturePart {
  let check: RegExp;
  try {
    check = new RegExp(`^(?:${source})$`);
  } catch (error) {
    throw new PatternSyntaxError(
      `the regex of '<${name}>' is invalid: ${(error as Error).message}`,
    );
  }
  return { kind: 'capture', name, source, custom, check };
}

function compile(parts: readonly Part[]): RegExp {
  let index = 0;
  const source = parts
    .map((p) =>
      p.kind === 'literal' ? escapeRegExp(p.text) : `(?<${GROUP_PREFIX}${index++}>${p.source})`,
    )
    .join('');
  try {
    return new RegExp(`^${source}$`);
  } catch (error) {
    // Each regex compiled alone; together they can still clash (a user group named lona_c0).
    throw new PatternSyntaxError(`the pattern's regex is invalid: ${(error as Error).message}`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Percent-encodes what a browser encodes in a path (the WHATWG path percent-encode set:
 * controls, space, non-ASCII, `"`, backtick, `{`, `}`), so literal text compares with the
 * raw path. `%XX` the user wrote is kept as written.
 */
function toRawPath(text: string): string {
  return text.replace(/(?:[^\x21-\x7e]|["`{}])+/gu, (chars) => {
    try {
      return encodeURIComponent(chars);
    } catch {
      throw new PatternSyntaxError('the pattern contains a lone surrogate');
    }
  });
}
