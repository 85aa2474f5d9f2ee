/**
 * RedisBroker's own logic against a fake client: what happens to sends in flight, held
 * local messages and waits when a connection breaks, and a missing client. The real
 * server is exercised in test/integration/redis-broker.test.ts.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LonaError } from '../errors.js';
import type { ChannelMessage } from './broker.js';
import {
  RedisBroker,
  loadRedisClient,
  redactUrl,
  type BrokerLogger,
  type RedisClientModule,
  type RedisConnection,
} from './redis-broker.js';

/** Stands in for an ioredis connection; the test decides when it is up and what Redis answers. */
class FakeConnection extends EventEmitter implements RedisConnection {
  status = 'connecting';
  readonly sent: { channel: string; message: string; answer: (error?: Error) => void }[] = [];

  constructor(
    readonly url: string,
    readonly options: Record<string, unknown>,
  ) {
    super();
  }

  up(): void {
    this.status = 'ready';
    this.emit('ready');
  }

  drop(reason?: string): void {
    this.status = 'reconnecting';
    if (reason) this.emit('error', new Error(reason));
    this.emit('close');
  }

  publish(channel: string, message: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.sent.push({ channel, message, answer: (error) => (error ? reject(error) : resolve(1)) });
    });
  }

  subscribe(): Promise<unknown> {
    return Promise.resolve(1);
  }

  quit(): Promise<unknown> {
    this.status = 'end';
    return Promise.resolve('OK');
  }

  disconnect(): void {
    this.status = 'end';
  }

  /** What ioredis's socket does when destroyed: an error, then a close. */
  readonly stream = {
    destroyed: [] as string[],
    destroy: (error?: Error): void => {
      this.stream.destroyed.push(error?.message ?? '');
      this.drop(error?.message);
    },
  };
}

function recordingLogger(): BrokerLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    error: (message) => lines.push(`error: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
    info: (message) => lines.push(`info: ${message}`),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A broker on fake connections; `publisher` and `subscriber` exist once `opened` resolves. */
async function fakeBroker(url = 'redis://fake:1', options: { replyTimeoutMs?: number } = {}) {
  const made: FakeConnection[] = [];
  const importClient = (): Promise<RedisClientModule> =>
    Promise.resolve({
      default: class extends FakeConnection {
        constructor(u: string, o: Record<string, unknown>) {
          super(u, o);
          made.push(this);
        }
      },
    });
  const logger = recordingLogger();
  const broker = new RedisBroker(url, { logger, importClient, ...options });
  await tick();
  const [publisher, subscriber] = made;
  if (!publisher || !subscriber) throw new Error('expected two connections');
  /** Plays Redis: answers the publisher's sends and sends them to the subscriber. */
  const deliverSent = (): void => {
    for (const send of publisher.sent.splice(0)) {
      send.answer();
      subscriber.emit('message', send.channel, send.message);
    }
  };
  return { broker, publisher, subscriber, logger, deliverSent };
}

function inbox(broker: RedisBroker, topic: string): unknown[] {
  const data: unknown[] = [];
  broker.subscribe(topic, (message: ChannelMessage) => data.push(message.data));
  return data;
}

async function rejection(promise: Promise<unknown>): Promise<LonaError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LonaError)) throw new Error(`expected a LonaError, got ${String(error)}`);
  return error;
}

describe('RedisBroker', () => {
  it('asks ioredis neither to queue commands while away nor to send them twice', async () => {
    const { broker, publisher, subscriber } = await fakeBroker();
    for (const connection of [publisher, subscriber]) {
      expect(connection.options).toMatchObject({
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        autoResubscribe: false,
      });
    }
    await broker.close();
  });

  it('delivers its own shared messages when Redis sends them back, not before', async () => {
    const { broker, publisher, subscriber, deliverSent } = await fakeBroker();
    publisher.up();
    subscriber.up();
    await broker.ready();
    const received = inbox(broker, 't');
    const accepted = broker.publish({ topic: 't', data: 'shared' });
    await tick();
    expect(received).toEqual([]);
    deliverSent();
    await accepted;
    await tick();
    expect(received).toEqual(['shared']);
    await broker.close();
  });

  it('makes sends before the first connection wait, then sends them in order', async () => {
    const { broker, publisher, subscriber } = await fakeBroker();
    void broker.publish({ topic: 't', data: 1 });
    void broker.publish({ topic: 't', data: 2 });
    await tick();
    expect(publisher.sent).toEqual([]);
    publisher.up();
    subscriber.up();
    await broker.ready();
    expect(publisher.sent.map((send) => send.message.split('\n').pop())).toEqual(['1', '2']);
    await broker.close();
  });

  it('rejects a send in flight when the publisher breaks, and releases the local messages held behind it', async () => {
    const { broker, publisher, subscriber, logger } = await fakeBroker();
    publisher.up();
    subscriber.up();
    await broker.ready();
    const received = inbox(broker, 't');
    const inFlight = broker.publish({ topic: 't', data: 'shared' });
    await broker.publish({ topic: 't', data: 'local', local: true });
    publisher.drop('read ECONNRESET');

    const error = await rejection(inFlight);
    expect(error.code).toBe('LONA_ERR_CHANNEL_BROKER_DOWN');
    expect(error.message).toMatch(/may or may not have reached other processes/);
    await tick();
    expect(received).toEqual(['local']);
    expect(broker.isConnected).toBe(false);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(
        /^warn: channel broker: Redis connection lost \(redis:\/\/fake:1: read ECONNRESET\)/,
      ),
    );
    const refused = await rejection(broker.publish({ topic: 't', data: 'during' }));
    expect(refused.code).toBe('LONA_ERR_CHANNEL_BROKER_DOWN');
    expect(publisher.sent.length).toBe(1);

    publisher.up();
    expect(broker.isConnected).toBe(true);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(
        /^info: channel broker: Redis reconnected \(redis:\/\/fake:1\) after \d+ ms$/,
      ),
    );
    await broker.close();
  });

  it('releases held local messages when the subscriber breaks, since nothing will come back', async () => {
    const { broker, publisher, subscriber } = await fakeBroker();
    publisher.up();
    subscriber.up();
    await broker.ready();
    const received = inbox(broker, 't');
    const shared = broker.publish({ topic: 't', data: 'shared' });
    publisher.sent[0]?.answer();
    await shared;
    await broker.publish({ topic: 't', data: 'local', local: true });
    await tick();
    expect(received).toEqual([]);
    subscriber.drop();
    await tick();
    expect(received).toEqual(['local']);
    await broker.close();
  });

  it('drops and reopens the subscriber when an acknowledged message does not come back', async () => {
    const { broker, publisher, subscriber, logger, deliverSent } = await fakeBroker(
      'redis://fake:1',
      { replyTimeoutMs: 30 },
    );
    publisher.up();
    subscriber.up();
    await broker.ready();
    const received = inbox(broker, 't');
    const answered = broker.publish({ topic: 't', data: 'came back' });
    deliverSent();
    await answered;
    const lost = broker.publish({ topic: 't', data: 'never comes back' });
    publisher.sent[0]?.answer();
    await lost;
    await broker.publish({ topic: 't', data: 'local', local: true });
    await new Promise((resolve) => setTimeout(resolve, 80));

    expect(subscriber.stream.destroyed).toEqual([
      'Redis did not send a published message back within 30 ms',
    ]);
    expect(received).toEqual(['came back', 'local']);
    expect(broker.isConnected).toBe(false);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^warn: channel broker: Redis connection lost .*did not send/),
    );
    subscriber.up();
    await tick();
    expect(broker.isConnected).toBe(true);
    await broker.close();
  });

  it('leaves the subscriber alone while its messages come back', async () => {
    const { broker, publisher, subscriber, deliverSent } = await fakeBroker('redis://fake:1', {
      replyTimeoutMs: 20,
    });
    publisher.up();
    subscriber.up();
    await broker.ready();
    for (let i = 0; i < 5; i++) {
      const sent = broker.publish({ topic: 't', data: i });
      deliverSent();
      await sent;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(subscriber.stream.destroyed).toEqual([]);
    expect(broker.isConnected).toBe(true);
    await broker.close();
  });

  it('ignores messages on other Redis channels', async () => {
    const { broker, publisher, subscriber } = await fakeBroker();
    publisher.up();
    subscriber.up();
    await broker.ready();
    const received = inbox(broker, '*');
    subscriber.emit('message', 'other:channels', 'lona1\nsomeone\n1\nt\n\n1');
    subscriber.emit('message', broker.channel, 'lona1\nsomeone\n1\nt\n\n2');
    await tick();
    expect(received).toEqual([2]);
    await broker.close();
  });

  it('rejects connect with LONA_ERR_CHANNEL_BROKER_UNREACHABLE when the first attempt fails', async () => {
    const { broker, publisher, logger } = await fakeBroker();
    const waiting = broker.ready();
    const early = broker.publish({ topic: 't', data: 1 });
    publisher.drop('connect ECONNREFUSED 127.0.0.1:1');
    for (const promise of [waiting, early]) {
      const error = await rejection(promise);
      expect(error.code).toBe('LONA_ERR_CHANNEL_BROKER_UNREACHABLE');
      expect(error.message).toContain('connect ECONNREFUSED 127.0.0.1:1');
    }
    expect(logger.lines.filter((line) => line.startsWith('error: '))).toHaveLength(1);
    await broker.close();
  });

  it('fails every wait and send with LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING without ioredis, local messages aside', async () => {
    const missing = Object.assign(new Error("Cannot find package 'ioredis'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const logger = recordingLogger();
    const broker = new RedisBroker('redis://127.0.0.1:6379', {
      logger,
      importClient: () => Promise.reject(missing),
    });
    const received = inbox(broker, 't');
    const ready = await rejection(broker.ready());
    expect(ready.code).toBe('LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING');
    expect(ready.message).toContain('npm install ioredis');
    expect(ready.message).toContain("Cannot find package 'ioredis'");
    const sent = await rejection(broker.publish({ topic: 't', data: 1 }));
    expect(sent.code).toBe('LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING');
    await broker.publish({ topic: 't', data: 'local', local: true });
    await tick();
    expect(received).toEqual(['local']);
    expect(logger.lines).toEqual([
      expect.stringMatching(/^error: LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING: /),
    ]);
    await broker.close();
    const closed = await rejection(broker.ready());
    expect(closed.code).toBe('LONA_ERR_CHANNEL_CLOSED');
  });

  it('throws LONA_ERR_CHANNEL_BROKER_UNKNOWN for a URL that is not redis:// or rediss://', () => {
    for (const url of ['http://127.0.0.1:6379', 'redis', 'redis://[']) {
      expect(() => new RedisBroker(url)).toThrow(
        expect.objectContaining({ code: 'LONA_ERR_CHANNEL_BROKER_UNKNOWN' }),
      );
    }
  });

  it('takes the namespace from the options, else from the URL, else lona', async () => {
    const named = [
      new RedisBroker('redis://h:1', { importClient: () => new Promise(() => {}) }),
      new RedisBroker('redis://h:1?namespace=shop', { importClient: () => new Promise(() => {}) }),
      new RedisBroker('redis://h:1?namespace=shop', {
        namespace: 'blog',
        importClient: () => new Promise(() => {}),
      }),
    ];
    expect(named.map((broker) => broker.channel)).toEqual([
      'lona:channels',
      'shop:channels',
      'blog:channels',
    ]);
    await Promise.all(named.map((broker) => broker.close()));
  });
});

describe('loadRedisClient', () => {
  it('gives the client class of the ioredis module', async () => {
    const client = await loadRedisClient('redis://h:1');
    expect(typeof client).toBe('function');
  });

  it('says to install ioredis when the module has no client class', async () => {
    const error = await rejection(loadRedisClient('redis://h:1', () => Promise.resolve({})));
    expect(error.code).toBe('LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING');
  });
});

describe('redactUrl', () => {
  it('masks a password and leaves everything else', () => {
    expect(redactUrl('redis://user:secret@h:1/2')).toBe('redis://user:***@h:1/2');
    expect(redactUrl('rediss://h:1')).toBe('rediss://h:1');
    expect(redactUrl('not a url://:secret@h')).toBe('not a url://***@h');
  });
});
