import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from './redis-envelope.js';

describe('the Redis envelope', () => {
  it('carries origin, sequence, topic, expiry and the data text unchanged', () => {
    const text = JSON.stringify({ text: 'line 1\nline 2', list: [1, 'x'] });
    const raw = encodeEnvelope('origin-1', 42, {
      topic: 'chat.*',
      text,
      expiresAt: 1_700_000_000_123,
      local: false,
    });
    expect(decodeEnvelope(raw)).toEqual({
      origin: 'origin-1',
      seq: 42,
      topic: 'chat.*',
      expiresAt: 1_700_000_000_123,
      text,
    });
  });

  it('leaves expiresAt out when the message never expires', () => {
    const raw = encodeEnvelope('o', 1, {
      topic: 't',
      text: 'null',
      expiresAt: undefined,
      local: false,
    });
    expect(raw).toBe('lona1\no\n1\nt\n\nnull');
    expect(decodeEnvelope(raw).expiresAt).toBeUndefined();
  });

  it('throws on text that is not an envelope, saying why', () => {
    const cases: [string, RegExp][] = [
      ['hello', /header lines/],
      ['lona1\no\n1\nt\n', /header lines/],
      ['lona2\no\n1\nt\n\n1', /unknown format/],
      ['lona1\n\n1\nt\n\n1', /no origin/],
      ['lona1\no\nx\nt\n\n1', /sequence/],
      ['lona1\no\n0\nt\n\n1', /sequence/],
      ['lona1\no\n1\nt\nsoon\n1', /expiresAt/],
      ['lona1\no\n1\nt\n\n', /no data/],
    ];
    for (const [raw, reason] of cases) expect(() => decodeEnvelope(raw)).toThrow(reason);
  });
});
