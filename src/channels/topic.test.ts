import { describe, expect, it } from 'vitest';
import { LonaError } from '../errors.js';
import { hasWildcard, isValidTopic, topicsMatch, validateTopic } from './topic.js';

describe('validateTopic', () => {
  it('accepts letters, digits, _ . : - and *', () => {
    for (const topic of ['chat', 'chat.room-1', 'user:42', 'A_b.C-d:9', '*', 'chat.*', '**']) {
      expect(validateTopic(topic)).toBe(topic);
      expect(isValidTopic(topic)).toBe(true);
    }
  });

  it('throws LONA_ERR_CHANNEL_BAD_TOPIC naming the offending character', () => {
    for (const [topic, reason] of [
      ['chat room', '" "'],
      ['a/b', '"/"'],
      ['chat.räume', '"ä"'],
      ['a?', '"?"'],
      ['a[0]', '"["'],
      ['line\nbreak', '"\\n"'],
    ] as const) {
      expect(isValidTopic(topic)).toBe(false);
      let error: unknown;
      try {
        validateTopic(topic);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(LonaError);
      expect((error as LonaError).code).toBe('LONA_ERR_CHANNEL_BAD_TOPIC');
      expect((error as LonaError).message).toContain(reason);
    }
  });

  it('refuses the empty string and values that are not strings', () => {
    for (const topic of ['', undefined, null, 42, {}]) {
      expect(() => validateTopic(topic)).toThrow(LonaError);
      expect(isValidTopic(topic)).toBe(false);
    }
  });
});

describe('hasWildcard', () => {
  it('tells patterns from literal topics', () => {
    expect(hasWildcard('chat.*')).toBe(true);
    expect(hasWildcard('chat.room')).toBe(false);
  });
});

describe('topicsMatch', () => {
  const matching: [string, string][] = [
    ['chat', 'chat'],
    ['chat.*', 'chat.room-1'],
    ['chat.*', 'chat.'],
    ['*', 'anything:at.all'],
    ['*', '*'],
    ['*.room-1', 'chat.room-1'],
    ['chat.*-1', 'chat.room-1'],
    ['c*t*1', 'chat.room-1'],
    ['a*a*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaab'],
    ['chat.*', 'chat.*'],
    ['chat.*', 'chat.room.*'],
  ];
  const notMatching: [string, string][] = [
    ['chat', 'chat.room'],
    ['chat.*', 'chat'],
    ['chat.*', 'news.room'],
    ['*.room', 'chat.room-1'],
    ['a*a*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaa'],
    ['ab*ba', 'aba'],
    // Two patterns match only when one, read literally, fits the other (as in Lona).
    ['chat.*', '*.room'],
  ];

  it.each(matching)('matches %s and %s, in both orders', (a, b) => {
    expect(topicsMatch(a, b)).toBe(true);
    expect(topicsMatch(b, a)).toBe(true);
  });

  it.each(notMatching)('does not match %s and %s, in either order', (a, b) => {
    expect(topicsMatch(a, b)).toBe(false);
    expect(topicsMatch(b, a)).toBe(false);
  });

  it('is case-sensitive', () => {
    expect(topicsMatch('Chat.*', 'chat.room')).toBe(false);
  });

  it('gives the same answers for many distinct topics, past its cache', () => {
    for (let i = 0; i < 25_000; i++) {
      expect(topicsMatch('user.*.inbox', `user.${i}.inbox`)).toBe(true);
    }
    expect(topicsMatch('user.*.inbox', 'user.1.outbox')).toBe(false);
  });

  it('throws LONA_ERR_CHANNEL_BAD_TOPIC when either topic is invalid', () => {
    expect(() => topicsMatch('chat', 'bad topic')).toThrow(LonaError);
    expect(() => topicsMatch('bad/topic', '*')).toThrow(LonaError);
  });
});
