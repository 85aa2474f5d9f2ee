/**
 * The checks and conversions every broker applies to a message: validating an outgoing
 * message and encoding its data once, and telling whether a message has expired. Brokers
 * decide where the encoded message goes; `json-data.ts` owns the JSON rule itself.
 */
import { LonaError } from '../errors.js';
import type { OutgoingMessage } from './broker.js';
import { encodeData } from './json-data.js';
import { validateTopic } from './topic.js';

/** An accepted message: checked, with its data encoded as JSON text. */
export interface EncodedMessage {
  readonly topic: string;
  readonly text: string;
  readonly expiresAt: number | undefined;
  readonly local: boolean;
}

/**
 * Checks an outgoing message and encodes its data. Throws `LONA_ERR_CHANNEL_BAD_TOPIC`,
 * `LONA_ERR_CHANNEL_NOT_JSON` or `LONA_ERR_CHANNEL_BAD_MESSAGE`.
 */
export function encodeMessage(message: OutgoingMessage): EncodedMessage {
  if (typeof message !== 'object' || message === null) {
    throw new LonaError('LONA_ERR_CHANNEL_BAD_MESSAGE', {
      topic: '?',
      reason: `a message is an object { topic, data, expiresAt?, local? }, got ${typeof message}`,
    });
  }
  const topic = validateTopic(message.topic);
  const { expiresAt, local = false } = message;
  if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
    throw new LonaError('LONA_ERR_CHANNEL_BAD_MESSAGE', {
      topic,
      reason: `expiresAt must be a finite number of ms since the epoch, got ${String(expiresAt)}`,
    });
  }
  if (typeof local !== 'boolean') {
    throw new LonaError('LONA_ERR_CHANNEL_BAD_MESSAGE', {
      topic,
      reason: `local must be a boolean, got ${typeof local}`,
    });
  }
  return { topic, text: encodeData(topic, message.data), expiresAt, local };
}

/**
 * Has a message expired at `now`? A message is still delivered during the millisecond
 * `expiresAt` names, and not after it.
 */
export function isExpired(expiresAt: number | undefined, now: number): boolean {
  return expiresAt !== undefined && now > expiresAt;
}
