import { describe, expect, it } from 'vitest';
import { LonaError } from '../errors.js';
import { TopicIndex } from './topic-index.js';

function indexOf(entries: [string, string][]): TopicIndex<string> {
  const index = new TopicIndex<string>();
  for (const [topic, value] of entries) index.add(topic, value);
  return index;
}

describe('TopicIndex', () => {
  const entries: [string, string][] = [
    ['chat.room-1', 'room1'],
    ['chat.room-2', 'room2'],
    ['chat.*', 'allChat'],
    ['*', 'everything'],
    ['news', 'news'],
  ];

  it('finds literal and wildcard subscriptions for a literal topic', () => {
    expect(indexOf(entries).match('chat.room-1').sort()).toEqual([
      'allChat',
      'everything',
      'room1',
    ]);
  });

  it('finds every subscription a wildcard topic matches, literal ones included', () => {
    expect(indexOf(entries).match('chat.*').sort()).toEqual([
      'allChat',
      'everything',
      'room1',
      'room2',
    ]);
    expect(indexOf(entries).match('*').sort()).toEqual([
      'allChat',
      'everything',
      'news',
      'room1',
      'room2',
    ]);
  });

  it('finds nothing for a topic nobody subscribed to but the catch-all', () => {
    expect(indexOf(entries).match('weather')).toEqual(['everything']);
  });

  it('keeps several values per topic and deletes them one by one', () => {
    const index = indexOf([
      ['chat', 'a'],
      ['chat', 'b'],
      ['chat.*', 'c'],
    ]);
    expect(index.size).toBe(3);
    index.delete('chat', 'a');
    index.delete('chat', 'a');
    index.delete('chat.*', 'c');
    expect(index.size).toBe(1);
    expect(index.match('chat')).toEqual(['b']);
    expect(index.values()).toEqual(['b']);
  });

  it('stores a value once per topic', () => {
    const index = indexOf([
      ['chat', 'a'],
      ['chat', 'a'],
    ]);
    expect(index.size).toBe(1);
    expect(index.match('chat')).toEqual(['a']);
  });

  it('empties on clear', () => {
    const index = indexOf(entries);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.match('*')).toEqual([]);
  });

  it('throws LONA_ERR_CHANNEL_BAD_TOPIC for an invalid topic', () => {
    const index = new TopicIndex<string>();
    expect(() => index.add('a b', 'x')).toThrow(LonaError);
    expect(() => index.match('a b')).toThrow(LonaError);
  });
});
