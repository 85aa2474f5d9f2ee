/**
 * The broker interface: what every channel backend (in-process memory, Redis across
 * processes) implements, and the rules the shared contract suite
 * (`test/contracts/broker.contract.ts`) checks for each of them.
 *
 * A broker moves messages from publishers to subscriptions and nothing more. It does not
 * run user handlers one at a time, schedule them on pools or log their errors: `ChannelHub`
 * does that on top of `subscribe`. The rules:
 *
 * - `publish` checks the message at once and throws synchronously when it is invalid
 *   (`LONA_ERR_CHANNEL_BAD_TOPIC`, `LONA_ERR_CHANNEL_NOT_JSON`,
 *   `LONA_ERR_CHANNEL_BAD_MESSAGE`) or when the broker is closed (`LONA_ERR_CHANNEL_CLOSED`),
 *   so that a mistake surfaces at the call even when nobody awaits the promise. Otherwise
 *   it returns a promise that resolves once the broker has accepted the message (queued it
 *   in memory, or had it acknowledged by Redis) and rejects only if it could not be accepted.
 *   It never calls a listener before it returns.
 * - Listeners get a JSON copy of the data of their own: a listener may change what it
 *   received without any other listener, or the sender, seeing it.
 * - Delivery is at most once per subscription. Messages reach each subscription in the
 *   order the broker accepted them, so one sender's messages arrive in send order.
 * - A subscription is effective when `subscribe` returns; `unsubscribe()` stops delivery at
 *   once, including of messages accepted but not yet delivered.
 * - A message whose `expiresAt` has passed when a subscription's turn comes is not delivered
 *   to it and is counted in `droppedExpired`.
 * - A `local` message never leaves the process. For a broker that crosses processes, local
 *   messages still keep the order of the sender's other messages.
 * - `close()` stops all delivery, drops undelivered messages and makes later `publish` and
 *   `subscribe` calls throw `LONA_ERR_CHANNEL_CLOSED`. It may be called more than once.
 */

/** A message as a subscriber receives it. */
export interface ChannelMessage<T = unknown> {
  /** The topic the message was sent to; it may contain `*` (SPEC §3.8). */
  readonly topic: string;
  /** A JSON copy of the sent data, owned by this receiver. */
  readonly data: T;
  /** When the message stops being delivered, in ms since the epoch; absent if never. */
  readonly expiresAt?: number;
}

/** A message handed to `Broker.publish`. */
export interface OutgoingMessage {
  readonly topic: string;
  /** Must be JSON (see `json-data.ts`); the broker copies it before `publish` returns. */
  readonly data: unknown;
  /** In ms since the epoch; a subscriber whose turn comes later does not get the message. */
  readonly expiresAt?: number;
  /** Keep the message inside this process, even with a broker that crosses processes. */
  readonly local?: boolean;
}

/**
 * Receives a subscription's messages. Called from a later macrotask than `publish`; it
 * should hand the message on and return, since the broker delivers to other subscriptions
 * after it. If it throws, the broker logs the error and goes on.
 */
export type MessageListener = (message: ChannelMessage) => void;

/** What `Broker.subscribe` returns. */
export interface BrokerSubscription {
  /** The topic or pattern this subscription receives. */
  readonly topic: string;
  /** Stops delivery at once. Calling it again does nothing. */
  unsubscribe(): void;
}

/** Totals since the broker was made. */
export interface BrokerMetrics {
  /** Messages accepted by `publish` in this process. */
  published: number;
  /** Listener calls (one per message and subscription). */
  delivered: number;
  /** Deliveries skipped because the message had expired when the subscription's turn came. */
  droppedExpired: number;
}

export interface Broker {
  /** Accepts a message for delivery; see the rules above. */
  publish(message: OutgoingMessage): Promise<void>;
  /**
   * Delivers messages whose topic matches `topic` (both ways, see `topic.ts`) to
   * `listener` until the subscription ends. Throws `LONA_ERR_CHANNEL_BAD_TOPIC`,
   * `LONA_ERR_CHANNEL_BAD_HANDLER` or `LONA_ERR_CHANNEL_CLOSED`.
   */
  subscribe(topic: string, listener: MessageListener): BrokerSubscription;
  /**
   * Resolves once the broker receives messages from other processes, so that a message
   * sent elsewhere after it resolves reaches this process's subscriptions. A broker that
   * crosses no process boundary may leave it out: it is always ready.
   */
  ready?(): Promise<void>;
  /** Ends every subscription and releases the broker's resources (timers, connections). */
  close(): Promise<void>;
  metrics(): BrokerMetrics;
}
