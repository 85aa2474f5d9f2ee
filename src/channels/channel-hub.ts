/**
 * `ChannelHub`: an app's channel system (SPEC §3.8). The App owns one and exposes it as
 * `app.channel(topic, handler?)`; there is no module-level registry, so two apps in one
 * process never see each other's messages unless they share a broker.
 *
 * The hub makes channels, checks what they send, gives every subscription a
 * `SubscriberQueue` that runs its handler one message at a time through a scheduler, and
 * counts what happens for `app.metrics()`. It leaves moving messages to its broker, pools to
 * whoever passes `schedule` (the resources code puts app-level handlers on the `channel`
 * pool), and binding to a view's lane to the view, which subscribes with its own scheduler.
 */
import { LonaError } from '../errors.js';
import type { Broker, BrokerSubscription } from './broker.js';
import {
  Channel,
  type ChannelBackend,
  type ChannelHandler,
  type HubSubscription,
  type JobScheduler,
  type SendOptions,
  type SubscribeOptions,
} from './channel.js';
import { consoleErrorLogger, type ErrorLogger } from './error-logger.js';
import { SubscriberQueue, type DeliveryCounters } from './subscriber-queue.js';
import { validateTopic } from './topic.js';

export interface ChannelHubOptions {
  /** Moves the messages. The hub owns it from now on and closes it in `close()`. */
  broker: Broker;
  /** Where handler errors and refused jobs are logged. @default console.error */
  logger?: ErrorLogger;
  /**
   * Runs the jobs of subscriptions that bring no scheduler of their own. The default runs
   * each job at once, in the broker's delivery turn. @default (job) => void job()
   */
  schedule?: JobScheduler;
  /**
   * The clock for `ttlMs` and expiry checks, in ms since the epoch. Give the broker the
   * same one. @default Date.now
   */
  now?: () => number;
}

/** A snapshot of the hub's counters for `app.metrics()`. */
export interface ChannelMetrics {
  /** Subscriptions active now. */
  subscriptions: number;
  /** Messages waiting in subscribers' queues now, the ones being handled not included. */
  queued: number;
  /** Messages the broker accepted from this hub's channels. */
  sent: number;
  /** Handler calls. */
  delivered: number;
  /** Messages not handled because they expired first, in the broker or in a queue. */
  droppedExpired: number;
  /** Messages dropped because a scheduler refused their job (a full pool queue, say). */
  droppedRefused: number;
  /** Handler calls that threw or rejected. */
  handlerErrors: number;
}

/** One subscription made through the hub: a broker subscription feeding a queue. */
class HubEntry implements HubSubscription {
  readonly queue: SubscriberQueue;
  readonly #brokerSubscription: BrokerSubscription;
  readonly #onEnd: (entry: HubEntry) => void;

  constructor(
    queue: SubscriberQueue,
    brokerSubscription: BrokerSubscription,
    onEnd: (entry: HubEntry) => void,
  ) {
    this.queue = queue;
    this.#brokerSubscription = brokerSubscription;
    this.#onEnd = onEnd;
  }

  get isActive(): boolean {
    return this.queue.isActive;
  }

  unsubscribe(): void {
    if (!this.queue.isActive) return;
    this.queue.end();
    this.#brokerSubscription.unsubscribe();
    this.#onEnd(this);
  }
}

const runAtOnce: JobScheduler = (job) => {
  void job();
};

export class ChannelHub {
  readonly #broker: Broker;
  readonly #logger: ErrorLogger;
  readonly #schedule: JobScheduler;
  readonly #now: () => number;
  readonly #entries = new Set<HubEntry>();
  readonly #counters: DeliveryCounters = {
    delivered: 0,
    droppedExpired: 0,
    droppedRefused: 0,
    handlerErrors: 0,
  };
  /** Bound once: every channel of this hub shares it. */
  readonly #backend: ChannelBackend = {
    subscribe: (topic, handler, options) => this.#subscribe(topic, handler, options),
    send: (topic, data, options) => this.#send(topic, data, options),
  };
  #sent = 0;
  #closing: Promise<void> | undefined;

  constructor(options: ChannelHubOptions) {
    this.#broker = options.broker;
    this.#logger = options.logger ?? consoleErrorLogger;
    this.#schedule = options.schedule ?? runAtOnce;
    this.#now = options.now ?? Date.now;
  }

  /** True once `close()` has been called. */
  get isClosed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * A channel for `topic`, subscribed to `handler` if one is given (SPEC:
   * `app.channel(topic, handler?)`). Throws `LONA_ERR_CHANNEL_BAD_TOPIC`,
   * `LONA_ERR_CHANNEL_BAD_HANDLER` or `LONA_ERR_CHANNEL_CLOSED`.
   */
  channel<T = unknown>(
    topic: string,
    handler?: ChannelHandler<T>,
    options?: SubscribeOptions,
  ): Channel<T> {
    this.#assertOpen('create a channel');
    const channel = new Channel<T>(validateTopic(topic), this.#backend);
    if (handler !== undefined) channel.subscribe(handler, options);
    return channel;
  }

  /**
   * Resolves once the broker receives messages from other processes (at once for the
   * memory broker); see `Broker.ready`. A message sent elsewhere before then may not reach
   * this app's subscriptions.
   */
  ready(): Promise<void> {
    return this.#broker.ready?.() ?? Promise.resolve();
  }

  metrics(): ChannelMetrics {
    let queued = 0;
    for (const entry of this.#entries) queued += entry.queue.pending;
    return {
      subscriptions: this.#entries.size,
      queued,
      sent: this.#sent,
      ...this.#counters,
      droppedExpired: this.#counters.droppedExpired + this.#broker.metrics().droppedExpired,
    };
  }

  /**
   * Ends every subscription (waiting messages are dropped), then closes the broker. Later
   * `channel`, `subscribe` and `send` calls throw `LONA_ERR_CHANNEL_CLOSED`. Handlers
   * already running are not awaited: they belong to pools and views, whose shutdown
   * bounds them. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const entry of [...this.#entries]) entry.unsubscribe();
    await this.#broker.close();
  }

  #subscribe(topic: string, handler: ChannelHandler, options: SubscribeOptions): HubSubscription {
    this.#assertOpen('subscribe');
    if (typeof handler !== 'function') {
      throw new LonaError('LONA_ERR_CHANNEL_BAD_HANDLER', { topic, got: typeof handler });
    }
    const queue = new SubscriberQueue({
      pattern: topic,
      handler,
      schedule: options.schedule ?? this.#schedule,
      now: this.#now,
      counters: this.#counters,
      logger: this.#logger,
    });
    const brokerSubscription = this.#broker.subscribe(topic, (message) => queue.push(message));
    const entry = new HubEntry(queue, brokerSubscription, (ended) => this.#entries.delete(ended));
    this.#entries.add(entry);
    return entry;
  }

  #send(topic: string, data: unknown, options: SendOptions): Promise<void> {
    this.#assertOpen('send');
    const { ttlMs, local } = options;
    let expiresAt: number | undefined;
    if (ttlMs !== undefined) {
      if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
        throw new LonaError('LONA_ERR_CHANNEL_BAD_TTL', { topic, got: String(ttlMs) });
      }
      expiresAt = this.#now() + ttlMs;
    }
    return this.#broker.publish({ topic, data, expiresAt, local }).then(() => {
      this.#sent++;
    });
  }

  #assertOpen(action: string): void {
    if (this.#closing) throw new LonaError('LONA_ERR_CHANNEL_CLOSED', { action });
  }
}
