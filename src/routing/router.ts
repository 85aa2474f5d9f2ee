/**
 * The route table: `add()` (validated at startup), `resolve()` (first match wins) and
 * `reverse()` (SPEC §3.2).
 *
 * Each pattern is compiled once, in `add()`. Literal routes also go into a Map keyed by their
 * raw path, so most lookups cost one Map hit plus a scan of only the patterned routes added
 * before it; order semantics stay those of a plain first-match scan. Knowing about HTTP
 * methods, views and status codes is left to the server; pattern syntax to path-pattern.ts.
 */
import { LonaError } from '../errors.js';
import { PathPattern, PatternSyntaxError, formatPattern } from './path-pattern.js';
import { createRoute, describeRoute, type Route, type RouteInit } from './route.js';

export interface ResolveResult {
  route: Route;
  /** The captured values, percent-decoded. */
  matchInfo: Record<string, string>;
}

interface Entry {
  readonly index: number;
  readonly route: Route;
  readonly pattern: PathPattern;
}

/** How many names an unknown-name error lists. */
const KNOWN_NAMES_SHOWN = 5;

export class Router {
  readonly #entries: Entry[] = [];
  /** Raw path → the first literal route matching it exactly. */
  readonly #literal = new Map<string, Entry>();
  /** Routes that need a regex (or MATCH_ALL), in table order. */
  readonly #patterned: Entry[] = [];
  readonly #byName = new Map<string, Entry>();

  /** The routes in table order (what `lona-ts routes` lists). */
  get routes(): readonly Route[] {
    return this.#entries.map((e) => e.route);
  }

  /**
   * Adds a route at the end of the table.
   * @throws LonaError LONA_ERR_ROUTE_INVALID_PATTERN, LONA_ERR_ROUTE_DUPLICATE_NAME
   */
  add(init: RouteInit): Route {
    const route = createRoute(init);
    let pattern: PathPattern;
    try {
      pattern = new PathPattern(route.pattern);
    } catch (error) {
      if (!(error instanceof PatternSyntaxError)) throw error;
      throw new LonaError(
        'LONA_ERR_ROUTE_INVALID_PATTERN',
        { pattern: describeRoute(route), reason: error.message },
        { cause: error },
      );
    }
    if (route.name !== undefined) {
      const existing = this.#byName.get(route.name);
      if (existing) {
        throw new LonaError('LONA_ERR_ROUTE_DUPLICATE_NAME', {
          name: route.name,
          existing: `'${formatPattern(existing.route.pattern)}'`,
          pattern: `'${formatPattern(route.pattern)}'`,
        });
      }
    }

    const entry: Entry = { index: this.#entries.length, route, pattern };
    this.#entries.push(entry);
    if (route.name !== undefined) this.#byName.set(route.name, entry);
    const path = pattern.literalPath;
    if (path === null) {
      this.#patterned.push(entry);
    } else {
      this.#addLiteral(path, entry);
      if (pattern.optionalTrailingSlash) this.#addLiteral(path + '/', entry);
    }
    return route;
  }

  #addLiteral(path: string, entry: Entry): void {
    // An earlier literal route for the same path keeps winning.
    if (!this.#literal.has(path)) this.#literal.set(path, entry);
  }

  /**
   * Finds the first route matching a raw path (the URL's pathname, still percent-encoded,
   * without the query).
   * @throws LonaError LONA_ERR_HTTP_BAD_URL when a captured value is badly encoded.
   */
  resolve(rawPath: string): ResolveResult | null {
    const literal = this.#literal.get(rawPath);
    // A patterned route added before the literal one still wins, as in a plain scan.
    const limit = literal ? literal.index : Infinity;
    for (const entry of this.#patterned) {
      if (entry.index > limit) break;
      const matchInfo = entry.pattern.match(rawPath);
      if (matchInfo) return { route: entry.route, matchInfo };
    }
    return literal ? { route: literal.route, matchInfo: {} } : null;
  }

  /**
   * The raw path of a named route, with `params` percent-encoded into its captures.
   * @throws LonaError LONA_ERR_ROUTE_UNKNOWN_NAME, LONA_ERR_ROUTE_MISSING_PARAM,
   *   LONA_ERR_ROUTE_BAD_PARAM, LONA_ERR_ROUTE_NOT_REVERSIBLE
   */
  reverse(name: string, params: Readonly<Record<string, string | number>> = {}): string {
    const entry = this.#byName.get(name);
    if (!entry) {
      const names = [...this.#byName.keys()];
      const known = names.slice(0, KNOWN_NAMES_SHOWN).map((n) => `'${n}'`);
      if (names.length > KNOWN_NAMES_SHOWN)
        known.push(`and ${names.length - KNOWN_NAMES_SHOWN} more`);
      throw new LonaError('LONA_ERR_ROUTE_UNKNOWN_NAME', { name, known: known.join(', ') });
    }
    const { pattern } = entry;
    if (pattern.matchesAll) throw new LonaError('LONA_ERR_ROUTE_NOT_REVERSIBLE', { name });
    const result = pattern.format(params);
    if (typeof result === 'string') return result;
    const shown = `'${formatPattern(pattern.raw)}'`;
    if (result.kind === 'missing') {
      throw new LonaError('LONA_ERR_ROUTE_MISSING_PARAM', {
        name,
        param: result.param,
        pattern: shown,
      });
    }
    throw new LonaError('LONA_ERR_ROUTE_BAD_PARAM', {
      name,
      param: result.param,
      value: JSON.stringify(result.value),
      pattern: `/${result.source}/ (from ${shown})`,
    });
  }
}
