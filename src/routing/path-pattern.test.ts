import { describe, it, expect } from 'vitest';
import { LonaError } from '../errors.js';
import { MATCH_ALL, PathPattern, PatternSyntaxError, formatPattern } from './path-pattern.js';

describe('PathPattern', () => {
  describe('literal patterns', () => {
    it('matches only the exact path', () => {
      const p = new PathPattern('/foo/bar');
      expect(p.isLiteral).toBe(true);
      expect(p.match('/foo/bar')).toEqual({});
      expect(p.match('/foo/bar/')).toBeNull();
      expect(p.match('/foo')).toBeNull();
      expect(p.match('/FOO/bar')).toBeNull();
    });

    it('accepts one extra trailing slash with (/)', () => {
      const p = new PathPattern('/foo(/)');
      expect(p.literalPath).toBe('/foo');
      expect(p.match('/foo')).toEqual({});
      expect(p.match('/foo/')).toEqual({});
      expect(p.match('/foo//')).toBeNull();
    });

    it('stores non-ASCII literal text percent-encoded, as browsers send it', () => {
      const p = new PathPattern('/café au lait');
      expect(p.literalPath).toBe('/caf%C3%A9%20au%20lait');
      expect(p.match('/caf%C3%A9%20au%20lait')).toEqual({});
      expect(new PathPattern('/{a}"b"').literalPath).toBe('/%7Ba%7D%22b%22');
      expect(new PathPattern('/a%20b').literalPath).toBe('/a%20b');
    });
  });

  describe('captures', () => {
    it('matches one segment with <name>', () => {
      const p = new PathPattern('/users/<id>');
      expect(p.isLiteral).toBe(false);
      expect(p.paramNames).toEqual(['id']);
      expect(p.match('/users/42')).toEqual({ id: '42' });
      expect(p.match('/users/42/edit')).toBeNull();
      expect(p.match('/users/')).toBeNull();
    });

    it('matches several captures in one pattern', () => {
      const p = new PathPattern('/<a>/x/<b>');
      expect(p.match('/1/x/2')).toEqual({ a: '1', b: '2' });
    });

    it('matches a custom regex that may contain slashes', () => {
      const p = new PathPattern('/files/<path:.+>');
      expect(p.match('/files/a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
      expect(p.match('/files/')).toBeNull();
    });

    it('anchors custom regexes to the whole path', () => {
      const p = new PathPattern('/n/<id:\\d+>');
      expect(p.match('/n/123')).toEqual({ id: '123' });
      expect(p.match('/n/123x')).toBeNull();
    });

    it('keeps >, < and parentheses inside groups, classes and escapes in the regex', () => {
      const p = new PathPattern('/a/<v:(?<inner>[<>x]+)\\>?>/end');
      expect(p.paramNames).toEqual(['v']);
      expect(p.match('/a/x<>x/end')).toEqual({ v: 'x<>x' });
      expect(p.match('/a/x>/end')).toEqual({ v: 'x>' });
    });

    it('does not let user groups shift the captured values', () => {
      const p = new PathPattern('/<a:(x)(y)?>/<b>');
      expect(p.match('/xy/2')).toEqual({ a: 'xy', b: '2' });
    });

    it('accepts an optional trailing slash after captures without capturing it', () => {
      const p = new PathPattern('/users/<id>(/)');
      expect(p.match('/users/5')).toEqual({ id: '5' });
      expect(p.match('/users/5/')).toEqual({ id: '5' });
      const greedy = new PathPattern('/docs/<path:.*>(/)');
      expect(greedy.match('/docs/a/b/')).toEqual({ path: 'a/b' });
    });

    it('escapes the literal parts of patterned routes', () => {
      const p = new PathPattern('/v1.0/<x>');
      expect(p.match('/v1.0/a')).toEqual({ x: 'a' });
      expect(p.match('/v1x0/a')).toBeNull();
      expect(new PathPattern('/a+/<x>').match('/aa/1')).toBeNull();
    });

    it('matches the raw path and percent-decodes captured values', () => {
      const p = new PathPattern('/tag/<name>');
      expect(p.match('/tag/caf%C3%A9')).toEqual({ name: 'café' });
      // An encoded slash stays inside the one segment.
      expect(p.match('/tag/a%2Fb')).toEqual({ name: 'a/b' });
    });

    it('throws LONA_ERR_HTTP_BAD_URL for badly encoded captured values', () => {
      const p = new PathPattern('/tag/<name>');
      expect(() => p.match('/tag/%E0%A4%A')).toThrow(
        expect.objectContaining({ code: 'LONA_ERR_HTTP_BAD_URL' }),
      );
      expect(() => p.match('/tag/%zz')).toThrow(LonaError);
    });
  });

  describe('MATCH_ALL', () => {
    it('matches every path', () => {
      const p = new PathPattern(MATCH_ALL);
      expect(p.matchesAll).toBe(true);
      expect(p.match('/')).toEqual({});
      expect(p.match('/any/thing%zz')).toEqual({});
      expect(formatPattern(MATCH_ALL)).toBe('MATCH_ALL');
    });
  });

  describe('syntax errors', () => {
    it.each([
      ['/a/<id', 'never closed'],
      ['/a/<id:\\d+', 'never closed'],
      ['/a/<id:(\\d+>', 'never closed'],
      ['/a/<>', 'not a valid parameter name'],
      ['/a/<1x>', 'not a valid parameter name'],
      ['/a/<x:>', 'empty regex'],
      ['/a/<x:[a-z>', 'never closed'],
      ['/a/<x:a{2,1}>', 'invalid'],
      ['/a/<x>/<x>', 'used twice'],
    ])('rejects %s', (raw, reason) => {
      expect(() => new PathPattern(raw)).toThrow(PatternSyntaxError);
      expect(() => new PathPattern(raw)).toThrow(reason);
    });
  });

  describe('#format', () => {
    it('returns literal paths without the optional slash', () => {
      expect(new PathPattern('/foo(/)').format({})).toBe('/foo');
    });

    it('encodes <name> values with encodeURIComponent', () => {
      expect(new PathPattern('/u/<id>(/)').format({ id: 'a b/c' })).toBe('/u/a%20b%2Fc');
      expect(new PathPattern('/u/<id>').format({ id: 7 })).toBe('/u/7');
    });

    it('keeps slashes in custom-regex values', () => {
      expect(new PathPattern('/f/<p:.+>').format({ p: 'a dir/b.txt' })).toBe('/f/a%20dir/b.txt');
    });

    it('reports a missing parameter', () => {
      expect(new PathPattern('/u/<id>').format({})).toEqual({ kind: 'missing', param: 'id' });
    });

    it('reports a value that does not match its regex', () => {
      expect(new PathPattern('/n/<id:\\d+>').format({ id: 'x' })).toEqual({
        kind: 'bad',
        param: 'id',
        value: 'x',
        source: '\\d+',
      });
      expect(new PathPattern('/u/<id>').format({ id: '' })).toMatchObject({ kind: 'bad' });
    });
  });
});
