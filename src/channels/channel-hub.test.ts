import { describe, expect, it } from 'vitest';
import { LonaError } from '../errors.js';
import { ChannelHub } from './channel-hub.js';
import { MemoryBroker } from './memory-broker.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof LonaError ? error.code : `not a LonaError: ${String(error)}`;
  }
  return undefined;
}

function quietHub(broker = new MemoryBroker()): ChannelHub {
  return new ChannelHub({ broker, logger: { error: () => {} } });
}

describe('ChannelHub', () => {
  describe('#channel', () => {
    it('throws LONA_ERR_CHANNEL_BAD_TOPIC for an invalid topic', async () => {
      const hub = quietHub();
      expect(codeOf(() => hub.channel('chat room'))).toBe('LONA_ERR_CHANNEL_BAD_TOPIC');
      await hub.close();
    });

    it('keeps the messages of two hubs apart', async () => {
      const first = quietHub();
      const second = quietHub();
      const seen: string[] = [];
      const done = new Promise<void>((resolve) => {
        first.channel('chat', () => {
          seen.push('first');
          resolve();
        });
      });
      second.channel('chat', () => {
        seen.push('second');
      });
      await first.channel('chat').send(1);
      await done;
      expect(seen).toEqual(['first']);
      await Promise.all([first.close(), second.close()]);
    });
  });

  describe('#metrics', () => {
    it('counts subscriptions, sent and delivered messages', async () => {
      const hub = quietHub();
      let handled = 0;
      const done = new Promise<void>((resolve) => {
        const count = () => {
          if (++handled === 4) resolve();
        };
        hub.channel('chat.*', count);
        hub.channel('chat.room', count);
      });
      hub.channel('unused');
      const channel = hub.channel('chat.room');
      await channel.send(1);
      await channel.send(2);
      await done;
      expect(hub.metrics()).toEqual({
        subscriptions: 2,
        queued: 0,
        sent: 2,
        delivered: 4,
        droppedExpired: 0,
        droppedRefused: 0,
        handlerErrors: 0,
      });
      await hub.close();
    });

    it('counts messages the broker dropped as expired', async () => {
      const clock = { now: 0 };
      const now = () => clock.now;
      const hub = new ChannelHub({
        broker: new MemoryBroker({ now }),
        now,
        logger: { error() {} },
      });
      const seen: unknown[] = [];
      const done = new Promise<void>((resolve) => {
        hub.channel('news', (message) => {
          seen.push(message.data);
          if (message.data === 'marker') resolve();
        });
      });
      const channel = hub.channel('news');
      await channel.send('stale', { ttlMs: 10 });
      await channel.send('marker');
      clock.now = 100;
      await done;
      expect(seen).toEqual(['marker']);
      expect(hub.metrics().droppedExpired).toBe(1);
      await hub.close();
    });
  });

  describe('#close', () => {
    it('ends every subscription, drops waiting messages and closes the broker', async () => {
      const broker = new MemoryBroker();
      const hub = quietHub(broker);
      const handled: unknown[] = [];
      const first = hub.channel('chat', (message) => void handled.push(message.data));
      const second = hub.channel('*', (message) => void handled.push(message.data));
      void first.send('never handled');
      const closing = hub.close();
      expect(hub.close()).toBe(closing);
      await closing;
      expect(hub.isClosed).toBe(true);
      expect(first.isSubscribed).toBe(false);
      expect(second.isSubscribed).toBe(false);
      expect(hub.metrics()).toMatchObject({ subscriptions: 0, queued: 0 });
      expect(codeOf(() => broker.publish({ topic: 'chat', data: 1 }))).toBe(
        'LONA_ERR_CHANNEL_CLOSED',
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(handled).toEqual([]);
    });

    it('makes channel, subscribe and send throw LONA_ERR_CHANNEL_CLOSED afterwards', async () => {
      const hub = quietHub();
      const channel = hub.channel('chat');
      await hub.close();
      expect(codeOf(() => hub.channel('chat'))).toBe('LONA_ERR_CHANNEL_CLOSED');
      expect(codeOf(() => channel.subscribe(() => {}))).toBe('LONA_ERR_CHANNEL_CLOSED');
      expect(codeOf(() => channel.send(1))).toBe('LONA_ERR_CHANNEL_CLOSED');
      expect(() => channel.unsubscribe()).not.toThrow();
    });
  });
});
