/**
 * One subscriber's mailbox: it makes a handler take one message at a time, in arrival
 * order, through the scheduler its owner chose (SPEC §3.8, §4.1).
 *
 * It queues what the broker delivers and keeps exactly one job at the scheduler while it
 * has messages: the job takes the oldest message, drops it if it has expired by then,
 * awaits the handler, and only then is the next job handed over. So an async handler
 * finishes before the next message starts, and a pool or a view's lane sees one job per
 * message (fair round-robin) without a subscriber ever holding a slot while it waits for
 * its own previous message. Which scheduler, pool or lane to use, and patches after a
 * view's handler, are decided outside (`ChannelHub`, the view).
 */
import type { ChannelMessage } from './broker.js';
import type { ChannelHandler, JobScheduler } from './channel.js';
import { logChannelError, type ErrorLogger } from './error-logger.js';
import { Fifo } from './fifo.js';
import { isExpired } from './message.js';

/** Counters the queues of one hub add to. */
export interface DeliveryCounters {
  delivered: number;
  droppedExpired: number;
  droppedRefused: number;
  handlerErrors: number;
}

export interface SubscriberQueueOptions {
  /** The topic or pattern subscribed to, for log lines. */
  pattern: string;
  handler: ChannelHandler;
  schedule: JobScheduler;
  now: () => number;
  counters: DeliveryCounters;
  logger: ErrorLogger;
}

/** One job handed to the scheduler: whether it has run or been refused yet. */
interface Ticket {
  state: 'waiting' | 'started' | 'refused';
}

export class SubscriberQueue {
  readonly #pattern: string;
  readonly #handler: ChannelHandler;
  readonly #schedule: JobScheduler;
  readonly #now: () => number;
  readonly #counters: DeliveryCounters;
  readonly #logger: ErrorLogger;
  readonly #messages = new Fifo<ChannelMessage>();
  /** A job is at the scheduler or running; the next one is handed over when it ends. */
  #busy = false;
  #active = true;

  constructor(options: SubscriberQueueOptions) {
    this.#pattern = options.pattern;
    this.#handler = options.handler;
    this.#schedule = options.schedule;
    this.#now = options.now;
    this.#counters = options.counters;
    this.#logger = options.logger;
  }

  /** Messages waiting for the handler, the one being handled not included. */
  get pending(): number {
    return this.#messages.size;
  }

  get isActive(): boolean {
    return this.#active;
  }

  /** Queues a delivered message; ignored once the queue has ended. */
  push(message: ChannelMessage): void {
    if (!this.#active) return;
    this.#messages.push(message);
    if (!this.#busy) this.#pump();
  }

  /**
   * Drops the waiting messages and stops handing over jobs. A handler already running is
   * not interrupted (it owns no signal of ours); a job already at the scheduler does
   * nothing when it runs.
   */
  end(): void {
    this.#active = false;
    this.#messages.clear();
  }

  /** Hands one job to the scheduler if there is work and none is out. */
  #pump(): void {
    // A loop, not recursion: a scheduler that refuses synchronously drops one message per
    // round, so a long backlog cannot overflow the stack.
    while (this.#active && this.pending > 0) {
      this.#busy = true;
      const ticket: Ticket = { state: 'waiting' };
      try {
        const accepted = this.#schedule(this.#jobFor(ticket));
        if (isThenable(accepted)) accepted.then(undefined, this.#onRejectedFor(ticket));
        return;
      } catch (error) {
        // A scheduler that ran the job and then threw has not refused it: the job's own
        // end hands over the next one.
        if (!this.#refuse(ticket, error)) return;
      }
    }
    this.#busy = false;
  }

  // The job and rejection callbacks are made per message; they are returned anonymous
  // arrows, which transpilers leave without a name-setting wrapper on this hot path.
  #jobFor(ticket: Ticket): () => Promise<void> {
    return () => this.#runJob(ticket);
  }

  #onRejectedFor(ticket: Ticket): (error: unknown) => void {
    return (error) => {
      if (this.#refuse(ticket, error)) this.#pump();
    };
  }

  async #runJob(ticket: Ticket): Promise<void> {
    // A scheduler that calls a job twice, or after refusing it, gets a no-op.
    if (ticket.state !== 'waiting') return;
    ticket.state = 'started';
    try {
      await this.#handleNext();
    } finally {
      this.#pump();
    }
  }

  /** Marks a job refused unless it started; true if it was refused now. */
  #refuse(ticket: Ticket, error: unknown): boolean {
    if (ticket.state !== 'waiting') return false;
    ticket.state = 'refused';
    this.#dropRefused(error);
    return true;
  }

  /** The body of one job: the oldest live message through the handler. */
  async #handleNext(): Promise<void> {
    for (;;) {
      if (!this.#active) return;
      const message = this.#messages.shift();
      if (message === undefined) return;
      // Checked again here: the message may have waited behind earlier ones or in a pool's
      // queue since the broker delivered it.
      if (isExpired(message.expiresAt, this.#now())) {
        this.#counters.droppedExpired++;
        continue;
      }
      this.#counters.delivered++;
      try {
        await this.#handler(message);
      } catch (error) {
        this.#counters.handlerErrors++;
        logChannelError(
          this.#logger,
          'LONA_ERR_CHANNEL_HANDLER_THREW',
          { pattern: this.#pattern, topic: message.topic },
          error,
        );
      }
      return;
    }
  }

  /** The scheduler refused a job: the message it was for is dropped, counted and logged. */
  #dropRefused(error: unknown): void {
    const message = this.#messages.shift();
    if (!this.#active || message === undefined) return;
    this.#counters.droppedRefused++;
    const reason =
      (error as { code?: unknown } | null)?.code ??
      (error instanceof Error ? error.message : undefined);
    logChannelError(
      this.#logger,
      'LONA_ERR_CHANNEL_DELIVERY_REFUSED',
      { pattern: this.#pattern, topic: message.topic, reason },
      error,
    );
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
