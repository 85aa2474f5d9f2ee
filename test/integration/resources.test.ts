/**
 * Resource management on a real server (SPEC §4): the runtime pool admits views in
 * order, HTTP keeps being served while it is full, lanes keep per-view order while other
 * views go on, housekeeping never waits for a slot, saturation gives 503s, shutdown stops
 * every view with ServerStop, blocking hooks are named, and runInThread works and is
 * cancelled with its view. Behaviour only: no timing assertions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Button, Div, JsonResponse, ServerStop, Span, View, runInThread } from '../../src/index.js';
import { MESSAGE, CLOSE_CODE } from '../../src/protocol/messages.js';
import { startApp, type StartedApp } from '../helpers/start-app.js';
import { connect, type Frame, type RawClient } from '../helpers/ws-client.js';
import { nodeIdOf } from '../helpers/tree.js';

const TASKS = new URL('../fixtures/thread-tasks.ts', import.meta.url).href;

let server: StartedApp | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

async function open(path: string): Promise<{ client: RawClient; viewId: string }> {
  const client = await connect(server!.url);
  clients.push(client);
  client.send([MESSAGE.VIEW_START, server!.url + path]);
  const started = await client.next((f) => f[0] === MESSAGE.VIEW_STARTED);
  return { client, viewId: started[1] as string };
}

const hasTree = (client: RawClient) => client.frames.some((f) => f[0] === MESSAGE.TREE);

/** A view that runs until released (by a click or its tab going away). */
function holdingView(log: string[]) {
  return class Holding extends View {
    async handleRequest() {
      const n = this.request.query.n as string;
      log.push(`start ${n}`);
      const done = new Button({ id: 'done' }, 'done');
      await this.awaitClick(done, { html: new Div(new Span({ id: 'n' }, n), done) });
      log.push(`end ${n}`);
      return new Div('finished');
    }
  };
}

describe('the runtime pool', () => {
  it('runs two views at once with MAX_RUNTIME_THREADS = 2 and admits the others in order', async () => {
    const log: string[] = [];
    server = await startApp(
      (app) => {
        app.route('/hold', holdingView(log));
        app.route(
          '/hello',
          class extends View {
            handleRequest() {
              return new JsonResponse({ hello: true });
            }
          },
          { interactive: false },
        );
      },
      { settings: { MAX_RUNTIME_THREADS: 2 } },
    );
    const tabs = [];
    for (let n = 1; n <= 5; n++) tabs.push(await open(`/hold?n=${n}`));
    await tabs[0]!.client.next((f) => f[0] === MESSAGE.TREE);
    await tabs[1]!.client.next((f) => f[0] === MESSAGE.TREE);
    await expect.poll(() => server!.app.metrics().pools.runtime.queued).toBe(3);
    expect(tabs.slice(2).map((t) => hasTree(t.client))).toEqual([false, false, false]);
    expect(server.app.metrics().pools.runtime.active).toBe(2);
    expect(server.app.metrics().views).toMatchObject({ running: 2, queued: 3 });

    // Plain HTTP does not wait behind long-running views.
    expect(await (await fetch(`${server.url}/hello`)).json()).toEqual({ hello: true });
    expect((await fetch(`${server.url}/hold?n=x`)).status).toBe(200);

    // Finishing view 1 admits view 3; closing view 2's tab admits view 4.
    const tree1 = tabs[0]!.client.frames.find((f) => f[0] === MESSAGE.TREE)!;
    tabs[0]!.client.send([
      MESSAGE.INPUT_EVENT,
      tabs[0]!.viewId,
      1,
      'click',
      nodeIdOf(tree1[3], 'done'),
      null,
      {},
    ]);
    await tabs[2]!.client.next((f) => f[0] === MESSAGE.TREE);
    expect(hasTree(tabs[3]!.client)).toBe(false);
    tabs[1]!.client.close();
    await tabs[3]!.client.next((f) => f[0] === MESSAGE.TREE);
    expect(hasTree(tabs[4]!.client)).toBe(false);
    expect(log).toEqual(['start 1', 'start 2', 'end 1', 'start 3', 'start 4']);
    await expect.poll(() => server!.app.metrics().pools.runtime.queued).toBe(1);
  });

  it('lets a queued start whose tab goes away leave the queue at once', async () => {
    const log: string[] = [];
    server = await startApp((app) => app.route('/hold', holdingView(log)), {
      settings: { MAX_RUNTIME_THREADS: 1 },
    });
    await open('/hold?n=1');
    const queued = await open('/hold?n=2');
    await expect.poll(() => server!.app.metrics().pools.runtime.queued).toBe(1);
    queued.client.close();
    await expect.poll(() => server!.app.metrics().pools.runtime.queued).toBe(0);
    expect(log).toEqual(['start 1']);
  });

  it('shows the 503 view with a retry hint past RUNTIME_QUEUE_MAX and counts the rejection', async () => {
    server = await startApp((app) => app.route('/hold', holdingView([])), {
      settings: { MAX_RUNTIME_THREADS: 1, RUNTIME_QUEUE_MAX: 1 },
    });
    await open('/hold?n=1');
    await open('/hold?n=2');
    const third = await open('/hold?n=3');
    const tree = await third.client.next((f) => f[0] === MESSAGE.TREE);
    expect(JSON.stringify(tree[3])).toContain('Server Busy');
    const busy = await third.client.next((f) => f[0] === MESSAGE.BUSY);
    expect(busy[2]).toBeGreaterThan(0);
    expect(server.app.metrics().pools.runtime.rejected).toBe(1);
    expect(server.logs.some((l) => l.includes('LONA_ERR_POOL_QUEUE_FULL'))).toBe(true);
  });

  it('shows the 503 view after RUNTIME_QUEUE_TIMEOUT_MS', async () => {
    server = await startApp((app) => app.route('/hold', holdingView([])), {
      settings: { MAX_RUNTIME_THREADS: 1, RUNTIME_QUEUE_TIMEOUT_MS: 50 },
    });
    await open('/hold?n=1');
    const second = await open('/hold?n=2');
    const tree = await second.client.next((f) => f[0] === MESSAGE.TREE);
    expect(JSON.stringify(tree[3])).toContain('Server Busy');
    expect(server.logs.some((l) => l.includes('LONA_ERR_POOL_QUEUE_TIMEOUT'))).toBe(true);
  });
});

describe('the http pool', () => {
  it('answers 503 with Retry-After past HTTP_QUEUE_MAX', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server = await startApp(
      (app) =>
        app.route(
          '/slow',
          class extends View {
            async handleRequest() {
              await gate;
              return 'slow';
            }
          },
          { interactive: false },
        ),
      { settings: { MAX_HTTP_THREADS: 1, HTTP_QUEUE_MAX: 1 } },
    );
    const first = fetch(`${server.url}/slow`);
    await expect.poll(() => server!.app.metrics().pools.http.active).toBe(1);
    const second = fetch(`${server.url}/slow`);
    await expect.poll(() => server!.app.metrics().pools.http.queued).toBe(1);
    const third = await fetch(`${server.url}/slow`);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(server.app.metrics().pools.http.rejected).toBe(1);
  });
});

describe('lanes and the worker pool', () => {
  it("keeps a view's events in order behind a slow handler while another view's events run", async () => {
    const order: string[] = [];
    let releaseSlow!: () => void;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    server = await startApp(
      (app) =>
        app.route(
          '/lane',
          class extends View {
            handleRequest() {
              const name = this.request.query.name as string;
              return new Div(
                new Button(
                  {
                    id: 'slow',
                    handleClick: async () => {
                      order.push(`${name} slow start`);
                      await slow;
                      order.push(`${name} slow end`);
                    },
                  },
                  's',
                ),
                new Button(
                  {
                    id: 'fast',
                    handleClick: () => {
                      order.push(`${name} fast`);
                    },
                  },
                  'f',
                ),
              );
            }
          },
        ),
      { settings: { MAX_WORKER_THREADS: 2 } },
    );
    const a = await open('/lane?name=A');
    const b = await open('/lane?name=B');
    const treeA = await a.client.next((f) => f[0] === MESSAGE.TREE);
    const treeB = await b.client.next((f) => f[0] === MESSAGE.TREE);
    a.client.send([
      MESSAGE.INPUT_EVENT,
      a.viewId,
      1,
      'click',
      nodeIdOf(treeA[3], 'slow'),
      null,
      {},
    ]);
    a.client.send([
      MESSAGE.INPUT_EVENT,
      a.viewId,
      2,
      'click',
      nodeIdOf(treeA[3], 'fast'),
      null,
      {},
    ]);
    await expect.poll(() => order).toContain('A slow start');
    b.client.send([
      MESSAGE.INPUT_EVENT,
      b.viewId,
      1,
      'click',
      nodeIdOf(treeB[3], 'fast'),
      null,
      {},
    ]);
    await b.client.next((f) => f[0] === MESSAGE.DONE && f[2] === 1);
    expect(order).toEqual(['A slow start', 'B fast']);
    // A's second event was acknowledged at once even though it waits.
    expect(a.client.frames.some((f) => f[0] === MESSAGE.ACK && f[2] === 2)).toBe(true);
    releaseSlow();
    await a.client.next((f) => f[0] === MESSAGE.DONE && f[2] === 2);
    expect(order).toEqual(['A slow start', 'B fast', 'A slow end', 'A fast']);
  });

  it('answers pings and acks while the worker pool is wholly busy', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server = await startApp(
      (app) =>
        app.route(
          '/busy',
          class extends View {
            handleRequest() {
              return new Div(new Button({ id: 'b', handleClick: () => gate }, 'b'));
            }
          },
        ),
      { settings: { MAX_WORKER_THREADS: 1 } },
    );
    const a = await open('/busy');
    const b = await open('/busy');
    const treeA = await a.client.next((f) => f[0] === MESSAGE.TREE);
    const treeB = await b.client.next((f) => f[0] === MESSAGE.TREE);
    a.client.send([MESSAGE.INPUT_EVENT, a.viewId, 1, 'click', nodeIdOf(treeA[3], 'b'), null, {}]);
    await expect.poll(() => server!.app.metrics().pools.worker.active).toBe(1);
    b.client.send([MESSAGE.INPUT_EVENT, b.viewId, 1, 'click', nodeIdOf(treeB[3], 'b'), null, {}]);
    await b.client.next((f) => f[0] === MESSAGE.ACK && f[2] === 1);
    b.client.send([MESSAGE.PING, 42]);
    await b.client.next((f) => f[0] === MESSAGE.PONG && f[1] === 42);
    expect(b.client.frames.some((f: Frame) => f[0] === MESSAGE.DONE)).toBe(false);
    release();
    await b.client.next((f) => f[0] === MESSAGE.DONE && f[2] === 1);
  });

  /** An app whose one worker slot a click on #b holds until `release()`. */
  async function busyWorkerApp(settings: Record<string, number>) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server = await startApp(
      (app) =>
        app.route(
          '/busy',
          class extends View {
            handleRequest() {
              return new Div(new Button({ id: 'b', handleClick: () => gate }, 'b'));
            }
          },
        ),
      { settings: { MAX_WORKER_THREADS: 1, ...settings } },
    );
    const holder = await open('/busy');
    const tree = await holder.client.next((f) => f[0] === MESSAGE.TREE);
    holder.client.send([
      MESSAGE.INPUT_EVENT,
      holder.viewId,
      1,
      'click',
      nodeIdOf(tree[3], 'b'),
      null,
      {},
    ]);
    await expect.poll(() => server!.app.metrics().pools.worker.active).toBe(1);
    return release;
  }

  it('shows the 503 view to a start whose middlewares waited past WORKER_QUEUE_TIMEOUT_MS', async () => {
    const release = await busyWorkerApp({ WORKER_QUEUE_TIMEOUT_MS: 50 });
    const client = await connect(server!.url);
    clients.push(client);
    client.send([MESSAGE.VIEW_START, server!.url + '/busy']);
    const tree = await client.next((f) => f[0] === MESSAGE.TREE);
    expect(JSON.stringify(tree[3])).toContain('Server Busy');
    expect(server!.logs.some((l) => l.includes('LONA_ERR_POOL_QUEUE_TIMEOUT'))).toBe(true);
    expect(server!.app.metrics().pools.worker.queued).toBe(0);
    release();
  });

  it('lets a start queued for a worker slot leave the queue when its tab goes away', async () => {
    const release = await busyWorkerApp({});
    const client = await connect(server!.url);
    clients.push(client);
    client.send([MESSAGE.VIEW_START, server!.url + '/busy']);
    await expect.poll(() => server!.app.metrics().pools.worker.queued).toBe(1);
    client.close();
    await expect.poll(() => server!.app.metrics().pools.worker.queued).toBe(0);
    expect(server!.app.metrics().views.queued).toBe(0);
    release();
  });

  it('closes a connection that floods a view past its lane bound with 4002', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server = await startApp(
      (app) =>
        app.route(
          '/flood',
          class extends View {
            handleRequest() {
              return new Div(new Button({ id: 'b', handleClick: () => gate }, 'b'));
            }
          },
        ),
      { settings: { MAX_QUEUED_INPUT_EVENTS_PER_VIEW: 5 } },
    );
    const tab = await open('/flood');
    const tree = await tab.client.next((f) => f[0] === MESSAGE.TREE);
    const id = nodeIdOf(tree[3], 'b');
    for (let i = 1; i <= 20; i++)
      tab.client.send([MESSAGE.INPUT_EVENT, tab.viewId, i, 'click', id, null, {}]);
    expect((await tab.client.closed).code).toBe(CLOSE_CODE.INPUT_FLOOD);
    release();
  });
});

describe('shutdown', () => {
  it('stops every view with ServerStop and closes sockets with 1012', async () => {
    const reasons: unknown[] = [];
    server = await startApp((app) =>
      app.route(
        '/run',
        class extends View {
          async handleRequest() {
            await this.show(new Div('running'));
            await this.sleep(60_000);
          }
          onStop(reason: unknown) {
            reasons.push(reason);
          }
        },
      ),
    );
    const tabs = [await open('/run'), await open('/run')];
    for (const tab of tabs) await tab.client.next((f) => f[0] === MESSAGE.TREE);
    const stopping = server.stop();
    server = undefined;
    const codes = await Promise.all(tabs.map((t) => t.client.closed.then((c) => c.code)));
    await stopping;
    expect(codes).toEqual([CLOSE_CODE.SERVER_RESTART, CLOSE_CODE.SERVER_RESTART]);
    expect(reasons).toHaveLength(2);
    expect(reasons.every((r) => r instanceof ServerStop)).toBe(true);
  });
});

describe('event-loop protection', () => {
  it('names the view class and hook that blocked the event loop', async () => {
    server = await startApp(
      (app) =>
        app.route(
          '/block',
          class BlockingView extends View {
            handleRequest() {
              const end = Date.now() + 80;
              while (Date.now() < end);
              return new Div('done');
            }
          },
        ),
      { settings: { EVENT_LOOP_BLOCK_WARN_MS: 30 } },
    );
    const tab = await open('/block');
    await tab.client.next((f) => f[0] === MESSAGE.TREE);
    const line = server.logs.find((l) => l.includes('LONA_WARN_EVENT_LOOP_BLOCKED'));
    expect(line).toMatch(/BlockingView\.handleRequest blocked the event loop for \d+ ms/);
  });
});

describe('runInThread', () => {
  it('returns results from another thread and passes errors with their message', async () => {
    const result = await runInThread<{ sum: number; threadId: number }>(TASKS, 'add', [2, 3]);
    expect(result.sum).toBe(5);
    expect(result.threadId).not.toBe(0);
    await expect(runInThread(TASKS, 'fail', ['thread boom'])).rejects.toThrow('thread boom');
  });

  it('refuses arguments that cannot be cloned with a coded error', async () => {
    await expect(runInThread(TASKS, 'add', [() => 1, 2])).rejects.toMatchObject({
      code: 'LONA_ERR_THREAD_NOT_CLONEABLE',
    });
  });

  it('is cancelled with its view', async () => {
    const outcome: string[] = [];
    server = await startApp((app) =>
      app.route(
        '/cpu',
        class extends View {
          async handleRequest() {
            await this.show(new Div('computing'));
            try {
              await runInThread(TASKS, 'spin', [30_000]);
              outcome.push('finished');
            } catch (error) {
              outcome.push(`cancelled: ${(error as Error).name}`);
            }
          }
        },
      ),
    );
    const tab = await open('/cpu');
    await tab.client.next((f) => f[0] === MESSAGE.TREE);
    await expect.poll(() => server!.app.metrics().pools.cpu.active).toBe(1);
    tab.client.close();
    await expect.poll(() => outcome, { timeout: 10_000 }).toEqual(['cancelled: UserAbort']);
    expect(server.app.metrics().pools.cpu.active).toBe(0);
  });
});
