/**
 * `Channel`, the user API of SPEC §3.8: one topic, at most one handler subscribed through
 * it, and `send`. Users get channels from `app.channel(topic, handler?)` (a `ChannelHub`)
 * and views through `view.subscribe(topic, handler)`.
 *
 * A channel only holds its topic and its current subscription. Checking, scheduling and
 * counting belong to the hub it came from; moving messages belongs to the broker.
 */
import { LonaError } from '../errors.js';
import type { ChannelMessage } from './broker.js';

/** Handles one message; the next one waits until a returned promise settles. */
export type ChannelHandler<T = unknown> = (message: ChannelMessage<T>) => void | Promise<void>;

/**
 * Runs a subscriber's jobs where its owner wants them: an app-level handler on the
 * `channel` pool, a view's handler in the view's lane followed by a patch flush.
 *
 * A scheduler must call `job` exactly once, at any later time, or refuse it by throwing or
 * by returning a promise that rejects before calling it (as a full pool queue does); the
 * message is then dropped, counted and logged. A job never rejects. The subscriber hands
 * over its next job only after this one has finished or been refused, so a scheduler never
 * holds two jobs of one subscriber.
 */
export type JobScheduler = (job: () => Promise<void>) => void | PromiseLike<unknown>;

export interface SendOptions {
  /** Drop the message for any subscriber whose turn comes later than this, in ms. */
  ttlMs?: number;
  /** Keep the message inside this process, even with the Redis broker. @default false */
  local?: boolean;
}

export interface SubscribeOptions {
  /** Where this subscription's handler runs. @default the hub's scheduler */
  schedule?: JobScheduler;
}

/** An active subscription, as the hub hands it to a channel. */
export interface HubSubscription {
  readonly isActive: boolean;
  unsubscribe(): void;
}

/** What a channel needs from the hub that made it. */
export interface ChannelBackend {
  subscribe(topic: string, handler: ChannelHandler, options: SubscribeOptions): HubSubscription;
  send(topic: string, data: unknown, options: SendOptions): Promise<void>;
}

export class Channel<T = unknown> {
  /** The topic this channel subscribes and sends to; it may contain `*`. */
  readonly topic: string;
  readonly #backend: ChannelBackend;
  #handler: ChannelHandler<T> | undefined;
  #subscription: HubSubscription | undefined;

  /** Made by `ChannelHub.channel()`, which has checked the topic. */
  constructor(topic: string, backend: ChannelBackend) {
    this.topic = topic;
    this.#backend = backend;
  }

  /** The subscribed handler, while subscribed. */
  get handler(): ChannelHandler<T> | undefined {
    return this.isSubscribed ? this.#handler : undefined;
  }

  /** False again after `unsubscribe()` or when the app stops. */
  get isSubscribed(): boolean {
    return this.#subscription?.isActive ?? false;
  }

  /**
   * Runs `handler` for every message whose topic matches this channel's, one message at a
   * time in arrival order. Throws `LONA_ERR_CHANNEL_ALREADY_SUBSCRIBED` if this channel is
   * subscribed, `LONA_ERR_CHANNEL_BAD_HANDLER` or `LONA_ERR_CHANNEL_CLOSED`.
   */
  subscribe(handler: ChannelHandler<T>, options: SubscribeOptions = {}): this {
    if (this.isSubscribed) {
      throw new LonaError('LONA_ERR_CHANNEL_ALREADY_SUBSCRIBED', { topic: this.topic });
    }
    // `T` is the receiver's claim about what senders send; the broker only guarantees JSON.
    this.#subscription = this.#backend.subscribe(this.topic, handler as ChannelHandler, options);
    this.#handler = handler;
    return this;
  }

  /**
   * Stops delivery: waiting messages are dropped; a handler already running finishes.
   * Does nothing when not subscribed.
   */
  unsubscribe(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#handler = undefined;
  }

  /**
   * Sends `data` to every subscription whose topic matches this channel's, this channel's
   * own included. Resolves when the broker has accepted the message, never after running a
   * handler. Throws at once, before anything is sent, on data that is not JSON
   * (`LONA_ERR_CHANNEL_NOT_JSON`), a bad `ttlMs` (`LONA_ERR_CHANNEL_BAD_TTL`) or after the
   * app stopped (`LONA_ERR_CHANNEL_CLOSED`).
   */
  send(data: T, options: SendOptions = {}): Promise<void> {
    return this.#backend.send(this.topic, data, options);
  }
}
