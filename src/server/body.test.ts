import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hasBody } from './body.js';

const withHeaders = (headers: Record<string, string>) => ({ headers }) as IncomingMessage;

describe('hasBody', () => {
  it.each([
    [{}, false],
    [{ 'content-length': '0' }, false],
    [{ 'content-length': '5' }, true],
    [{ 'content-length': '00' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
    [{ 'transfer-encoding': 'chunked', 'content-length': '0' }, true],
  ])('%j → %s', (headers, expected) => {
    expect(hasBody(withHeaders(headers))).toBe(expected);
  });
});
