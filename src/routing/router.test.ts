import { describe, it, expect } from 'vitest';
import { LonaError } from '../errors.js';
import { MATCH_ALL } from './path-pattern.js';
import { Router } from './router.js';

function caught(fn: () => unknown): LonaError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LonaError) return error;
    throw error;
  }
  throw new Error('expected a LonaError');
}

describe('Router', () => {
  describe('#add', () => {
    it('fills in the route defaults', () => {
      const router = new Router();
      const route = router.add({ pattern: '/', view: 'home' });
      expect(route).toMatchObject({
        pattern: '/',
        view: 'home',
        interactive: true,
        httpPassThrough: false,
      });
      expect(router.routes).toEqual([route]);
    });

    it('rejects a duplicate name, naming both patterns', () => {
      const router = new Router();
      router.add({ pattern: '/users/<id>', view: 1, name: 'user' });
      const error = caught(() => router.add({ pattern: '/people/<id>', view: 2, name: 'user' }));
      expect(error.code).toBe('LONA_ERR_ROUTE_DUPLICATE_NAME');
      expect(error.message).toContain("'/users/<id>'");
      expect(error.message).toContain("'/people/<id>'");
      expect(router.routes).toHaveLength(1);
    });

    it('rejects an invalid regex, naming the route and giving the RegExp error', () => {
      const router = new Router();
      const error = caught(() => router.add({ pattern: '/n/<id:(\\d+))>', view: 1, name: 'num' }));
      expect(error.code).toBe('LONA_ERR_ROUTE_INVALID_PATTERN');
      expect(error.message).toContain("'/n/<id:(\\d+))>' (named 'num')");
      expect(error.message).toMatch(/Invalid regular expression|Unmatched/);
    });

    it('rejects an unbalanced <, naming the route', () => {
      const router = new Router();
      const error = caught(() => router.add({ pattern: '/a/<id', view: 1 }));
      expect(error.code).toBe('LONA_ERR_ROUTE_INVALID_PATTERN');
      expect(error.message).toContain("'/a/<id'");
      expect(error.message).toContain('never closed');
    });
  });

  describe('#resolve', () => {
    it('resolves literal routes', () => {
      const router = new Router();
      const home = router.add({ pattern: '/', view: 'home' });
      const about = router.add({ pattern: '/about', view: 'about' });
      expect(router.resolve('/')).toEqual({ route: home, matchInfo: {} });
      expect(router.resolve('/about')).toEqual({ route: about, matchInfo: {} });
      expect(router.resolve('/about/')).toBeNull();
      expect(router.resolve('/nope')).toBeNull();
    });

    it('resolves routes with arguments', () => {
      const router = new Router();
      const user = router.add({ pattern: '/users/<id>/<tab>', view: 'user' });
      expect(router.resolve('/users/7/posts')).toEqual({
        route: user,
        matchInfo: { id: '7', tab: 'posts' },
      });
    });

    it('resolves regex arguments that span slashes', () => {
      const router = new Router();
      router.add({ pattern: '/files/<path:.+\\.txt>', view: 'files' });
      expect(router.resolve('/files/a/b/c.txt')?.matchInfo).toEqual({ path: 'a/b/c.txt' });
      expect(router.resolve('/files/a/b/c.png')).toBeNull();
    });

    it('resolves optional trailing slashes with and without arguments', () => {
      const router = new Router();
      router.add({ pattern: '/list(/)', view: 'list' });
      router.add({ pattern: '/item/<id>(/)', view: 'item' });
      expect(router.resolve('/list')?.route.view).toBe('list');
      expect(router.resolve('/list/')?.route.view).toBe('list');
      expect(router.resolve('/item/3/')?.matchInfo).toEqual({ id: '3' });
      expect(router.resolve('/item/3')?.matchInfo).toEqual({ id: '3' });
    });

    it('requires a slash that is not marked optional', () => {
      const router = new Router();
      router.add({ pattern: '/dir/', view: 'dir' });
      expect(router.resolve('/dir/')?.route.view).toBe('dir');
      expect(router.resolve('/dir')).toBeNull();
    });

    it('matches everything with MATCH_ALL', () => {
      const router = new Router();
      router.add({ pattern: '/', view: 'home' });
      router.add({ pattern: MATCH_ALL, view: 'fallback' });
      expect(router.resolve('/')?.route.view).toBe('home');
      expect(router.resolve('/x/y/z')).toMatchObject({
        route: { view: 'fallback' },
        matchInfo: {},
      });
    });

    it('returns the first matching route in table order', () => {
      const router = new Router();
      router.add({ pattern: '/a/<x>', view: 'pattern-first' });
      router.add({ pattern: '/a/b', view: 'literal' });
      router.add({ pattern: '/a/b', view: 'literal-again' });
      router.add({ pattern: '/c', view: 'literal-first' });
      router.add({ pattern: '/<x>', view: 'pattern-after' });
      router.add({ pattern: MATCH_ALL, view: 'all' });
      expect(router.resolve('/a/b')?.route.view).toBe('pattern-first');
      expect(router.resolve('/c')?.route.view).toBe('literal-first');
      expect(router.resolve('/d')?.route.view).toBe('pattern-after');
      expect(router.resolve('/d/e')?.route.view).toBe('all');
    });

    it('lets MATCH_ALL shadow later literal routes', () => {
      const router = new Router();
      router.add({ pattern: MATCH_ALL, view: 'all' });
      router.add({ pattern: '/late', view: 'late' });
      expect(router.resolve('/late')?.route.view).toBe('all');
    });

    it('percent-decodes captured values', () => {
      const router = new Router();
      router.add({ pattern: '/q/<term>', view: 'q' });
      expect(router.resolve('/q/a%20b%2Fc%C3%A9')?.matchInfo).toEqual({ term: 'a b/cé' });
    });

    it('throws LONA_ERR_HTTP_BAD_URL for bad percent-encoding in a captured value', () => {
      const router = new Router();
      router.add({ pattern: '/q/<term>', view: 'q' });
      expect(caught(() => router.resolve('/q/%C3')).code).toBe('LONA_ERR_HTTP_BAD_URL');
    });
  });

  describe('#reverse', () => {
    const router = new Router();
    router.add({ pattern: '/', view: 0, name: 'home' });
    router.add({ pattern: '/list(/)', view: 0, name: 'list' });
    router.add({ pattern: '/users/<id>(/)', view: 0, name: 'user' });
    router.add({ pattern: '/n/<id:\\d+>', view: 0, name: 'number' });
    router.add({ pattern: '/files/<path:.+>', view: 0, name: 'file' });
    router.add({ pattern: MATCH_ALL, view: 0, name: 'all' });

    it('returns a literal route path without the optional slash', () => {
      expect(router.reverse('home')).toBe('/');
      expect(router.reverse('list')).toBe('/list');
    });

    it('fills in <name> parameters with encodeURIComponent', () => {
      expect(router.reverse('user', { id: 'a b/c' })).toBe('/users/a%20b%2Fc');
      expect(router.reverse('user', { id: 12 })).toBe('/users/12');
    });

    it('fills in custom-regex parameters keeping slashes', () => {
      expect(router.reverse('file', { path: 'docs/read me.txt' })).toBe(
        '/files/docs/read%20me.txt',
      );
      expect(router.reverse('number', { id: 42 })).toBe('/n/42');
    });

    it('round-trips through resolve', () => {
      const path = router.reverse('user', { id: 'é/?#' });
      expect(router.resolve(path)?.matchInfo).toEqual({ id: 'é/?#' });
    });

    it('throws LONA_ERR_ROUTE_MISSING_PARAM for a missing parameter', () => {
      const error = caught(() => router.reverse('user'));
      expect(error.code).toBe('LONA_ERR_ROUTE_MISSING_PARAM');
      expect(error.message).toBe("reverse('user') needs the parameter 'id' for '/users/<id>(/)'.");
    });

    it('throws LONA_ERR_ROUTE_BAD_PARAM for a value its regex refuses', () => {
      const error = caught(() => router.reverse('number', { id: 'abc' }));
      expect(error.code).toBe('LONA_ERR_ROUTE_BAD_PARAM');
      expect(error.message).toContain('"abc"');
      expect(error.message).toContain('\\d+');
    });

    it('throws LONA_ERR_ROUTE_UNKNOWN_NAME listing known names', () => {
      const error = caught(() => router.reverse('usr'));
      expect(error.code).toBe('LONA_ERR_ROUTE_UNKNOWN_NAME');
      expect(error.message).toContain("No route is named 'usr'");
      expect(error.message).toContain("'home', 'list', 'user', 'number', 'file', and 1 more");
    });

    it('throws LONA_ERR_ROUTE_NOT_REVERSIBLE for a MATCH_ALL route', () => {
      expect(caught(() => router.reverse('all')).code).toBe('LONA_ERR_ROUTE_NOT_REVERSIBLE');
    });
  });
});
