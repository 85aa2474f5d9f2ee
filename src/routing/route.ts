/**
 * A route: a pattern, the view it leads to and how it is served (SPEC §3.1, §3.2).
 *
 * The view is opaque here: routing/ never looks at it, so it knows nothing about views or
 * HTTP. Checking that the view is a View class (or a pass-through function) is left to
 * `app.route()`; compiling and matching the pattern to router.ts and path-pattern.ts.
 */
import { formatPattern, type RoutePattern } from './path-pattern.js';

export type { RoutePattern } from './path-pattern.js';

/** What a route leads to: a View class, or with httpPassThrough a `(req, res)` function. */
export type RouteView = unknown;

/** What `router.add()` takes; the flags get their defaults there. */
export interface RouteInit {
  pattern: RoutePattern;
  view: RouteView;
  /** A unique name, for `reverse()`. */
  name?: string | undefined;
  /** false: served over plain HTTP only. @default true */
  interactive?: boolean | undefined;
  /** true: the view gets Node's raw request and response. @default false */
  httpPassThrough?: boolean | undefined;
  /** A view that renders this route's frontend shell instead of the app's. */
  frontendView?: unknown;
}

/** A route as the router holds it. */
export interface Route {
  readonly pattern: RoutePattern;
  readonly view: RouteView;
  readonly name?: string | undefined;
  readonly interactive: boolean;
  readonly httpPassThrough: boolean;
  readonly frontendView?: unknown;
}

/** Fills in the defaults; the result is frozen so a listed route cannot be changed. */
export function createRoute(init: RouteInit): Route {
  return Object.freeze({
    pattern: init.pattern,
    view: init.view,
    name: init.name || undefined,
    interactive: init.interactive ?? true,
    httpPassThrough: init.httpPassThrough ?? false,
    frontendView: init.frontendView,
  });
}

/** `'/users/<id>' (named 'user')`, for error messages. */
export function describeRoute(route: Pick<Route, 'pattern' | 'name'>): string {
  const pattern = `'${formatPattern(route.pattern)}'`;
  return route.name ? `${pattern} (named '${route.name}')` : pattern;
}
