/**
 * Faults in user code (SPEC §3.3, §3.7, §3.8, §8): a view that throws in each of its
 * hooks, a middleware that throws in each of its hooks, channel handlers that throw, and a
 * browser that reports it could not render. Each fault stays with its own view or
 * request: a witness view of another user keeps counting on the same server, plain HTTP
 * keeps being served, and the process never sees an uncaught exception.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Button, Div, Span, View, type InputEvent, type StopReason } from '../../src/index.js';
import { CLOSE_CODE, MESSAGE } from '../../src/protocol/messages.js';
import { connect, type Frame, type RawClient } from '../helpers/ws-client.js';
import {
  click,
  nodeIdOf,
  openView,
  ping,
  printFigures,
  startServer,
  startView,
  textIdOf,
  until,
  watchProcess,
  type OpenView,
  type ReliableServer,
} from './support.js';

let server: ReliableServer;
let witness: OpenView;
let witnessClicks = 0;
const processWatch = watchProcess();
const rows: Array<[string, string]> = [];
const clients: RawClient[] = [];

/** What each view went through, by route path. */
const seen = new Map<string, { stop?: StopReason; stopped: number; cleaned: number }>();
function note(view: View, what: 'stop' | 'cleanup', reason?: StopReason): void {
  const path = view.request.url.pathname;
  const entry = seen.get(path) ?? { stopped: 0, cleaned: 0 };
  if (what === 'stop') Object.assign(entry, { stop: reason, stopped: entry.stopped + 1 });
  else entry.cleaned++;
  seen.set(path, entry);
}

class Counter extends View {
  count = new Span({ id: 'count' }, '0');
  override handleRequest(): Div | Promise<Div> {
    return new Div(
      this.count,
      new Button(
        { id: 'plus', handleClick: () => this.count.setText(Number(this.count.getText()) + 1) },
        '+',
      ),
    );
  }
  override onStop(reason: StopReason) {
    note(this, 'stop', reason);
  }
  override onCleanup() {
    note(this, 'cleanup');
  }
}

const boom = (where: string) => new Error(`boom in ${where}`);

/** A view that throws in the hook named by its route, and a button that gets it there. */
function faulty(hook: string) {
  return class Faulty extends Counter {
    constructor() {
      super();
      if (hook === 'constructor') throw boom(hook);
    }
    override handleRequest() {
      if (hook === 'handleRequest') throw boom(hook);
      if (hook === 'handleRequest-async') return Promise.reject(boom(hook));
      if (hook === 'subscribe')
        this.subscribe(`faults.${hook}`, () => {
          throw boom('a view channel handler');
        });
      const go = new Button(
        {
          id: 'go',
          handleClick: () => {
            if (hook === 'handleClick') throw boom(hook);
            if (hook === 'handleClick-async') return Promise.reject(boom(hook));
            return undefined;
          },
        },
        'go',
      );
      if (hook === 'handleInputEvent') go.events.add('my-event');
      return new Div(super.handleRequest() as Div, go);
    }
    override handleInputEventRoot(event: InputEvent) {
      if (hook === 'handleInputEventRoot') throw boom(hook);
      return event;
    }
    override handleInputEvent(event: InputEvent) {
      if (hook === 'handleInputEvent') throw boom(hook);
      return event;
    }
    override onStop(reason: StopReason) {
      super.onStop(reason);
      if (hook === 'onStop') throw boom(hook);
      if (hook === 'onStop-async') return Promise.reject(boom(hook));
    }
    override onCleanup() {
      super.onCleanup();
      if (hook === 'onCleanup') throw boom(hook);
      if (hook === 'onCleanup-async') return Promise.reject(boom(hook));
    }
  };
}

const HOOKS = [
  'constructor',
  'handleRequest',
  'handleRequest-async',
  'handleInputEventRoot',
  'handleClick',
  'handleClick-async',
  'handleInputEvent',
  'onStop',
  'onStop-async',
  'onCleanup',
  'onCleanup-async',
  'subscribe',
];

/** Throws in each hook for requests whose path names it. */
const faultyMiddleware = {
  handleHttpRequest({ request }: { request: { url: URL } }) {
    if (request.url.pathname === '/mw/handleHttpRequest') throw boom('handleHttpRequest');
  },
  handleConnection({ request }: { request: { headers: Record<string, unknown> } }) {
    if (request.headers['x-fault'] === 'handleConnection') throw boom('handleConnection');
  },
  handleWebsocketMessage({ message }: { message: unknown }) {
    if ((message as { fault?: boolean } | null)?.fault) throw boom('handleWebsocketMessage');
  },
  async handleRequest({ request }: { request: { url: URL } }) {
    if (request.url.pathname.startsWith('/mw/handleRequest')) throw boom('handleRequest');
  },
  onViewStop({ view }: { view: View }) {
    if (view.request.url.pathname === '/mw/onViewStop') throw boom('onViewStop');
  },
  async onViewCleanup({ view }: { view: View }) {
    if (view.request.url.pathname === '/mw/onViewCleanup') throw boom('onViewCleanup');
  },
};

let appHandlerCalls = 0;
let otherAppHandlerCalls = 0;

beforeAll(async () => {
  server = await startServer(
    (app) => {
      app.route('/witness', Counter);
      app.route('/http', class extends View {}, { interactive: false });
      for (const hook of HOOKS) app.route(`/fault/${hook}`, faulty(hook));
      app.route('/mw/handleHttpRequest', class extends View {}, { interactive: false });
      app.route('/mw/handleRequest-http', class extends View {}, { interactive: false });
      app.route('/mw/handleRequest', Counter);
      app.route('/mw/onViewStop', Counter);
      app.route('/mw/onViewCleanup', Counter);
      app.route('/plain', Counter);
      app.middleware(faultyMiddleware);
      app.channel('faults.app', () => {
        appHandlerCalls++;
        throw boom('an app channel handler');
      });
      app.channel('faults.*', () => void otherAppHandlerCalls++);
    },
    { watch: ['LONA_WARN_HOOK_THREW', 'boom in'] },
  );
  witness = await openView(server.url, '/witness');
});

afterAll(async () => {
  for (const client of clients.splice(0)) client.close();
  witness.client.close();
  await server.stop();
  processWatch.dispose();
  printFigures('faults.test.ts — each fault and what it reached', [
    ...rows,
    ['witness clicks, all handled', String(witnessClicks)],
    ['error lines logged', String(server.log.count('boom in'))],
    [
      'uncaught exceptions / unhandled rejections',
      `${processWatch.uncaught.length} / ${processWatch.unhandled.length}`,
    ],
  ]);
});

/** The witness (another user, same server) still counts, and HTTP still answers. */
async function witnessStillWorks(): Promise<void> {
  const { done } = await click(witness, nodeIdOf(witness.tree[3], 'plus')!, ++witnessClicks);
  expect(done[4]).toBeUndefined();
  const textId = textIdOf(witness.tree[3], 'count');
  const last = witness.client.frames
    .filter((f) => f[0] === MESSAGE.PATCHES)
    .flatMap((f) => f[3] as unknown[][])
    .filter((p) => p[1] === textId)
    .at(-1);
  expect(last?.[2]).toBe(String(witnessClicks));
  expect((await fetch(`${server.url}/http`)).status).toBe(200);
  expect(processWatch.uncaught).toEqual([]);
  expect(processWatch.unhandled).toEqual([]);
}

const showsError = (frame: Frame | undefined) =>
  frame !== undefined && JSON.stringify(frame[3]).includes('Internal Server Error');

/** Opens a fault route on its own connection. */
async function open(path: string, headers?: Record<string, string>): Promise<OpenView> {
  const view = await openView(server.url, path, { headers });
  clients.push(view.client);
  return view;
}

/** The trees a tab got for its view, in order. */
const trees = (view: OpenView) =>
  view.client.frames.filter((f) => f[0] === MESSAGE.TREE && f[1] === view.viewId);

describe('a view that throws', () => {
  it.each(['constructor', 'handleRequest', 'handleRequest-async'])(
    'in %s shows its own 500 view and nothing else notices',
    async (hook) => {
      const view = await open(`/fault/${hook}`);
      expect(showsError(view.tree)).toBe(true);
      rows.push([`view ${hook}`, '500 view in its tab']);
      await witnessStillWorks();
    },
  );

  it.each([
    ['handleInputEventRoot', 'click'],
    ['handleClick', 'click'],
    ['handleClick-async', 'click'],
    ['handleInputEvent', 'my-event'],
  ])(
    'in %s answers the event with done "error", shows its 500 view once and stops',
    async (hook, name) => {
      const view = await open(`/fault/${hook}`);
      expect(showsError(view.tree)).toBe(false);
      const go = nodeIdOf(view.tree[3], 'go')!;
      const from = view.client.frames.length;
      view.client.send([
        MESSAGE.INPUT_EVENT,
        view.viewId,
        1,
        name,
        go,
        go,
        name === 'click' ? {} : null,
      ]);
      const done = await view.client.next((f) => f[0] === MESSAGE.DONE && f[2] === 1, { from });
      expect(done[4]).toBe('error');
      expect(showsError(trees(view).at(-1))).toBe(true);
      // A second event finds the view stopped; no second 500 view.
      view.client.send([
        MESSAGE.INPUT_EVENT,
        view.viewId,
        2,
        name,
        go,
        go,
        name === 'click' ? {} : null,
      ]);
      const second = await view.client.next((f) => f[0] === MESSAGE.DONE && f[2] === 2, { from });
      expect(second[4]).toBe('view-stopped');
      expect(trees(view).filter(showsError)).toHaveLength(1);
      // onStop ran when handleRequest returned (reason undefined); the view now stopped with the error.
      const runtime = server.app.server!.views.registry.get(view.viewId);
      expect(runtime?.stopReason?.message).toBe(`boom in ${hook}`);
      rows.push([`view ${hook}`, `done "${done[4]}", 500 view once, then "${second[4]}"`]);
      await witnessStillWorks();
    },
  );

  it.each(['onStop', 'onStop-async', 'onCleanup', 'onCleanup-async'])(
    'in %s is logged, and the view is still cleaned up',
    async (hook) => {
      const before = server.log.count('LONA_WARN_HOOK_THREW');
      const view = await open(`/fault/${hook}`);
      view.client.close();
      await until(() => (seen.get(`/fault/${hook}`)?.cleaned ?? 0) === 1, `${hook} view cleanup`);
      await until(() => server.log.count('LONA_WARN_HOOK_THREW') > before, 'the coded warning');
      await until(
        () => ![...server.app.server!.views.registry.all()].some((r) => r.id === view.viewId),
        'the view to leave the registry',
      );
      rows.push([`view ${hook}`, 'LONA_WARN_HOOK_THREW logged, view removed']);
      await witnessStillWorks();
    },
  );

  it('in a channel handler (view.subscribe) shows that view its 500 view, and other subscribers still get the message', async () => {
    const first = await open('/fault/subscribe');
    const second = await open('/fault/subscribe');
    const before = otherAppHandlerCalls;
    await server.app.channel('faults.subscribe').send({ n: 1 });
    for (const view of [first, second]) {
      await view.client.next(
        (f) => f[0] === MESSAGE.TREE && f[1] === view.viewId && showsError(f),
        {
          from: 1,
        },
      );
    }
    await until(() => otherAppHandlerCalls > before, 'the app-level subscriber to get it');
    rows.push(['view channel handler', '500 view in each subscribing tab; app handler still ran']);
    await witnessStillWorks();
  });
});

describe('an app-level channel handler that throws', () => {
  it('is logged and counted; the next message is still handled', async () => {
    const errorsBefore = server.app.channels.metrics().handlerErrors;
    await server.app.channel('faults.app').send({ n: 1 });
    await server.app.channel('faults.app').send({ n: 2 });
    await until(() => appHandlerCalls === 2, 'both messages to be handled');
    await until(
      () => server.app.channels.metrics().handlerErrors === errorsBefore + 2,
      'both errors to be counted',
    );
    rows.push(['app channel handler', `called ${appHandlerCalls}×, each error counted`]);
    await witnessStillWorks();
  });
});

describe('a middleware that throws', () => {
  it('in handleHttpRequest answers that request with 500', async () => {
    const res = await fetch(`${server.url}/mw/handleHttpRequest`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('boom'); // no stack trace outside DEBUG
    rows.push(['middleware handleHttpRequest', `HTTP ${res.status}`]);
    await witnessStillWorks();
  });

  it('in handleRequest answers an HTTP request with 500 and shows a view start its 500 view', async () => {
    const res = await fetch(`${server.url}/mw/handleRequest-http`);
    expect(res.status).toBe(500);
    const view = await open('/mw/handleRequest');
    expect(showsError(view.tree)).toBe(true);
    rows.push(['middleware handleRequest', `HTTP ${res.status}; 500 view over the socket`]);
    await witnessStillWorks();
  });

  it('in handleConnection refuses that connection with 1008', async () => {
    const client = await connect(server.url, { headers: { 'x-fault': 'handleConnection' } });
    const { code } = await client.closed;
    expect(code).toBe(CLOSE_CODE.POLICY);
    rows.push(['middleware handleConnection', `closed ${code}`]);
    await witnessStillWorks();
  });

  it('in handleWebsocketMessage is logged and the connection stays open', async () => {
    const view = await open('/plain');
    view.client.send([MESSAGE.CUSTOM, view.viewId, { fault: true }]);
    await until(() => server.log.count('boom in handleWebsocketMessage') > 0, 'the error log line');
    await ping(view.client);
    const { done } = await click(view, nodeIdOf(view.tree[3], 'plus')!, 1);
    expect(done[4]).toBeUndefined();
    rows.push(['middleware handleWebsocketMessage', 'logged; its connection still works']);
    await witnessStillWorks();
  });

  it.each(['onViewStop', 'onViewCleanup'])(
    'in %s is logged and the view is still cleaned up',
    async (hook) => {
      const view = await open(`/mw/${hook}`);
      view.client.close();
      await until(() => (seen.get(`/mw/${hook}`)?.cleaned ?? 0) === 1, 'the view cleanup');
      await until(() => server.log.count(`boom in ${hook}`) > 0, 'the coded warning');
      rows.push([`middleware ${hook}`, 'LONA_WARN_HOOK_THREW logged, view removed']);
      await witnessStillWorks();
    },
  );

  it('in onStartup and onShutdown is logged and the app still starts and stops', async () => {
    const logs: string[] = [];
    const { Logger } = await import('../../src/internal/logger.js');
    const app = new App({
      logger: new Logger({ level: 'warn', sink: (_level, message) => logs.push(message) }),
    });
    app.route('/plain', Counter);
    app.middleware({
      onStartup() {
        throw boom('onStartup');
      },
      async onShutdown() {
        throw boom('onShutdown');
      },
    });
    const url = await app.start({ port: 0 });
    const client = await connect(url);
    const { tree } = await startView(client, url, '/plain');
    expect(showsError(tree)).toBe(false);
    client.close();
    await app.stop({ timeoutMs: 1_000 });
    expect(logs.filter((l) => l.includes('LONA_WARN_HOOK_THREW'))).toHaveLength(2);
    rows.push(['middleware onStartup / onShutdown', 'logged; the app started and stopped']);
    await witnessStillWorks();
  });
});

describe('a browser that cannot render', () => {
  it('gets the 500 view once for its own view only, however often it reports', async () => {
    const view = await open('/plain');
    const other = await open('/plain');
    for (let i = 0; i < 5; i++)
      view.client.send([MESSAGE.CLIENT_ERROR, view.viewId, 'TypeError: x', {}]);
    // A report about a view this connection does not show is ignored.
    view.client.send([MESSAGE.CLIENT_ERROR, other.viewId, 'TypeError: x', {}]);
    await view.client.next((f) => f[0] === MESSAGE.TREE && showsError(f), { from: 2 });
    await ping(view.client);
    expect(trees(view).filter(showsError)).toHaveLength(1);
    const { done } = await click(other, nodeIdOf(other.tree[3], 'plus')!, 1);
    expect(done[4]).toBeUndefined();
    expect(trees(other).filter(showsError)).toHaveLength(0);
    rows.push(['client render error ×5', '500 view once, its view only']);
    await witnessStillWorks();
  });
});
