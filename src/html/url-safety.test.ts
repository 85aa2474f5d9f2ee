import { describe, expect, it } from 'vitest';
import { checkRedirectUrl, isSafeUrl, unsafeUrl } from './url-safety.js';

describe('URL safety', () => {
  it('accepts http(s), mailto, tel and relative URLs', () => {
    for (const url of [
      'https://a.b/c',
      'HTTP://x',
      'mailto:a@b.c',
      'tel:+1',
      '/x',
      'x/y:z',
      '?q',
      '#f',
      '//cdn.x/y',
    ]) {
      expect(isSafeUrl(url), url).toBe(true);
    }
  });

  it('refuses other schemes, also when disguised', () => {
    for (const url of [
      'javascript:x',
      'JavaScript:x',
      ' javascript:x',
      'java\nscript:x',
      '\u0000javascript:x',
      'data:text/html,x',
      'vbscript:x',
    ]) {
      expect(isSafeUrl(url), JSON.stringify(url)).toBe(false);
    }
    expect(isSafeUrl('data:image/png;base64,AA')).toBe(false);
    expect(isSafeUrl('data:image/png;base64,AA', true)).toBe(true);
  });

  it('checks redirect targets unless they are wrapped in unsafeUrl()', () => {
    expect(checkRedirectUrl('/next')).toBe('/next');
    expect(() => checkRedirectUrl('javascript:alert(1)')).toThrow(
      expect.objectContaining({ code: 'LONA_ERR_HTML_UNSAFE_REDIRECT' }),
    );
    expect(checkRedirectUrl(unsafeUrl('custom:thing'))).toBe('custom:thing');
  });
});
