import { describe, it, expect } from 'vitest';
import { checkAttribute, isSafeUrl, srcsetUrls } from './markup-rules.js';

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
