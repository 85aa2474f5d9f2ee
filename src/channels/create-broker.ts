/**
 * Turns the `CHANNEL_BROKER` setting into a broker (SPEC §3.8, §5): `'memory'` gives the
 * in-process `MemoryBroker`, a `redis://` or `rediss://` URL a `RedisBroker`, which starts
 * connecting at once (its `ready()` tells when it is done). Anything else is a coded error.
 *
 * It only chooses and builds. The Redis broker loads its client (the optional peer
 * `ioredis`) itself, on first use, so choosing the memory broker never touches it.
 */
import { LonaError } from '../errors.js';
import type { Broker } from './broker.js';
import { MemoryBroker } from './memory-broker.js';
import {
  RedisBroker,
  redactUrl,
  type BrokerLogger,
  type RedisBrokerOptions,
} from './redis-broker.js';

const REDIS_URL = /^rediss?:\/\//i;

/**
 * Builds the broker `CHANNEL_BROKER` names. Throws `LONA_ERR_CHANNEL_BROKER_UNKNOWN` for a
 * value that is neither `'memory'` nor a redis:// or rediss:// URL.
 */
export function createBroker(
  setting: string,
  logger: BrokerLogger,
  options: Omit<RedisBrokerOptions, 'logger'> = {},
): Broker {
  if (setting === 'memory') return new MemoryBroker({ logger, now: options.now });
  if (typeof setting === 'string' && REDIS_URL.test(setting)) {
    return new RedisBroker(setting, { ...options, logger });
  }
  throw new LonaError('LONA_ERR_CHANNEL_BROKER_UNKNOWN', { broker: redactUrl(String(setting)) });
}
