/**
 * The JSON rule for channel message data (SPEC §3.8): every broker checks data at send and
 * delivers a JSON copy, so a message means the same in one process as across Redis.
 *
 * It encodes once per send and hands out copies; brokers decide when to copy. What counts
 * as JSON is stricter than what `JSON.stringify` accepts, because `JSON.stringify` turns
 * several mistakes into different data without a word:
 *
 * - refused: `undefined` as the whole data or as an array element (it would arrive as
 *   nothing or as `null`), functions, symbols, BigInt, `NaN` and `±Infinity` (they would
 *   arrive as `null` or make the send throw later), cycles, and objects other than plain
 *   objects and arrays, such as `Map`, `Set` or class instances (they would arrive as `{}` or
 *   as a prototype-less copy). The error names the key where the value sits.
 * - accepted: a property whose value is `undefined` is left out, as optional properties are
 *   in JSON; a value with `toJSON()` (a `Date`) is sent as what `toJSON()` returns.
 */
import { LonaError } from '../errors.js';

/**
 * Encodes message data as JSON text. Throws `LONA_ERR_CHANNEL_NOT_JSON` (naming `topic`)
 * when `data` is not JSON by the rules above.
 */
export function encodeData(topic: string, data: unknown): string {
  if (data === undefined) throw notJson(topic, 'the data is undefined');
  try {
    // The replacer sees every value after toJSON() ran, so it checks the data as it will
    // be sent, in the same pass that serializes it.
    return JSON.stringify(data, checkJsonValue) as string;
  } catch (error) {
    if (error instanceof NotJsonValue) throw notJson(topic, error.message);
    // A cycle, or a toJSON() that threw.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw notJson(topic, reason, error);
  }
}

/**
 * Returns a function that gives a fresh copy of the encoded data on each call. Objects and
 * arrays are parsed per call, so no two receivers share one; primitives are parsed once,
 * since nobody can change them.
 */
export function dataCopier(text: string): () => unknown {
  const first = text.charCodeAt(0);
  const isContainer = first === 0x7b /* { */ || first === 0x5b; /* [ */
  if (isContainer) return () => JSON.parse(text) as unknown;
  const value = JSON.parse(text) as unknown;
  return () => value;
}

class NotJsonValue extends Error {}

function checkJsonValue(this: unknown, key: string, value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw bad(key, `${String(value)} is not a JSON number`);
      return value;
    case 'undefined':
      if (Array.isArray(this)) throw bad(key, 'undefined is not a JSON value');
      return value;
    case 'object': {
      if (value === null || Array.isArray(value)) return value;
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype === Object.prototype || prototype === null) return value;
      const name = (value as object).constructor?.name ?? 'object';
      throw bad(key, `a ${name} is not a plain object or array; convert it first`);
    }
    default:
      // function, symbol, bigint
      throw bad(key, `a ${typeof value} is not a JSON value`);
  }
}

function bad(key: string, reason: string): NotJsonValue {
  return new NotJsonValue(key === '' ? reason : `at key ${JSON.stringify(key)}, ${reason}`);
}

function notJson(topic: string, reason: string | undefined, cause?: unknown): LonaError {
  const options = cause === undefined ? undefined : { cause };
  return new LonaError('LONA_ERR_CHANNEL_NOT_JSON', { topic, reason }, options);
}
