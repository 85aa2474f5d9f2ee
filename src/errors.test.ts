import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, LonaError, WARNINGS, formatWarning } from './errors.js';

const docs = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const headings = new Set(
  [...docs.matchAll(/^### (LONA_(?:ERR|WARN)_[A-Z0-9_]+)$/gm)].map((m) => m[1]),
);

describe('the error catalogue', () => {
  it('names every code LONA_ERR_<AREA>_<WHAT> or LONA_WARN_<WHAT>', () => {
    for (const code of Object.keys(ERRORS)) expect(code).toMatch(/^LONA_ERR_[A-Z]+_[A-Z0-9_]+$/);
    for (const code of Object.keys(WARNINGS)) expect(code).toMatch(/^LONA_WARN_[A-Z0-9_]+$/);
  });

  it('has a heading in docs/errors.md for every code, and none for unknown codes', () => {
    const codes = [...Object.keys(ERRORS), ...Object.keys(WARNINGS)];
    expect(codes.filter((code) => !headings.has(code))).toEqual([]);
    expect([...headings].filter((code) => !codes.includes(code!))).toEqual([]);
  });

  it('renders every message without throwing, even with no parameters', () => {
    for (const code of Object.keys(ERRORS) as (keyof typeof ERRORS)[]) {
      const error = new LonaError(code);
      expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(10);
    }
    for (const code of Object.keys(WARNINGS) as (keyof typeof WARNINGS)[]) {
      expect(formatWarning(code)).toMatch(new RegExp(`^${code}: `));
    }
  });

  it('fills parameters into the message', () => {
    const error = new LonaError('LONA_ERR_ROUTE_DUPLICATE_NAME', {
      name: 'user',
      existing: '/a',
      pattern: '/b',
    });
    expect(error.message).toBe(
      "Route name 'user' is already used by /a; /b uses it again. Give one of them a different name.",
    );
  });
});
