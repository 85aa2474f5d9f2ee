import { describe, expect, it } from 'vitest';
import { newSessionKey, readSessionKey } from './sessions.js';

const KEY = 'abcdefghijklmnopqrstuvwxyzABCDEF';
const OTHER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The straightforward split-based reading that readSessionKey must agree with. */
function byOneSplit(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (/^[A-Za-z0-9_-]{32}$/.test(value)) return value;
  }
  return null;
}

describe('readSessionKey', () => {
  it.each([
    [undefined, null],
    ['', null],
    [`lona=${KEY}`, KEY],
    [`a=1; lona=${KEY}; b=2`, KEY],
    [`  lona  =  ${KEY}  `, KEY],
    [`lona=short; lona=${KEY}`, KEY],
    [`lona=${KEY}; lona=${OTHER}`, KEY],
    [`xlona=${KEY}`, null],
    [`lona=${KEY}x`, null],
    [`novalue; lona=${KEY}`, KEY],
    [`novalue;;; ;lona=${KEY}`, KEY],
    [`lona=a=b; lona=${KEY}`, KEY],
    [`a=1; b; c=; =${KEY}`, null],
    [`lona=${KEY};`, KEY],
    ['a=1;b=2', null],
  ])('reads %j as %j', (header, expected) => {
    expect(readSessionKey(header, 'lona')).toBe(expected);
    expect(byOneSplit(header, 'lona')).toBe(expected);
  });

  it('agrees with a split on ";" for random headers', () => {
    const pieces = ['lona', 'x', '=', ';', ' ', KEY, newSessionKey(), 'a=b', ';lona='];
    for (let i = 0; i < 2000; i++) {
      let header = '';
      const n = Math.floor(Math.random() * 8);
      for (let j = 0; j < n; j++) header += pieces[Math.floor(Math.random() * pieces.length)];
      expect(readSessionKey(header, 'lona'), header).toBe(byOneSplit(header, 'lona'));
    }
  });

  it('stays linear on a long header of pairs without "="', () => {
    const header = `${';'.repeat(200_000)}lona=${KEY}`;
    const started = performance.now();
    expect(readSessionKey(header, 'lona')).toBe(KEY);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
