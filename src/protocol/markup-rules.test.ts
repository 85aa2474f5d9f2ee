import { describe, it, expect } from 'vitest';
import { attributeUrls, checkAttribute, isSafeUrl, srcsetUrls } from './markup-rules.js';

describe('isSafeUrl', () => {
  it('accepts http(s), mailto, tel and relative URLs', () => {
    for (const url of [
      'https://a.example/x',
      'HTTP://a.example',
      'mailto:x@y.z',
      'tel:+1',
      '/path?q=a:b',
      './a:b',
      '?x',
      '#top',
      '//cdn.example/x.js',
      '',
    ]) {
      expect(isSafeUrl(url, 'a'), url).toBe(true);
    }
  });

  it('refuses other schemes, also hidden behind whitespace, controls and case', () => {
    for (const url of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      '\u0000javascript:x',
      'java\nscript:x',
      'JAVASCRIPT:x',
      'vbscript:x',
      'data:text/html,<script>x</script>',
      'file:///etc/passwd',
      'foo:bar',
    ]) {
      expect(isSafeUrl(url, 'a'), url).toBe(false);
    }
  });

  it('accepts data:image URLs on images only', () => {
    expect(isSafeUrl('data:image/png;base64,AA', 'img')).toBe(true);
    expect(isSafeUrl('DATA:IMAGE/svg+xml,<svg/>', 'IMG')).toBe(true);
    expect(isSafeUrl('data:image/png;base64,AA', 'a')).toBe(false);
    expect(isSafeUrl('data:image/svg+xml,<svg/>', 'iframe')).toBe(false);
  });
});

describe('srcsetUrls', () => {
  it('splits image candidates, keeping commas inside URLs', () => {
    expect(srcsetUrls('a.png 1x, b.png 2x,c.png')).toEqual(['a.png', 'b.png', 'c.png']);
    expect(srcsetUrls('data:image/png;base64,AA,BB 1x, x.png 100w')).toEqual([
      'data:image/png;base64,AA,BB',
      'x.png',
    ]);
    expect(srcsetUrls('a.png, b.png')).toEqual(['a.png', 'b.png']);
  });
});

describe('checkAttribute', () => {
  it('refuses invalid names, event handlers and unsafe URLs with a reason', () => {
    expect(checkAttribute('div', 'title', 'x')).toBeNull();
    expect(checkAttribute('div', 'data-x.y:z', 'x')).toBeNull();
    expect(checkAttribute('div', '1x', 'x')).toMatch(/invalid attribute name/);
    expect(checkAttribute('div', 'a b', 'x')).toMatch(/invalid attribute name/);
    expect(checkAttribute('div', 'onClick', 'x')).toMatch(/event handler/);
    expect(checkAttribute('a', 'HREF', 'javascript:x')).toMatch(/unsafe URL/);
    expect(checkAttribute('img', 'srcset', 'a.png 1x, javascript:x 2x')).toMatch(/unsafe URL/);
    expect(checkAttribute('svg', 'xlink:href', '#id')).toBeNull();
  });
});

describe('srcdoc (a whole document in an attribute value)', () => {
  it('is refused on every element, whatever its case, value or sandbox', () => {
    for (const [tag, name, value] of [
      ['iframe', 'srcdoc', '<script>parent.__xss=1</script>'],
      ['iframe', 'SrcDoc', '<p>harmless</p>'],
      ['IFRAME', 'SRCDOC', ''],
      ['div', 'srcdoc', 'x'],
    ]) {
      expect(checkAttribute(tag!, name!, value!), `${tag} ${name}`).toMatch(
        /holds a whole document/,
      );
    }
    expect(checkAttribute('iframe', 'src', '/doc')).toBeNull();
    expect(checkAttribute('iframe', 'sandbox', '')).toBeNull();
    expect(checkAttribute('iframe', 'data-srcdoc', '<script>x</script>')).toBeNull();
  });
});

describe('SVG animation values', () => {
  const animations = ['animate', 'set', 'animateMotion', 'animateTransform', 'ANIMATE', 'Set'];

  it('pass when every value is a safe URL or no URL at all', () => {
    for (const tag of animations) {
      for (const [name, value] of [
        ['values', '0;1'],
        ['values', '0; 0.5 ;1;'],
        ['values', 'red;blue'],
        ['values', '#a;#b;/c.svg#d;https://x.example/e.svg#f'],
        ['values', 'translate(10 20);rotate(45)'],
        ['to', '10px'],
        ['from', 'red'],
        ['by', '5'],
        ['to', '#target'],
        ['to', 'other.html'],
        ['to', 'https://a.example/'],
        ['attributeName', 'href'],
        ['title', 'javascript:x'], // not a value the animation sets
      ]) {
        expect(checkAttribute(tag, name!, value!), `<${tag} ${name}="${value}">`).toBeNull();
      }
    }
  });

  it('refuse javascript:, data:text/html and other schemes however spelt, in any value', () => {
    for (const tag of animations) {
      for (const [name, value] of [
        ['values', 'javascript:window.__xss=1'],
        ['values', '0;javascript:window.__xss=1'],
        ['values', '#a; JaVaScRiPt:x ;#b'],
        ['values', '#a;java\tscript:x'],
        ['values', '#a;\u2003javascript:x'],
        ['values', '#a;\u00a0javascript:x'],
        ['VALUES', '\u0001javascript:x'],
        ['to', 'javascript:x'],
        ['to', ' java\nscript:x'],
        ['To', 'data:text/html,<script>x</script>'],
        ['from', 'vbscript:x'],
        ['by', 'javascript:x'],
        ['to', 'data:image/svg+xml,<svg/>'], // data:image only on images
      ]) {
        expect(
          checkAttribute(tag, name!, value!),
          `<${tag} ${name}=${JSON.stringify(value)}>`,
        ).toMatch(/unsafe URL/);
      }
    }
  });

  it('are URLs only on animation elements', () => {
    expect(attributeUrls('animate', 'values', 'a; b ;c')).toEqual(['a', 'b', 'c']);
    expect(attributeUrls('animateTransform', 'by', ' x ')).toEqual(['x']);
    expect(attributeUrls('a', 'href', ' x ')).toEqual([' x ']);
    expect(attributeUrls('img', 'srcset', 'a.png 1x, b.png 2x')).toEqual(['a.png', 'b.png']);
    for (const [tag, name] of [
      ['feColorMatrix', 'values'],
      ['div', 'to'],
      ['animate', 'attributeName'],
      ['animate', 'begin'],
      ['animation', 'values'],
    ]) {
      expect(attributeUrls(tag!, name!, 'javascript:x'), `${tag} ${name}`).toEqual([]);
      expect(checkAttribute(tag!, name!, 'javascript:x')).toBeNull();
    }
  });
});
