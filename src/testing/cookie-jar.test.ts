import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar.js';

describe('CookieJar', () => {
  it('keeps cookies from Set-Cookie lines and sends them back as one header', () => {
    const jar = new CookieJar();
    jar.store(['sessionid=abc; Path=/; HttpOnly; SameSite=Lax', 'theme=dark']);
    expect(jar.toObject()).toEqual({ sessionid: 'abc', theme: 'dark' });
    expect(jar.header()).toBe('sessionid=abc; theme=dark');
  });

  it('deletes a cookie set with Max-Age=0 or an Expires in the past', () => {
    const jar = new CookieJar();
    jar.store(['a=1', 'b=2', 'c=3']);
    jar.store(['a=; Max-Age=0', 'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.toObject()).toEqual({ c: '3' });
  });

  it('ignores lines without a name', () => {
    const jar = new CookieJar();
    jar.store(['=x', 'nonsense']);
    expect(jar.header()).toBe('');
  });
});
