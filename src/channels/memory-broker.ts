/**
 * The default broker (`CHANNEL_BROKER = 'memory'`): delivers messages to subscriptions in
 * this process only. With several processes each has its own, and startup warns about it
 * (SPEC §3.8, §4.9); the Redis broker crosses processes.
 *
 * It owns the queue of accepted messages, their delivery order, copies and expiry, as
 * `broker.ts` lays down. It leaves running user handlers one at a time and on the right
 * pool to `ChannelHub`.
 *
 * Delivery starts from a macrotask (`setImmediate`), not a microtask. A microtask queued
 * by `publish` would run handlers before a caller that awaits `send` reaches its next line,
 * and a handler that sends (two subscribers answering each other) would chain microtasks
 * forever and starve sockets and timers. `setImmediate` runs after pending I/O, so acks,
 * pongs and socket reads go first, as SPEC §4.3 asks of every job. A turn that runs past
 * a few milliseconds leaves the rest of the queue to the next one, for the same reason. The
 * Redis broker delivers through a memory broker of its own (`deliverLocally`), so both
 * brokers share this path.
 */
import { LonaError } from '../errors.js';
import type {
  Broker,
  BrokerMetrics,
  BrokerSubscription,
  ChannelMessage,
  MessageListener,
  OutgoingMessage,
} from './broker.js';
import { consoleErrorLogger, logChannelError, type ErrorLogger } from './error-logger.js';
import { Fifo } from './fifo.js';
import { dataCopier } from './json-data.js';
import { encodeMessage, isExpired, type EncodedMessage } from './message.js';
import { TopicIndex } from './topic-index.js';
import { validateTopic } from './topic.js';

export interface MemoryBrokerOptions {
  /** Where a listener's error goes. @default console.error */
  logger?: ErrorLogger;
  /** The clock that `expiresAt` is compared with, in ms since the epoch. @default Date.now */
  now?: () => number;
}

/**
 * Longest one delivery turn runs before it yields to I/O, in ms. A few milliseconds keep
 * the event loop responsive under a burst and still deliver hundreds of messages per turn.
 */
const TURN_BUDGET_MS = 5;

interface QueuedMessage extends EncodedMessage {
  /** Acceptance order; a subscription gets only messages accepted after it began. */
  readonly seq: number;
}

class MemorySubscription implements BrokerSubscription {
  readonly topic: string;
  readonly listener: MessageListener;
  /** The last message accepted before this subscription began. */
  readonly since: number;
  readonly #onEnd: (subscription: MemorySubscription) => void;
  #active = true;

  constructor(
    topic: string,
    listener: MessageListener,
    since: number,
    onEnd: (subscription: MemorySubscription) => void,
  ) {
    this.topic = topic;
    this.listener = listener;
    this.since = since;
    this.#onEnd = onEnd;
  }

  get isActive(): boolean {
    return this.#active;
  }

  unsubscribe(): void {
    if (!this.#active) return;
    this.#active = false;
    this.#onEnd(this);
  }

  /** Ends the subscription without telling the broker, which is clearing everything. */
  end(): void {
    this.#active = false;
  }
}

export class MemoryBroker implements Broker {
  readonly #logger: ErrorLogger;
  readonly #now: () => number;
  readonly #index = new TopicIndex<MemorySubscription>();
  /** Accepted messages not yet delivered, oldest first. */
  readonly #queue = new Fifo<QueuedMessage>();
  #seq = 0;
  #turn: NodeJS.Immediate | undefined;
  #closed = false;
  #published = 0;
  #delivered = 0;
  #droppedExpired = 0;

  constructor(options: MemoryBrokerOptions = {}) {
    this.#logger = options.logger ?? consoleErrorLogger;
    this.#now = options.now ?? Date.now;
  }

  publish(message: OutgoingMessage): Promise<void> {
    if (this.#closed) throw new LonaError('LONA_ERR_CHANNEL_CLOSED', { action: 'publish' });
    // Everything stays in this process, so `local` needs no handling here.
    this.deliverLocally(encodeMessage(message));
    this.#published++;
    return Promise.resolve();
  }

  /**
   * Queues a message that was checked and encoded elsewhere for this broker's
   * subscriptions, without counting it as published here. The Redis broker keeps its local
   * side in a memory broker and hands it what arrives from Redis, so both brokers share
   * one delivery path (order, copies, expiry, listener errors). Ignored once closed.
   */
  deliverLocally(message: EncodedMessage): void {
    if (this.#closed) return;
    this.#queue.push({ ...message, seq: ++this.#seq });
    this.#turn ??= setImmediate(this.#deliver);
  }

  subscribe(topic: string, listener: MessageListener): BrokerSubscription {
    if (this.#closed) throw new LonaError('LONA_ERR_CHANNEL_CLOSED', { action: 'subscribe' });
    validateTopic(topic);
    if (typeof listener !== 'function') {
      throw new LonaError('LONA_ERR_CHANNEL_BAD_HANDLER', { topic, got: typeof listener });
    }
    const subscription = new MemorySubscription(topic, listener, this.#seq, (ended) =>
      this.#index.delete(ended.topic, ended),
    );
    this.#index.add(topic, subscription);
    return subscription;
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    if (this.#turn) clearImmediate(this.#turn);
    this.#turn = undefined;
    this.#queue.clear();
    for (const subscription of this.#index.values()) subscription.end();
    this.#index.clear();
    return Promise.resolve();
  }

  metrics(): BrokerMetrics {
    return {
      published: this.#published,
      delivered: this.#delivered,
      droppedExpired: this.#droppedExpired,
    };
  }

  /** One delivery turn: delivers queued messages in order until the queue or the budget ends. */
  #deliver = (): void => {
    const started = performance.now();
    // `#turn` stays set until the turn ends, so listeners that publish only queue: their
    // messages join the queue behind the current ones and are delivered in this turn if the
    // budget allows, or in the one scheduled below.
    for (let message = this.#queue.shift(); message; message = this.#queue.shift()) {
      this.#deliverOne(message);
      if (this.#closed) return;
      if (performance.now() - started >= TURN_BUDGET_MS) break;
    }
    this.#turn = this.#queue.size > 0 ? setImmediate(this.#deliver) : undefined;
  };

  #deliverOne(message: QueuedMessage): void {
    const subscriptions = this.#index.match(message.topic);
    if (subscriptions.length === 0) return;
    const copy = dataCopier(message.text);
    for (const subscription of subscriptions) {
      // Checked per subscription: an earlier listener may have ended this one or closed
      // the broker, and an earlier slow listener may have let the message expire.
      if (this.#closed) return;
      if (!subscription.isActive || subscription.since >= message.seq) continue;
      if (isExpired(message.expiresAt, this.#now())) {
        this.#droppedExpired++;
        continue;
      }
      const delivered: ChannelMessage =
        message.expiresAt === undefined
          ? { topic: message.topic, data: copy() }
          : { topic: message.topic, data: copy(), expiresAt: message.expiresAt };
      this.#delivered++;
      try {
        subscription.listener(delivered);
      } catch (error) {
        logChannelError(
          this.#logger,
          'LONA_ERR_CHANNEL_HANDLER_THREW',
          { pattern: subscription.topic, topic: message.topic },
          error,
        );
      }
    }
  }
}
