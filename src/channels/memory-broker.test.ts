import { describe, expect, it } from 'vitest';
import { runBrokerContract } from '../../test/contracts/broker.contract.js';
import type { ChannelMessage } from './broker.js';
import { MemoryBroker } from './memory-broker.js';

runBrokerContract('memory', () => new MemoryBroker());

function nextMessage(broker: MemoryBroker, topic: string): Promise<ChannelMessage> {
  return new Promise((resolve) => {
    const subscription = broker.subscribe(topic, (message) => {
      subscription.unsubscribe();
      resolve(message);
    });
  });
}

describe('MemoryBroker', () => {
  it('does not deliver a message accepted before the subscription began', async () => {
    const broker = new MemoryBroker();
    await broker.publish({ topic: 'news', data: 'old' });
    const received: unknown[] = [];
    broker.subscribe('news', (message) => received.push(message.data));
    const marker = nextMessage(broker, 'news');
    await broker.publish({ topic: 'news', data: 'new' });
    await marker;
    expect(received).toEqual(['new']);
    await broker.close();
  });

  it('compares expiresAt with the clock it was given', async () => {
    const broker = new MemoryBroker({ now: () => 1_000 });
    const received: unknown[] = [];
    broker.subscribe('news', (message) => received.push(message.data));
    await broker.publish({ topic: 'news', data: 'at the limit', expiresAt: 1_000 });
    await broker.publish({ topic: 'news', data: 'expired', expiresAt: 999 });
    const marker = nextMessage(broker, 'news');
    await broker.publish({ topic: 'news', data: 'marker' });
    await marker;
    expect(received).toEqual(['at the limit', 'marker']);
    expect(broker.metrics().droppedExpired).toBe(1);
    await broker.close();
  });

  it('logs a listener error through its logger, with the code', async () => {
    const logged: [string, unknown][] = [];
    const broker = new MemoryBroker({ logger: { error: (m, e) => logged.push([m, e]) } });
    const failure = new Error('boom');
    broker.subscribe('chat.*', () => {
      throw failure;
    });
    const marker = nextMessage(broker, 'chat.room');
    await broker.publish({ topic: 'chat.room', data: 1 });
    await marker;
    expect(logged).toHaveLength(1);
    expect(logged[0]?.[0]).toMatch(/^LONA_ERR_CHANNEL_HANDLER_THREW: .*'chat\.\*'.*'chat\.room'/);
    expect(logged[0]?.[1]).toBe(failure);
    await broker.close();
  });

  it('lets other macrotasks run when a delivery turn runs long, keeping order', async () => {
    const broker = new MemoryBroker();
    const events: string[] = [];
    broker.subscribe('burst', (message) => {
      events.push(`message ${String(message.data)}`);
      if (message.data === 0) {
        setImmediate(() => events.push('other task'));
        // Longer than one turn's budget, so the broker must yield after this message.
        const start = performance.now();
        while (performance.now() - start < 20) {
          /* busy */
        }
      }
    });
    const done = new Promise<void>((resolve) =>
      broker.subscribe('burst', (message) => {
        if (message.data === 'end') resolve();
      }),
    );
    for (const data of [0, 1, 2, 'end']) void broker.publish({ topic: 'burst', data });
    await done;
    expect(events).toEqual(['message 0', 'other task', 'message 1', 'message 2', 'message end']);
    await broker.close();
  });
});
