/**
 * Channel topics: what a valid topic is and when two topics match (SPEC §3.8).
 *
 * A topic is made of `[A-Za-z0-9_.:-]` and `*`, where `*` stands for any run of characters,
 * the empty run included. As in Lona, matching works in both directions: a subscription to
 * `chat.*` receives a message sent to `chat.room-1`, and a message sent to `chat.*` reaches
 * a subscription to `chat.room-1`. Two wildcard topics match only if one of them, read as a
 * pattern, matches the other read literally (`chat.*` and `*.room` do not match), which is
 * what Lona's `fnmatch` in both directions does.
 *
 * This module only validates and compares strings. Which subscriptions a message reaches
 * is `TopicIndex`'s job; brokers and channels call both.
 */
import { LonaError } from '../errors.js';

/** The characters a topic may contain, `*` included. */
const TOPIC_SYNTAX = /^[A-Za-z0-9_.:*-]+$/;

/** A validated topic, split at its wildcards once so matching never builds a RegExp. */
interface CompiledTopic {
  readonly topic: string;
  /**
   * The literal runs between `*`s; one part means no wildcard. Matching greedily with
   * `indexOf` is linear in practice and never backtracks exponentially, unlike `.*` in a
   * RegExp built from a pattern such as `a*a*a*a*b`.
   */
  readonly parts: readonly string[];
  /** The shortest topic the pattern can match: its literal characters. */
  readonly minLength: number;
}

/**
 * Topics seen recently. Senders may use many distinct topics (`user.1`, `user.2`, ...), so
 * the cache is bounded; when it is full it starts over, which costs one re-validation per
 * topic and needs no bookkeeping on the hot path.
 */
const cache = new Map<string, CompiledTopic>();
const CACHE_MAX = 10_000;

function compileTopic(topic: unknown): CompiledTopic {
  if (typeof topic === 'string') {
    const cached = cache.get(topic);
    if (cached) return cached;
  }
  const reason = invalidReason(topic);
  if (reason !== undefined) throw new LonaError('LONA_ERR_CHANNEL_BAD_TOPIC', { topic, reason });
  const text = topic as string;
  const parts = text.split('*');
  const compiled: CompiledTopic = {
    topic: text,
    parts,
    minLength: text.length - (parts.length - 1),
  };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, compiled);
  return compiled;
}

function invalidReason(topic: unknown): string | undefined {
  if (typeof topic !== 'string') return `a topic is a string, got ${typeof topic}`;
  if (topic.length === 0) return 'a topic cannot be empty';
  if (!TOPIC_SYNTAX.test(topic)) {
    const bad = [...topic].find((c) => !TOPIC_SYNTAX.test(c)) ?? '';
    return `the character ${JSON.stringify(bad)} is not allowed`;
  }
  return undefined;
}

/** Does `pattern`, read as a glob of `*`s, match `text` read literally? */
function globMatches(pattern: CompiledTopic, text: string): boolean {
  const { parts } = pattern;
  if (parts.length === 1) return pattern.topic === text;
  if (text.length < pattern.minLength) return false;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  // The middle parts must appear in order between the prefix and the suffix. Taking the
  // leftmost occurrence of each is always right for `*`-only patterns: it leaves the most
  // room for the parts after it.
  const end = text.length - last.length;
  let position = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    if (part === '') continue;
    const at = text.indexOf(part, position);
    if (at === -1 || at + part.length > end) return false;
    position = at + part.length;
  }
  return true;
}

/**
 * Checks a topic and returns it; throws `LONA_ERR_CHANNEL_BAD_TOPIC` with the reason
 * otherwise.
 */
export function validateTopic(topic: unknown): string {
  return compileTopic(topic).topic;
}

/** Is `topic` a valid topic? Never throws. */
export function isValidTopic(topic: unknown): topic is string {
  return invalidReason(topic) === undefined;
}

/** Does the topic contain a `*`? Throws on an invalid topic. */
export function hasWildcard(topic: string): boolean {
  return compileTopic(topic).parts.length > 1;
}

/**
 * Does a message sent to one topic reach a subscription to the other? Symmetric: either
 * side may hold wildcards, and the two match when one, read as a pattern, matches the
 * other. Throws `LONA_ERR_CHANNEL_BAD_TOPIC` if either topic is invalid.
 */
export function topicsMatch(a: string, b: string): boolean {
  const left = compileTopic(a);
  const right = compileTopic(b);
  if (left.topic === right.topic) return true;
  return globMatches(left, right.topic) || globMatches(right, left.topic);
}
