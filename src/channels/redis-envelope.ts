/**
 * The text a message travels in between processes on the Redis channel: who sent it, its
 * number in that sender's order, its topic, its expiry and its data.
 *
 * It is a header of newline-separated fields followed by the data's JSON text as the
 * sender encoded it, rather than one JSON object: a receiver reads the header with a few
 * `indexOf` calls and hands the data text on untouched, so the data is parsed only where a
 * copy is made. Topics cannot hold a newline, so neither can the header fields. This module
 * only encodes and decodes; checking what arrives is `RedisBroker`'s job.
 *
 * ```
 * lona1\n<origin>\n<seq>\n<topic>\n<expiresAt or empty>\n<data JSON>
 * ```
 */
import type { EncodedMessage } from './message.js';

/** The first field; a receiver drops messages of any other version. */
export const ENVELOPE_VERSION = 'lona1';

/** A message as it came off the Redis channel; not checked beyond its shape. */
export interface Envelope {
  /** The sending broker's id, unique per broker instance. */
  readonly origin: string;
  /** The message's number in its sender's order. */
  readonly seq: number;
  readonly topic: string;
  readonly expiresAt: number | undefined;
  /** The data's JSON text, as the sender encoded it. */
  readonly text: string;
}

const FIELDS_BEFORE_DATA = 5;

export function encodeEnvelope(origin: string, seq: number, message: EncodedMessage): string {
  const expiresAt = message.expiresAt === undefined ? '' : String(message.expiresAt);
  return `${ENVELOPE_VERSION}\n${origin}\n${seq}\n${message.topic}\n${expiresAt}\n${message.text}`;
}

/** Reads an envelope; throws an `Error` saying what is wrong when `raw` is not one. */
export function decodeEnvelope(raw: string): Envelope {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < FIELDS_BEFORE_DATA; i++) {
    const end = raw.indexOf('\n', start);
    if (end === -1) throw new Error(`expected ${FIELDS_BEFORE_DATA} header lines`);
    fields.push(raw.slice(start, end));
    start = end + 1;
  }
  const [version = '', origin = '', seqText = '', topic = '', expiresText = ''] = fields;
  if (version !== ENVELOPE_VERSION) {
    throw new Error(`unknown format ${JSON.stringify(version.slice(0, 20))}`);
  }
  if (origin === '') throw new Error('no origin');
  const seq = Number(seqText);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error('bad sequence number');
  const expiresAt = expiresText === '' ? undefined : Number(expiresText);
  if (expiresAt !== undefined && !Number.isFinite(expiresAt)) throw new Error('bad expiresAt');
  const text = raw.slice(start);
  if (text === '') throw new Error('no data');
  return { origin, seq, topic, expiresAt, text };
}
