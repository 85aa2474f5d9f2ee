import { describe, expect, it } from 'vitest';
import { LonaError } from '../errors.js';
import type { ChannelMessage } from './broker.js';
import type { ChannelHandler, JobScheduler } from './channel.js';
import { ChannelHub, type ChannelHubOptions } from './channel-hub.js';
import { MemoryBroker } from './memory-broker.js';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A handler that records messages and lets a test wait until it has seen some. */
function recorder(): {
  handler: ChannelHandler;
  seen: ChannelMessage[];
  until(n: number): Promise<void>;
} {
  const seen: ChannelMessage[] = [];
  const waiters: [number, () => void][] = [];
  return {
    seen,
    handler: (message) => {
      seen.push(message);
      for (const waiter of waiters) if (seen.length >= waiter[0]) waiter[1]();
    },
    until: (n) =>
      seen.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push([n, resolve])),
  };
}

function setup(options: Partial<ChannelHubOptions> & { clock?: { now: number } } = {}) {
  const logged: { message: string; error: unknown }[] = [];
  const now = options.clock ? () => options.clock!.now : Date.now;
  const broker = new MemoryBroker({ now });
  const hub = new ChannelHub({
    broker,
    logger: { error: (message, error) => logged.push({ message, error }) },
    now,
    ...options,
  });
  return { hub, broker, logged };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof LonaError ? error.code : `not a LonaError: ${String(error)}`;
  }
  return undefined;
}

describe('Channel', () => {
  describe('#subscribe', () => {
    it('runs the handler for messages sent to a matching topic', async () => {
      const { hub } = setup();
      const inbox = recorder();
      const channel = hub.channel('chat.*', inbox.handler);
      expect(channel.topic).toBe('chat.*');
      expect(channel.isSubscribed).toBe(true);
      expect(channel.handler).toBe(inbox.handler);
      await hub.channel('chat.room-1').send({ text: 'hi' });
      await inbox.until(1);
      expect(inbox.seen).toEqual([{ topic: 'chat.room-1', data: { text: 'hi' } }]);
      await hub.close();
    });

    it('throws LONA_ERR_CHANNEL_ALREADY_SUBSCRIBED on a second subscribe, and allows one after unsubscribe', async () => {
      const { hub } = setup();
      const channel = hub.channel('chat', () => {});
      expect(codeOf(() => channel.subscribe(() => {}))).toBe('LONA_ERR_CHANNEL_ALREADY_SUBSCRIBED');
      channel.unsubscribe();
      const inbox = recorder();
      channel.subscribe(inbox.handler);
      await channel.send(1);
      await inbox.until(1);
      expect(inbox.seen.map((m) => m.data)).toEqual([1]);
      await hub.close();
    });

    it('throws LONA_ERR_CHANNEL_BAD_HANDLER when the handler is not a function', async () => {
      const { hub } = setup();
      expect(codeOf(() => hub.channel('chat').subscribe({} as never))).toBe(
        'LONA_ERR_CHANNEL_BAD_HANDLER',
      );
      await hub.close();
    });

    it('handles one message at a time, in arrival order, when the handler is async', async () => {
      const { hub } = setup();
      const gates = [deferred(), deferred(), deferred()];
      const allFinished = deferred();
      const started: unknown[] = [];
      const finished: unknown[] = [];
      let running = 0;
      let mostAtOnce = 0;
      hub.channel<number>('work', async (message) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        started.push(message.data);
        await gates[message.data]?.promise;
        finished.push(message.data);
        running--;
        if (finished.length === 3) allFinished.resolve();
      });
      // A second subscriber without waits shows when all three have been delivered.
      const witness = recorder();
      hub.channel('work', witness.handler);
      const channel = hub.channel<number>('work');
      for (const data of [0, 1, 2]) await channel.send(data);
      await witness.until(3);
      expect(started).toEqual([0]);
      expect(hub.metrics().queued).toBe(2);
      gates[2]?.resolve();
      gates[1]?.resolve();
      gates[0]?.resolve();
      await allFinished.promise;
      expect(started).toEqual([0, 1, 2]);
      expect(finished).toEqual([0, 1, 2]);
      expect(mostAtOnce).toBe(1);
      await hub.close();
    });

    it('logs a handler that throws or rejects, and keeps the subscriber receiving', async () => {
      const { hub, logged } = setup();
      const failures = [new Error('sync'), new Error('async')];
      const inbox = recorder();
      hub.channel<number>('chat', async (message) => {
        if (message.data === 0) throw failures[0];
        if (message.data === 1) {
          await Promise.resolve();
          throw failures[1];
        }
        inbox.handler(message);
      });
      const channel = hub.channel('chat');
      for (const data of [0, 1, 2]) await channel.send(data);
      await inbox.until(1);
      expect(inbox.seen.map((m) => m.data)).toEqual([2]);
      expect(logged.map((entry) => entry.error)).toEqual(failures);
      expect(logged[0]?.message).toMatch(/^LONA_ERR_CHANNEL_HANDLER_THREW: .*'chat'/);
      expect(hub.metrics()).toMatchObject({ delivered: 3, handlerErrors: 2 });
      await hub.close();
    });
  });

  describe('#send', () => {
    it('returns before any handler runs', async () => {
      const { hub } = setup();
      const inbox = recorder();
      const channel = hub.channel('chat', inbox.handler);
      const accepted = channel.send('hi');
      expect(inbox.seen).toEqual([]);
      await accepted;
      await inbox.until(1);
      await hub.close();
    });

    it('throws at once for data that is not JSON or a bad ttlMs, and sends nothing', async () => {
      const { hub } = setup();
      const inbox = recorder();
      const channel = hub.channel('chat', inbox.handler);
      expect(codeOf(() => channel.send(() => {}))).toBe('LONA_ERR_CHANNEL_NOT_JSON');
      expect(codeOf(() => channel.send({ n: 1n }))).toBe('LONA_ERR_CHANNEL_NOT_JSON');
      for (const ttlMs of [0, -1, NaN, Infinity, '5']) {
        expect(codeOf(() => channel.send(1, { ttlMs: ttlMs as number }))).toBe(
          'LONA_ERR_CHANNEL_BAD_TTL',
        );
      }
      await channel.send('marker');
      await inbox.until(1);
      expect(inbox.seen.map((m) => m.data)).toEqual(['marker']);
      expect(hub.metrics().sent).toBe(1);
      await hub.close();
    });

    it('turns ttlMs into expiresAt on the hub clock', async () => {
      const clock = { now: 5_000 };
      const { hub } = setup({ clock });
      const inbox = recorder();
      const channel = hub.channel('news', inbox.handler);
      await channel.send('flash', { ttlMs: 250 });
      await inbox.until(1);
      expect(inbox.seen[0]).toEqual({ topic: 'news', data: 'flash', expiresAt: 5_250 });
      await hub.close();
    });

    it('drops a message that expires while it waits behind a slow handler', async () => {
      const clock = { now: 1_000 };
      const { hub } = setup({ clock });
      const gate = deferred();
      const handled: unknown[] = [];
      const last = deferred();
      hub.channel('news', async (message) => {
        handled.push(message.data);
        if (message.data === 'first') await gate.promise;
        if (message.data === 'last') last.resolve();
      });
      const witness = recorder();
      hub.channel('news', witness.handler);
      const channel = hub.channel('news');
      await channel.send('first');
      await channel.send('short-lived', { ttlMs: 100 });
      await channel.send('last');
      await witness.until(3);
      clock.now = 2_000;
      gate.resolve();
      await last.promise;
      expect(handled).toEqual(['first', 'last']);
      expect(hub.metrics().droppedExpired).toBe(1);
      await hub.close();
    });

    it('delivers a local message inside the process', async () => {
      const { hub } = setup();
      const inbox = recorder();
      hub.channel('local', inbox.handler);
      await hub.channel('local').send(1, { local: true });
      await inbox.until(1);
      expect(inbox.seen[0]?.data).toBe(1);
      await hub.close();
    });
  });

  describe('schedulers', () => {
    it("runs a handler only through the subscription's scheduler, one job at a time", async () => {
      let hubJobs = 0;
      const { hub } = setup({
        schedule: (job) => {
          hubJobs++;
          void job();
        },
      });
      const jobs: (() => Promise<void>)[] = [];
      const inbox = recorder();
      const channel = hub.channel('lane', inbox.handler, {
        schedule: (job) => void jobs.push(job),
      });
      const witness = recorder();
      hub.channel('lane', witness.handler, { schedule: (job) => void job() });
      await channel.send(1);
      await channel.send(2);
      await witness.until(2);
      expect(jobs).toHaveLength(1);
      expect(inbox.seen).toEqual([]);
      await jobs[0]?.();
      expect(inbox.seen.map((m) => m.data)).toEqual([1]);
      expect(jobs).toHaveLength(2);
      await jobs[1]?.();
      expect(inbox.seen.map((m) => m.data)).toEqual([1, 2]);
      // A job called twice does nothing the second time.
      await jobs[1]?.();
      expect(inbox.seen).toHaveLength(2);
      expect(jobs).toHaveLength(2);
      expect(hubJobs).toBe(0);
      await hub.close();
    });

    it('runs subscriptions without a scheduler of their own through the hub scheduler', async () => {
      const scheduled: string[] = [];
      const { hub } = setup({
        schedule: (job) => {
          scheduled.push('job');
          return job();
        },
      });
      const inbox = recorder();
      hub.channel('chat', inbox.handler);
      await hub.channel('chat').send(1);
      await inbox.until(1);
      expect(scheduled).toEqual(['job']);
      await hub.close();
    });

    it('drops, counts and logs a message whose job the scheduler refuses, then goes on', async () => {
      const { hub, logged } = setup();
      const refusal = new LonaError('LONA_ERR_POOL_QUEUE_FULL', { pool: 'channel', limit: 1 });
      let calls = 0;
      const schedule: JobScheduler = (job) => {
        calls++;
        if (calls === 1) throw refusal;
        if (calls === 2) return Promise.reject(refusal);
        return job();
      };
      const inbox = recorder();
      const channel = hub.channel('chat', inbox.handler, { schedule });
      for (const data of [1, 2, 3]) await channel.send(data);
      await inbox.until(1);
      expect(inbox.seen.map((m) => m.data)).toEqual([3]);
      expect(hub.metrics().droppedRefused).toBe(2);
      expect(logged.map((entry) => entry.error)).toEqual([refusal, refusal]);
      expect(logged[0]?.message).toMatch(
        /^LONA_ERR_CHANNEL_DELIVERY_REFUSED: .*'chat'.*LONA_ERR_POOL_QUEUE_FULL/,
      );
      await hub.close();
    });
  });

  describe('#unsubscribe', () => {
    it('lets a running handler finish and drops the messages waiting behind it', async () => {
      const { hub } = setup();
      const gate = deferred();
      const handled: unknown[] = [];
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const channel = hub.channel('chat', async (message) => {
        handled.push(message.data);
        await gate.promise;
        finish();
      });
      const witness = recorder();
      hub.channel('chat', witness.handler);
      for (const data of [1, 2, 3]) await channel.send(data);
      await witness.until(3);
      channel.unsubscribe();
      channel.unsubscribe();
      expect(channel.isSubscribed).toBe(false);
      expect(channel.handler).toBeUndefined();
      gate.resolve();
      await finished;
      await channel.send(4);
      await witness.until(4);
      expect(handled).toEqual([1]);
      expect(hub.metrics()).toMatchObject({ subscriptions: 1, queued: 0 });
      await hub.close();
    });
  });
});
