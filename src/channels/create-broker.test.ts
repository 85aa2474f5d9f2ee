import { describe, expect, it } from 'vitest';
import { createBroker } from './create-broker.js';
import { MemoryBroker } from './memory-broker.js';
import { RedisBroker, consoleBrokerLogger } from './redis-broker.js';

const neverLoads = (): Promise<never> => new Promise(() => {});

describe('createBroker', () => {
  it("gives the memory broker for 'memory'", async () => {
    const broker = createBroker('memory', consoleBrokerLogger);
    expect(broker).toBeInstanceOf(MemoryBroker);
    await broker.close();
  });

  it('gives the Redis broker for redis:// and rediss:// URLs', async () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://cache.example:6380/1', 'REDIS://h']) {
      const broker = createBroker(url, consoleBrokerLogger, { importClient: neverLoads });
      expect(broker).toBeInstanceOf(RedisBroker);
      await broker.close();
    }
  });

  it('throws LONA_ERR_CHANNEL_BROKER_UNKNOWN for anything else, password masked', () => {
    for (const setting of ['', 'Memory', 'redis', 'amqp://h', 'http://:secret@h']) {
      let thrown: unknown;
      try {
        createBroker(setting, consoleBrokerLogger);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'LONA_ERR_CHANNEL_BROKER_UNKNOWN' });
      expect(String((thrown as Error).message)).not.toContain('secret');
    }
  });
});
