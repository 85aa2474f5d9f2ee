/**
 * The one suite every channel broker passes (STYLE rule 7): it checks the rules written in
 * `src/channels/broker.ts` against a fresh broker per test. `memory-broker.test.ts` runs it
 * for the in-process broker; the Redis broker's test runs it against a real server.
 *
 * It tests brokers only through the `Broker` interface. Per-subscriber handler queues,
 * schedulers and loggers belong to `ChannelHub` and are tested there. Negative checks wait
 * for a later marker message instead of for time: one sender's messages arrive in order, so
 * once the marker is in, anything sent before it has had its chance.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Broker, ChannelMessage, OutgoingMessage } from '../../src/channels/broker.js';
import { LonaError } from '../../src/errors.js';

export interface BrokerContractOptions {
  /**
   * Two brokers made by `makeBroker` stand for two processes. True if they exchange
   * messages (Redis), false if each keeps its own (memory). @default false
   */
  sharedAcrossInstances?: boolean;
}

/** Records what a subscription receives and lets a test wait for a number of messages. */
class Inbox {
  readonly messages: ChannelMessage[] = [];
  #waiters: { count: number; resolve: () => void }[] = [];

  readonly listener = (message: ChannelMessage): void => {
    this.messages.push(message);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.messages.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  };

  /** Resolves with everything received once at least `count` messages are in. */
  async until(count: number): Promise<ChannelMessage[]> {
    if (this.messages.length < count) {
      await new Promise<void>((resolve) => this.#waiters.push({ count, resolve }));
    }
    return this.messages;
  }

  get data(): unknown[] {
    return this.messages.map((message) => message.data);
  }

  get topics(): string[] {
    return this.messages.map((message) => message.topic);
  }
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof LonaError ? error.code : `not a LonaError: ${String(error)}`;
  }
  return undefined;
}

/** Lets a wrong delivery happen, for checks that have no later message to wait for. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

export function runBrokerContract(
  name: string,
  makeBroker: () => Broker | Promise<Broker>,
  options: BrokerContractOptions = {},
): void {
  describe(`Broker contract: ${name}`, () => {
    const made: Broker[] = [];

    async function broker(): Promise<Broker> {
      const created = await makeBroker();
      made.push(created);
      return created;
    }

    function subscribe(target: Broker, topic: string): Inbox {
      const inbox = new Inbox();
      target.subscribe(topic, inbox.listener);
      return inbox;
    }

    afterEach(async () => {
      await Promise.all(made.splice(0).map((b) => b.close()));
    });

    describe('delivery and topics', () => {
      it('delivers a message to a subscription to its topic, without expiresAt', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'chat.room-1');
        await b.publish({ topic: 'chat.room-1', data: { text: 'hi' } });
        const [message] = await inbox.until(1);
        expect(message).toEqual({ topic: 'chat.room-1', data: { text: 'hi' } });
        expect(message && 'expiresAt' in message).toBe(false);
      });

      it('delivers to subscriptions whose pattern matches the message topic', async () => {
        const b = await broker();
        const patterns = ['chat.*', '*', '*.room-1', 'chat.*-1', 'chat.room-1*'];
        const inboxes = patterns.map((pattern) => subscribe(b, pattern));
        await b.publish({ topic: 'chat.room-1', data: 1 });
        for (const inbox of inboxes) {
          expect((await inbox.until(1))[0]).toEqual({ topic: 'chat.room-1', data: 1 });
        }
      });

      it('delivers a message sent to a wildcard topic to the subscriptions it matches', async () => {
        const b = await broker();
        const room1 = subscribe(b, 'chat.room-1');
        const room2 = subscribe(b, 'chat:room-2');
        const news = subscribe(b, 'news.today');
        await b.publish({ topic: 'chat*', data: 'to all rooms' });
        await b.publish({ topic: '*', data: 'marker' });
        expect(await room1.until(2)).toEqual([
          { topic: 'chat*', data: 'to all rooms' },
          { topic: '*', data: 'marker' },
        ]);
        expect((await room2.until(2)).map((m) => m.data)).toEqual(['to all rooms', 'marker']);
        expect((await news.until(1)).map((m) => m.data)).toEqual(['marker']);
      });

      it('delivers nothing to subscriptions that match neither way', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'chat.*');
        await b.publish({ topic: 'news.today', data: 'no' });
        await b.publish({ topic: 'chat', data: 'no' });
        await b.publish({ topic: '*.room', data: 'no' });
        await b.publish({ topic: 'chat.marker', data: 'yes' });
        await inbox.until(1);
        expect(inbox.data).toEqual(['yes']);
      });

      it('delivers a message once to a subscription it matches both ways', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'chat.*');
        await b.publish({ topic: 'chat.*', data: 1 });
        await b.publish({ topic: 'chat.marker', data: 2 });
        await inbox.until(2);
        expect(inbox.data).toEqual([1, 2]);
      });

      it('delivers a message to every matching subscription, two on one topic included', async () => {
        const b = await broker();
        const first = subscribe(b, 'chat');
        const second = subscribe(b, 'chat');
        await b.publish({ topic: 'chat', data: 'x' });
        await b.publish({ topic: 'chat', data: 'marker' });
        expect((await first.until(2)).map((m) => m.data)).toEqual(['x', 'marker']);
        expect((await second.until(2)).map((m) => m.data)).toEqual(['x', 'marker']);
      });

      it('throws LONA_ERR_CHANNEL_BAD_TOPIC at publish and subscribe for invalid topics', async () => {
        const b = await broker();
        for (const topic of ['', 'a b', 'a/b', 'chat.räume', 'a?', 'a[0]', 42, undefined]) {
          expect(codeOf(() => b.publish({ topic, data: 1 } as OutgoingMessage))).toBe(
            'LONA_ERR_CHANNEL_BAD_TOPIC',
          );
          expect(codeOf(() => b.subscribe(topic as string, () => {}))).toBe(
            'LONA_ERR_CHANNEL_BAD_TOPIC',
          );
        }
      });

      it('throws LONA_ERR_CHANNEL_BAD_HANDLER when the listener is not a function', async () => {
        const b = await broker();
        expect(codeOf(() => b.subscribe('chat', 'handler' as never))).toBe(
          'LONA_ERR_CHANNEL_BAD_HANDLER',
        );
      });
    });

    describe('ordering', () => {
      it('delivers to each subscription in send order', async () => {
        const b = await broker();
        const first = subscribe(b, 'count');
        const second = subscribe(b, 'c*');
        const sent = Array.from({ length: 200 }, (_, i) => i);
        for (const i of sent) void b.publish({ topic: 'count', data: i });
        expect((await first.until(200)).map((m) => m.data)).toEqual(sent);
        expect((await second.until(200)).map((m) => m.data)).toEqual(sent);
      });

      it("keeps one sender's order across topics", async () => {
        const b = await broker();
        const inbox = subscribe(b, '*');
        const topics = ['a.1', 'b.1', 'a.2', 'c.1', 'b.2'];
        for (const topic of topics) await b.publish({ topic, data: topic });
        await inbox.until(topics.length);
        expect(inbox.topics).toEqual(topics);
      });

      it('never calls a listener before publish returns, from outside or inside a listener', async () => {
        const b = await broker();
        let depth = 0;
        let nested = false;
        const calls: unknown[] = [];
        const done = new Promise<void>((resolve) => {
          b.subscribe('ping', (message) => {
            if (depth > 0) nested = true;
            calls.push(message.data);
            if (message.data === 1) {
              depth++;
              void b.publish({ topic: 'ping', data: 2 });
              depth--;
            } else {
              resolve();
            }
          });
        });
        const accepted = b.publish({ topic: 'ping', data: 1 });
        expect(calls).toEqual([]);
        await accepted;
        await done;
        expect(calls).toEqual([1, 2]);
        expect(nested).toBe(false);
      });
    });

    describe('JSON copies', () => {
      it('gives each subscription its own copy, apart from the sender', async () => {
        const b = await broker();
        const sent = { list: [1, 2], nested: { n: 1 } };
        let mutatedCopy: unknown;
        b.subscribe('copy', (message) => {
          const data = message.data as typeof sent;
          data.list.push(99);
          data.nested.n = 99;
          mutatedCopy = data;
        });
        const other = subscribe(b, 'copy');
        await b.publish({ topic: 'copy', data: sent });
        const [received] = await other.until(1);
        expect(mutatedCopy).toEqual({ list: [1, 2, 99], nested: { n: 99 } });
        expect(received?.data).toEqual({ list: [1, 2], nested: { n: 1 } });
        expect(received?.data).not.toBe(sent);
        expect(sent).toEqual({ list: [1, 2], nested: { n: 1 } });
      });

      it('copies the data when publish is called', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'copy');
        const sent = { n: 1 };
        const accepted = b.publish({ topic: 'copy', data: sent });
        sent.n = 2;
        await accepted;
        expect((await inbox.until(1))[0]?.data).toEqual({ n: 1 });
      });

      it('delivers every kind of JSON value as sent', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'json');
        const values = [
          null,
          true,
          false,
          0,
          -1.5,
          1e21,
          '',
          'text ✓',
          [],
          {},
          [1, 'a', null],
          { a: { b: [{}] } },
        ];
        for (const data of values) void b.publish({ topic: 'json', data });
        await inbox.until(values.length);
        expect(inbox.data).toEqual(values);
      });

      it('sends what toJSON returns and leaves out undefined properties', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'json');
        const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
        await b.publish({ topic: 'json', data: { at, gone: undefined, kept: 1 } });
        expect((await inbox.until(1))[0]?.data).toEqual({ at: at.toISOString(), kept: 1 });
      });

      it('throws LONA_ERR_CHANNEL_NOT_JSON at publish for data JSON cannot carry, sending nothing', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'json');
        const cycle: Record<string, unknown> = {};
        cycle.self = cycle;
        const notJson: unknown[] = [
          undefined,
          () => 1,
          Symbol('s'),
          1n,
          NaN,
          Infinity,
          -Infinity,
          cycle,
          new Map([[1, 2]]),
          new Set([1]),
          new Point(1, 2),
          [1, undefined],
          { handler() {} },
          { deep: [1, { n: NaN }] },
          { deep: [1, { big: 10n }] },
          { bad: { toJSON: () => Symbol('x') } },
        ];
        for (const data of notJson) {
          expect(codeOf(() => b.publish({ topic: 'json', data }))).toBe(
            'LONA_ERR_CHANNEL_NOT_JSON',
          );
        }
        await b.publish({ topic: 'json', data: 'marker' });
        await inbox.until(1);
        expect(inbox.data).toEqual(['marker']);
      });
    });

    describe('expiry', () => {
      it('does not deliver a message whose expiresAt has passed, and counts it', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'news');
        await b.publish({ topic: 'news', data: 'stale', expiresAt: Date.now() - 60_000 });
        await b.publish({ topic: 'news', data: 'marker' });
        await inbox.until(1);
        expect(inbox.data).toEqual(['marker']);
        expect(b.metrics().droppedExpired).toBe(1);
      });

      it('delivers a message that has not expired, with its expiresAt', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'news');
        const expiresAt = Date.now() + 60_000;
        await b.publish({ topic: 'news', data: 'fresh', expiresAt });
        expect((await inbox.until(1))[0]).toEqual({ topic: 'news', data: 'fresh', expiresAt });
      });

      it('throws LONA_ERR_CHANNEL_BAD_MESSAGE for an expiresAt that is not a finite number', async () => {
        const b = await broker();
        for (const expiresAt of [NaN, Infinity, '1700000000000']) {
          const message = { topic: 'news', data: 1, expiresAt } as OutgoingMessage;
          expect(codeOf(() => b.publish(message))).toBe('LONA_ERR_CHANNEL_BAD_MESSAGE');
        }
      });
    });

    describe('local messages', () => {
      it('delivers a local message to subscriptions in the same process', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'local.*');
        await b.publish({ topic: 'local.x', data: 1, local: true });
        expect((await inbox.until(1))[0]).toEqual({ topic: 'local.x', data: 1 });
      });

      if (options.sharedAcrossInstances) {
        it('keeps a local message in its process and sends the others across', async () => {
          const here = await broker();
          const there = await broker();
          const near = subscribe(here, 'news');
          const far = subscribe(there, 'news');
          await here.publish({ topic: 'news', data: 'local', local: true });
          await here.publish({ topic: 'news', data: 'shared' });
          await far.until(1);
          expect(far.data).toEqual(['shared']);
          expect((await near.until(2)).map((m) => m.data)).toEqual(['local', 'shared']);
        });
      } else {
        it('keeps every message inside its own broker', async () => {
          const here = await broker();
          const there = await broker();
          const near = subscribe(here, 'news');
          const far = subscribe(there, 'news');
          await here.publish({ topic: 'news', data: 'shared' });
          await near.until(1);
          await settle();
          expect(far.messages).toEqual([]);
        });
      }
    });

    describe('#unsubscribe', () => {
      it('stops delivery at once, even of messages already accepted', async () => {
        const b = await broker();
        const leaving = new Inbox();
        const subscription = b.subscribe('chat', leaving.listener);
        const staying = subscribe(b, 'chat');
        await b.publish({ topic: 'chat', data: 'before' });
        subscription.unsubscribe();
        await b.publish({ topic: 'chat', data: 'after' });
        await staying.until(2);
        expect(leaving.messages).toEqual([]);
        expect(subscription.topic).toBe('chat');
      });

      it('can be called twice and leaves other subscriptions on the topic alone', async () => {
        const b = await broker();
        const subscription = b.subscribe('chat', () => {});
        const staying = subscribe(b, 'chat');
        subscription.unsubscribe();
        subscription.unsubscribe();
        await b.publish({ topic: 'chat', data: 1 });
        expect((await staying.until(1)).map((m) => m.data)).toEqual([1]);
      });
    });

    describe('listener errors', () => {
      it('goes on delivering when a listener throws', async () => {
        const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
        try {
          const b = await broker();
          const seen: unknown[] = [];
          b.subscribe('chat', (message) => {
            seen.push(message.data);
            throw new Error('listener failed');
          });
          const other = subscribe(b, 'chat');
          await b.publish({ topic: 'chat', data: 1 });
          await b.publish({ topic: 'chat', data: 2 });
          expect((await other.until(2)).map((m) => m.data)).toEqual([1, 2]);
          expect(seen).toEqual([1, 2]);
        } finally {
          spy.mockRestore();
        }
      });
    });

    describe('#close', () => {
      it('drops messages not yet delivered', async () => {
        const b = await broker();
        const inbox = subscribe(b, 'chat');
        void b.publish({ topic: 'chat', data: 1 });
        await b.close();
        await settle();
        expect(inbox.messages).toEqual([]);
      });

      it('makes publish and subscribe throw LONA_ERR_CHANNEL_CLOSED', async () => {
        const b = await broker();
        await b.close();
        expect(codeOf(() => b.publish({ topic: 'chat', data: 1 }))).toBe('LONA_ERR_CHANNEL_CLOSED');
        expect(codeOf(() => b.subscribe('chat', () => {}))).toBe('LONA_ERR_CHANNEL_CLOSED');
      });

      it('can be called twice', async () => {
        const b = await broker();
        await b.close();
        await expect(b.close()).resolves.toBeUndefined();
      });
    });

    describe('#ready', () => {
      it('resolves at once for a broker makeBroker has made, if the broker has it', async () => {
        const b = await broker();
        await expect(b.ready?.() ?? Promise.resolve()).resolves.toBeUndefined();
      });
    });

    describe('#metrics', () => {
      it('counts accepted messages and deliveries', async () => {
        const b = await broker();
        const first = subscribe(b, 'chat');
        const second = subscribe(b, 'chat*');
        for (const data of [1, 2, 3]) await b.publish({ topic: 'chat', data });
        await first.until(3);
        await second.until(3);
        expect(b.metrics()).toEqual({ published: 3, delivered: 6, droppedExpired: 0 });
      });
    });
  });
}
