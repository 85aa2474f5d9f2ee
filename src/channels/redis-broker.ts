/**
 * The Redis broker (`CHANNEL_BROKER = 'redis://…'`, SPEC §3.8, §4.9, §5): channels that
 * reach subscriptions in every process of an app, on any machine, through one Redis server.
 *
 * Channel layout: one Redis channel per app, `<namespace>:channels` (namespace `lona`
 * unless the options or the URL's `?namespace=` say otherwise). Every process publishes
 * every shared message there and subscribes to it once; which local subscriptions a message
 * reaches is decided in the process, by the same `TopicIndex` matching as the memory broker.
 * A Redis channel per topic with PSUBSCRIBE was rejected because:
 * - matching goes both ways (a message sent to `chat.*` reaches a subscription to
 *   `chat.room-1`), and Redis patterns match one way only;
 * - one channel has one order: Redis sends a channel's messages to every subscriber in the
 *   order it ran the PUBLISHes, so every process sees the shared messages in the same order,
 *   and one sender's order follows from its single publisher connection. Across several
 *   channels a message matching two patterns arrives twice, and the order between channels
 *   is lost;
 * - subscribing stays local and synchronous: no round trip per subscription, and nothing to
 *   undo in Redis when one ends.
 * The cost is that every process reads every shared message of its app, subscribed or not,
 * and drops those that match nothing here. Channel messages are small UI events, and reading
 * and dropping one costs a few microseconds.
 *
 * A process's own shared messages reach its own subscriptions when Redis sends them back,
 * in the same order every other process sees. `local` messages never leave the process;
 * `OwnMessageOrder` holds one back until the shared messages sent before it have come back,
 * so it keeps its place in its sender's order. The local side (matching, JSON copies,
 * expiry, delivery turns, listener errors) is a `MemoryBroker`, fed through
 * `deliverLocally`. Messages travel as `redis-envelope.ts` lays down.
 *
 * Connections: one ioredis connection publishes, one subscribes (a subscribed connection
 * can do little else). ioredis reconnects them with growing pauses; this class resubscribes,
 * and logs 'channel broker: Redis connection lost' and 'channel broker: Redis reconnected'.
 * Besides a closed socket, a connection counts as lost when Redis leaves a command
 * unanswered for `replyTimeoutMs` (a hung server), or when a message this process published
 * does not come back on the subscriber within that time (a half-open connection).
 * ioredis is an optional peer dependency, loaded on first use, so apps on the memory broker
 * never need it; without it every wait and publish fails with
 * `LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING`.
 *
 * Outages: nothing is buffered while Redis is away. A shared message sent while a
 * connection is down rejects at once with `LONA_ERR_CHANNEL_BROKER_DOWN`, and so do sends
 * Redis had not confirmed when the connection broke (they may or may not have reached other
 * processes). A buffer would only postpone the loss, keep messages whose `expiresAt` or
 * meaning runs out, and hide the outage from the code that sent them; the sender can retry
 * or tell the user. Local messages are still delivered, and messages from other processes
 * are received as long as the subscriber connection is up. The one wait is at startup:
 * sends made before the first connection wait for it (one attempt, bounded by
 * `connectTimeoutMs` and `replyTimeoutMs`) and then go out in order, or reject with
 * `LONA_ERR_CHANNEL_BROKER_UNREACHABLE`; the broker keeps trying after that.
 *
 * Expiry compares `expiresAt` with each receiving machine's clock: keep the clocks in step
 * (NTP), as with any absolute deadline. Running user handlers one at a time on the right
 * pool is left to `ChannelHub`.
 */
import { randomBytes } from 'node:crypto';
import { LonaError, formatWarning } from '../errors.js';
import type {
  Broker,
  BrokerMetrics,
  BrokerSubscription,
  MessageListener,
  OutgoingMessage,
} from './broker.js';
import type { ErrorLogger } from './error-logger.js';
import { MemoryBroker } from './memory-broker.js';
import { encodeMessage, type EncodedMessage } from './message.js';
import { OwnMessageOrder } from './own-message-order.js';
import { decodeEnvelope, encodeEnvelope } from './redis-envelope.js';
import { isValidTopic } from './topic.js';

/** The part of a logger the Redis broker needs; the app's `Logger` fits it. */
export interface BrokerLogger extends ErrorLogger {
  warn(message: string): void;
  info(message: string): void;
}

/** Used when nobody injects a logger, so that connection changes are never silent. */
export const consoleBrokerLogger: BrokerLogger = {
  error: (message, error) =>
    error === undefined ? console.error(message) : console.error(message, error),
  warn: (message) => console.warn(message),
  info: (message) => console.info(message),
};

/**
 * The part of an ioredis client this broker uses. It is declared here, not imported from
 * ioredis, so that type-checking lona-ts never needs the optional peer installed.
 */
export interface RedisConnection {
  readonly status: string;
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(reconnect?: boolean): void;
  /** The socket; destroying it makes ioredis reconnect even when the peer is gone. */
  readonly stream?: { destroy(error?: Error): void };
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'ready' | 'close' | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type RedisConnectionClass = new (
  url: string,
  options: Record<string, unknown>,
) => RedisConnection;

/** What `import('ioredis')` gives: the client class as the default export (or `Redis`). */
export interface RedisClientModule {
  default?: RedisConnectionClass;
  Redis?: RedisConnectionClass;
}

export interface RedisBrokerOptions {
  /** Where connection changes, listener errors and malformed messages go. @default console */
  logger?: BrokerLogger;
  /**
   * Names the app's Redis channel (`<namespace>:channels`). Apps that share a Redis server
   * but not their channels need different namespaces; Redis database numbers do not
   * separate pub/sub. Wins over the URL's `?namespace=`. @default 'lona'
   */
  namespace?: string;
  /** The clock `expiresAt` is compared with, in ms since the epoch. @default Date.now */
  now?: () => number;
  /**
   * Longest one connection attempt may take before it counts as failed, in ms. A Redis on
   * the same network answers in milliseconds; this only bounds a host that drops packets.
   * @default 5000
   */
  connectTimeoutMs?: number;
  /**
   * Longest a connection waits for Redis to answer a command (a PUBLISH, the handshake, the
   * SUBSCRIBE), in ms. Past it the connection is taken as broken: it is dropped and
   * reopened, and sends waiting on it reject with `LONA_ERR_CHANNEL_BROKER_DOWN`. Redis
   * answers in well under a millisecond, so only a hung server or a dead link gets near it;
   * an idle subscriber waits for nothing and is not affected. @default 5000
   */
  replyTimeoutMs?: number;
  /**
   * Longest pause between two reconnection attempts, in ms. Pauses start at 50 ms and
   * double, so a restarted Redis is found again within a pause of coming back. @default 2000
   */
  maxReconnectDelayMs?: number;
  /**
   * Loads the Redis client. Pass `() => import('ioredis')` when a bundler has to see the
   * import. @default a dynamic import of 'ioredis'
   */
  importClient?: () => Promise<RedisClientModule>;
}

const DEFAULT_NAMESPACE = 'lona';
const FIRST_RECONNECT_DELAY_MS = 50;

/**
 * The client's name in a variable: TypeScript and bundlers leave the import alone, so
 * lona-ts builds and type-checks without the optional peer installed.
 */
const IOREDIS = 'ioredis';
const importIoredis = (): Promise<RedisClientModule> =>
  import(/* @vite-ignore */ IOREDIS) as Promise<RedisClientModule>;

/**
 * `starting`: no connection yet (sends wait); `up`: both connections ready and subscribed;
 * `down`: a connection is away, ioredis is reconnecting (sends reject); `closed`: for good.
 */
type State = 'starting' | 'up' | 'down' | 'closed';

/** A send Redis has not answered yet, or one waiting for the first connection. */
interface PendingSend {
  readonly seq: number;
  readonly message: EncodedMessage;
  resolve(): void;
  reject(error: unknown): void;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** Loads the client class; throws `LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING` if it cannot. */
export async function loadRedisClient(
  url: string,
  importClient: () => Promise<RedisClientModule> = importIoredis,
): Promise<RedisConnectionClass> {
  let module: RedisClientModule;
  try {
    module = await importClient();
  } catch (error) {
    throw new LonaError(
      'LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING',
      { url: redactUrl(url), reason: reasonOf(error) },
      { cause: error },
    );
  }
  const client = module.default ?? module.Redis;
  if (typeof client !== 'function') {
    throw new LonaError('LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING', {
      url: redactUrl(url),
      reason: 'the module has no Redis class',
    });
  }
  return client;
}

/** The URL with its password masked, for log lines and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

export class RedisBroker implements Broker {
  /**
   * Makes a broker and resolves once it is connected and subscribed. Rejects with
   * `LONA_ERR_CHANNEL_BROKER_UNREACHABLE` (or `LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING`)
   * if the first attempt fails, and closes the broker then.
   */
  static async connect(url: string, options: RedisBrokerOptions = {}): Promise<RedisBroker> {
    const broker = new RedisBroker(url, options);
    try {
      await broker.ready();
    } catch (error) {
      await broker.close();
      throw error;
    }
    return broker;
  }

  /** The URL handed to ioredis, `?namespace=` taken out. */
  readonly #url: string;
  /** The URL as log lines and errors show it, password masked. */
  readonly #label: string;
  /** The one Redis channel of this app. */
  readonly #channel: string;
  /** Tells this broker's messages apart when Redis sends them back. */
  readonly #origin = randomBytes(9).toString('base64url');
  readonly #logger: BrokerLogger;
  readonly #now: () => number;
  readonly #connectTimeoutMs: number;
  readonly #replyTimeoutMs: number;
  readonly #maxReconnectDelayMs: number;
  readonly #local: MemoryBroker;
  readonly #own: OwnMessageOrder;
  /** Sends made before the first connection, in send order. */
  #starting: PendingSend[] = [];
  /** Sends written to the publisher connection and not answered yet. */
  readonly #inFlight = new Set<PendingSend>();
  #waiters: Waiter[] = [];
  #state: State = 'starting';
  #publisher: RedisConnection | undefined;
  #subscriber: RedisConnection | undefined;
  #publisherReady = false;
  #subscribed = false;
  /** Bumped whenever the subscriber connection closes, so a late SUBSCRIBE reply is ignored. */
  #subscriberEpoch = 0;
  #everUp = false;
  #downSince = 0;
  /** The last connection error, for the log line and the errors of this outage. */
  #lastError: string | undefined;
  /** Set when the client cannot be loaded: nothing will ever connect. */
  #fatal: LonaError | undefined;
  #published = 0;
  /** The newest shared message Redis acknowledged, and the timer checking its return. */
  #lastAcked = 0;
  #returnTimer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  /**
   * Starts connecting at once; `ready()` tells when it is done. Throws
   * `LONA_ERR_CHANNEL_BROKER_UNKNOWN` if `url` is not a redis:// or rediss:// URL.
   */
  constructor(url: string, options: RedisBrokerOptions = {}) {
    const { url: clientUrl, namespace } = splitUrl(url);
    this.#url = clientUrl;
    this.#label = redactUrl(clientUrl);
    this.#channel = `${options.namespace || namespace || DEFAULT_NAMESPACE}:channels`;
    this.#logger = options.logger ?? consoleBrokerLogger;
    this.#now = options.now ?? Date.now;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.#replyTimeoutMs = options.replyTimeoutMs ?? 5_000;
    this.#maxReconnectDelayMs = options.maxReconnectDelayMs ?? 2_000;
    this.#local = new MemoryBroker({ logger: this.#logger, now: this.#now });
    this.#own = new OwnMessageOrder((message) => this.#local.deliverLocally(message));
    void this.#open(options.importClient ?? importIoredis);
  }

  /** The Redis channel this broker publishes and subscribes to. */
  get channel(): string {
    return this.#channel;
  }

  /** True while both connections are up and subscribed, so that shared sends can go out. */
  get isConnected(): boolean {
    return this.#state === 'up';
  }

  /**
   * Resolves once both connections are up and subscribed, at once if they are. Rejects
   * with `LONA_ERR_CHANNEL_BROKER_UNREACHABLE` if the connection attempt under way fails,
   * `LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING` or `LONA_ERR_CHANNEL_CLOSED`.
   */
  ready(): Promise<void> {
    if (this.#state === 'up') return Promise.resolve();
    if (this.#state === 'closed') {
      return Promise.reject(new LonaError('LONA_ERR_CHANNEL_CLOSED', { action: 'wait for Redis' }));
    }
    if (this.#fatal) return Promise.reject(this.#fatal);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  publish(message: OutgoingMessage): Promise<void> {
    if (this.#state === 'closed') {
      throw new LonaError('LONA_ERR_CHANNEL_CLOSED', { action: 'publish' });
    }
    const encoded = encodeMessage(message);
    if (encoded.local) {
      this.#own.local(encoded);
      this.#published++;
      return Promise.resolve();
    }
    if (this.#fatal) return Promise.reject(this.#fatal);
    switch (this.#state) {
      case 'up':
        return this.#send(this.#own.sent(encoded), encoded);
      case 'starting': {
        const seq = this.#own.sent(encoded);
        return new Promise((resolve, reject) => {
          this.#starting.push({ seq, message: encoded, resolve, reject });
        });
      }
      default:
        return Promise.reject(
          this.#downError(encoded.topic, this.#lastError ?? 'the connection is lost'),
        );
    }
  }

  subscribe(topic: string, listener: MessageListener): BrokerSubscription {
    return this.#local.subscribe(topic, listener);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  metrics(): BrokerMetrics {
    const { delivered, droppedExpired } = this.#local.metrics();
    return { published: this.#published, delivered, droppedExpired };
  }

  async #close(): Promise<void> {
    this.#state = 'closed';
    clearTimeout(this.#returnTimer);
    const closed = new LonaError('LONA_ERR_CHANNEL_CLOSED', { action: 'publish' });
    for (const send of this.#starting) send.reject(closed);
    this.#starting = [];
    this.#rejectWaiters(new LonaError('LONA_ERR_CHANNEL_CLOSED', { action: 'wait for Redis' }));
    this.#own.clear();
    await this.#local.close();
    // QUIT is answered after the PUBLISHes before it, so sends in flight still settle.
    await Promise.all([this.#publisher, this.#subscriber].map((c) => c && quitConnection(c)));
  }

  async #open(importClient: () => Promise<RedisClientModule>): Promise<void> {
    let Redis: RedisConnectionClass;
    try {
      Redis = await loadRedisClient(this.#label, importClient);
    } catch (error) {
      if (this.#state === 'closed') return;
      const fatal = error as LonaError;
      this.#fatal = fatal;
      this.#state = 'down';
      this.#logger.error(`${fatal.code}: ${fatal.message}`);
      this.#failStart(fatal);
      return;
    }
    if (this.#state === 'closed') return;
    const options = {
      connectTimeout: this.#connectTimeoutMs,
      retryStrategy: (attempt: number) => this.#reconnectDelay(attempt),
      // Sends while a connection is away fail at once instead of queueing in ioredis,
      // and a command cut off by a lost connection is never sent twice.
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      autoResubscribe: false,
      // A hung server or a dead link shows as a command without an answer.
      socketTimeout: this.#replyTimeoutMs,
    };
    const publisher = new Redis(this.#url, {
      ...options,
      connectionName: 'lona-channels-publisher',
    });
    publisher.on('error', this.#onError);
    publisher.on('ready', () => {
      this.#publisherReady = true;
      this.#update();
    });
    publisher.on('close', this.#onPublisherClosed);
    publisher.on('end', this.#onPublisherClosed);
    this.#publisher = publisher;

    const subscriber = new Redis(this.#url, {
      ...options,
      connectionName: 'lona-channels-subscriber',
    });
    subscriber.on('error', this.#onError);
    subscriber.on('ready', () => this.#subscribe(subscriber));
    subscriber.on('close', this.#onSubscriberClosed);
    subscriber.on('end', this.#onSubscriberClosed);
    subscriber.on('message', this.#onMessage);
    this.#subscriber = subscriber;
  }

  #reconnectDelay(attempt: number): number {
    const doubled = FIRST_RECONNECT_DELAY_MS * 2 ** Math.min(attempt - 1, 16);
    const delay = Math.min(doubled, this.#maxReconnectDelayMs);
    // Up to a fifth less, so that the processes of an app do not all come back at once.
    return Math.round(delay * (0.8 + 0.2 * Math.random()));
  }

  #send(seq: number, message: EncodedMessage): Promise<void> {
    const publisher = this.#publisher;
    return new Promise((resolve, reject) => {
      if (publisher === undefined) {
        this.#own.lost(seq);
        reject(this.#downError(message.topic, 'no connection'));
        return;
      }
      const send: PendingSend = { seq, message, resolve, reject };
      this.#inFlight.add(send);
      publisher.publish(this.#channel, encodeEnvelope(this.#origin, seq, message)).then(
        () => {
          if (!this.#inFlight.delete(send)) return;
          this.#published++;
          this.#watchReturn(seq);
          resolve();
        },
        (error: unknown) => {
          if (!this.#inFlight.delete(send)) return;
          this.#own.lost(seq);
          reject(this.#downError(message.topic, reasonOf(error), error));
        },
      );
    });
  }

  /**
   * Checks that an acknowledged message comes back on the subscriber connection within
   * `replyTimeoutMs`. Redis answered the PUBLISH after queueing the message for every
   * subscriber, ours included, so a message that does not come back means the subscriber
   * connection is dead without knowing it (a half-open TCP connection, whose keepalive
   * would take minutes to notice): this process would miss every message silently. It is
   * then dropped and reopened. One timer watches the newest acknowledged message at a time.
   */
  #watchReturn(seq: number): void {
    this.#lastAcked = seq;
    if (this.#returnTimer !== undefined) return;
    this.#returnTimer = setTimeout(() => {
      // Checked after the poll phase: after a long event-loop stall the message may be
      // waiting in the socket, and it is read before a setImmediate callback runs.
      setImmediate(() => {
        this.#returnTimer = undefined;
        this.#checkReturn(seq);
      });
    }, this.#replyTimeoutMs);
    this.#returnTimer.unref();
  }

  #checkReturn(seq: number): void {
    if (this.#state !== 'up') return;
    if (this.#own.isAwaited(seq)) {
      this.#lastError = `Redis did not send a published message back within ${this.#replyTimeoutMs} ms`;
      this.#subscriber?.stream?.destroy(new Error(this.#lastError));
      return;
    }
    if (this.#lastAcked > seq && this.#own.isAwaited(this.#lastAcked)) {
      this.#watchReturn(this.#lastAcked);
    }
  }

  #subscribe(subscriber: RedisConnection): void {
    const epoch = this.#subscriberEpoch;
    subscriber.subscribe(this.#channel).then(
      () => {
        if (epoch !== this.#subscriberEpoch || this.#state === 'closed') return;
        this.#subscribed = true;
        this.#update();
      },
      (error: unknown) => {
        if (epoch !== this.#subscriberEpoch || this.#state === 'closed') return;
        // Not allowed to subscribe (an ACL, say): count it as a failed attempt and retry.
        this.#lastError = `SUBSCRIBE ${this.#channel} failed: ${reasonOf(error)}`;
        subscriber.disconnect(true);
      },
    );
  }

  /** Called when a connection becomes ready: goes up once both are. */
  #update(): void {
    if (this.#state === 'closed' || this.#state === 'up') return;
    if (!this.#publisherReady || !this.#subscribed) return;
    this.#state = 'up';
    this.#lastError = undefined;
    if (this.#everUp) {
      const ms = Math.round(this.#now() - this.#downSince);
      this.#logger.info(`channel broker: Redis reconnected (${this.#label}) after ${ms} ms`);
    } else {
      this.#logger.info(`channel broker: connected to Redis at ${this.#label}`);
    }
    this.#everUp = true;
    const starting = this.#starting;
    this.#starting = [];
    for (const send of starting) this.#send(send.seq, send.message).then(send.resolve, send.reject);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  readonly #onError = (error: Error): void => {
    this.#lastError = reasonOf(error);
  };

  readonly #onPublisherClosed = (): void => {
    this.#publisherReady = false;
    if (this.#inFlight.size > 0) {
      const reason =
        'the connection broke before Redis confirmed the message, which may or may not have reached other processes';
      for (const send of this.#inFlight) {
        this.#own.lost(send.seq);
        send.reject(
          this.#state === 'closed'
            ? new LonaError('LONA_ERR_CHANNEL_CLOSED', { action: 'publish' })
            : this.#downError(send.message.topic, reason),
        );
      }
      this.#inFlight.clear();
    }
    this.#connectionClosed();
  };

  readonly #onSubscriberClosed = (): void => {
    this.#subscriberEpoch++;
    this.#subscribed = false;
    // Our messages come back on this connection; the ones still out never will.
    this.#own.loseAll();
    this.#connectionClosed();
  };

  /** A connection closed: either an outage begins, or a connection attempt failed. */
  #connectionClosed(): void {
    switch (this.#state) {
      case 'closed':
        return;
      case 'up':
        this.#state = 'down';
        this.#downSince = this.#now();
        this.#logger.warn(
          `channel broker: Redis connection lost (${this.#label}: ${this.#lastError ?? 'closed by the server'}); ` +
            'sends fail with LONA_ERR_CHANNEL_BROKER_DOWN until it is back, reconnecting',
        );
        return;
      case 'starting': {
        this.#state = 'down';
        const error = this.#unreachableError();
        this.#logger.error(`${error.code}: ${error.message} Retrying in the background.`);
        this.#failStart(error);
        return;
      }
      default:
        this.#rejectWaiters(this.#unreachableError());
    }
  }

  /** The first connection failed: the sends and waits made so far reject with `error`. */
  #failStart(error: LonaError): void {
    const starting = this.#starting;
    this.#starting = [];
    for (const send of starting) {
      this.#own.lost(send.seq);
      send.reject(error);
    }
    this.#rejectWaiters(error);
  }

  #rejectWaiters(error: LonaError): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  #unreachableError(): LonaError {
    return new LonaError('LONA_ERR_CHANNEL_BROKER_UNREACHABLE', {
      url: this.#label,
      reason: this.#lastError ?? 'the connection closed',
    });
  }

  #downError(topic: string, reason: string, cause?: unknown): LonaError {
    const options = cause === undefined ? undefined : { cause };
    return new LonaError(
      'LONA_ERR_CHANNEL_BROKER_DOWN',
      { topic, url: this.#label, reason },
      options,
    );
  }

  /**
   * A message from the Redis channel. ioredis rethrows a listener's exception as an uncaught
   * one, so nothing here may throw: a malformed message is logged and dropped.
   */
  readonly #onMessage = (channel: string, raw: string): void => {
    if (channel !== this.#channel || this.#state === 'closed') return;
    let message: EncodedMessage;
    try {
      const envelope = decodeEnvelope(raw);
      if (envelope.origin === this.#origin) {
        this.#own.returned(envelope.seq);
        return;
      }
      const { topic, text, expiresAt } = envelope;
      if (!isValidTopic(topic)) {
        throw new Error(`invalid topic ${JSON.stringify(envelope.topic.slice(0, 100))}`);
      }
      // Parsed once here so that bad JSON is refused at the door instead of throwing in the
      // middle of a delivery turn.
      JSON.parse(text);
      message = { topic, text, expiresAt, local: false };
    } catch (error) {
      this.#logger.warn(
        formatWarning('LONA_WARN_CHANNEL_BAD_REDIS_MESSAGE', { channel, reason: reasonOf(error) }),
      );
      return;
    }
    this.#local.deliverLocally(message);
  };
}

/**
 * Checks the URL and takes `?namespace=` out of it (ioredis would read any query parameter
 * as a client option). Throws `LONA_ERR_CHANNEL_BROKER_UNKNOWN` for anything but a valid
 * redis:// or rediss:// URL.
 */
function splitUrl(url: string): { url: string; namespace: string | undefined } {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    throw new LonaError('LONA_ERR_CHANNEL_BROKER_UNKNOWN', { broker: redactUrl(String(url)) });
  }
  const namespace = parsed.searchParams.get('namespace') ?? undefined;
  parsed.searchParams.delete('namespace');
  // Serialized again, which also lower-cases the scheme, as ioredis expects for rediss://.
  return { url: parsed.toString(), namespace: namespace || undefined };
}

/** Closes a connection: politely if it is up, so answers in flight arrive first. */
async function quitConnection(connection: RedisConnection): Promise<void> {
  if (connection.status === 'ready') {
    try {
      await connection.quit();
      return;
    } catch {
      // Fall through: the connection broke while quitting.
    }
  }
  connection.disconnect();
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return [...new Set(error.errors.map(reasonOf))].join('; ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return error.message || (typeof code === 'string' ? code : error.name);
  }
  return String(error);
}
