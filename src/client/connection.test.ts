// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"navigation": {"disableMainFrameNavigation": true, "disableFallbackToSetURL": true}}}
import { describe, it, expect, afterEach, beforeEach, vi } from 'vitest';
import { CLOSE_CODE, MESSAGE } from '../protocol/messages.js';
import {
  LonaClient,
  MAX_RECONNECT_DELAY_MS,
  RELOAD_GUARD_KEY,
  reconnectDelay,
  type LonaClientOptions,
} from './connection.js';
import type { HookEvents } from './hooks.js';
import { el, text } from './test-nodes.js';

/** A WebSocket double: the test plays the server. */
class FakeSocket {
  static all: FakeSocket[] = [];
  static get last(): FakeSocket {
    return FakeSocket.all[FakeSocket.all.length - 1]!;
  }
  readyState = 0;
  sent: unknown[][] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(...frame: unknown[]) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

const TREE = el('1', 'div', {}, [
  el('2', 'button', {}, [text('3', 'Go')], { click: 0 }),
  el('4', 'a', { href: '/next' }, [text('5', 'next')]),
  el('f', 'form', { method: 'post', action: '/save' }, [
    el('n', 'input', { name: 'n', value: 'v' }),
    el('s', 'button', {}, [text('st', 'Save')]),
  ]),
]);

let client: LonaClient | undefined;

function setup(options: Partial<LonaClientOptions> = {}) {
  const root = document.createElement('div');
  root.id = 'lona';
  document.body.append(root);
  const reload = vi.fn();
  const assign = vi.fn();
  client = new LonaClient({
    root,
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    random: () => 0.5,
    reload,
    assign,
    ...options,
    settings: { CLIENT_PING_INTERVAL: 0, ...options.settings },
  });
  const hooks: [keyof HookEvents, unknown][] = [];
  for (const name of ['disconnect', 'reconnect', 'waiting', 'message'] as const) {
    client.hooks.on(name, (event) => hooks.push([name, event]));
  }
  client.start();
  return { client, root, reload, assign, hooks, html: document.documentElement };
}

/** Opens the socket and plays a started view with TREE at seq 1. */
function started(options?: Partial<LonaClientOptions>) {
  const ctx = setup(options);
  const ws = FakeSocket.last;
  ws.open();
  ws.receive(MESSAGE.VIEW_STARTED, 'v1', location.href);
  ws.receive(MESSAGE.TREE, 'v1', 1, TREE, 'Title');
  ws.sent.length = 0;
  return { ...ctx, ws };
}

function click(element: Element) {
  element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
}

beforeEach(() => {
  // The client logs what it refuses or retries; the tests check behaviour instead.
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  FakeSocket.all = [];
  history.replaceState(null, '', '/start');
  sessionStorage.clear();
});

afterEach(() => {
  client?.close();
  client = undefined;
  document.documentElement.removeAttribute('lona-waiting');
  document.body.replaceChildren();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('LonaClient: views', () => {
  it('opens the socket with the protocol version and starts the current URL', () => {
    setup();
    const ws = FakeSocket.last;
    expect(ws.url).toBe('ws://localhost:3000/_lona/ws?v=1');
    ws.open();
    expect(ws.sent).toEqual([[MESSAGE.VIEW_START, 'http://localhost:3000/start']]);
  });

  it('renders the tree of the started view and sets the title', () => {
    const { root } = started();
    expect(root.querySelector('button')?.textContent).toBe('Go');
    expect(document.title).toBe('Title');
  });

  it('ignores frames for another view id', () => {
    const { ws, root } = started();
    ws.receive(MESSAGE.TREE, 'old', 1, el('9', 'p'));
    ws.receive(MESSAGE.PATCHES, 'old', 2, [['text', '3', 'x']]);
    ws.receive(MESSAGE.TITLE, 'old', 'x');
    expect(root.querySelector('button')?.textContent).toBe('Go');
    expect(document.title).toBe('Title');
    expect(ws.sent).toEqual([]);
  });

  it('applies batches in sequence and ignores repeats', () => {
    const { ws, root } = started();
    ws.receive(MESSAGE.PATCHES, 'v1', 2, [['text', '3', 'Two']]);
    ws.receive(MESSAGE.PATCHES, 'v1', 2, [['text', '3', 'again']]);
    ws.receive(MESSAGE.PATCHES, 'v1', 3, [['text', '3', 'Three']]);
    expect(root.querySelector('button')?.textContent).toBe('Three');
    expect(ws.sent).toEqual([]);
  });

  it('asks for the whole tree after a sequence gap and ignores batches until it comes', () => {
    const { ws, root } = started();
    ws.receive(MESSAGE.PATCHES, 'v1', 3, [['text', '3', 'lost']]);
    ws.receive(MESSAGE.PATCHES, 'v1', 4, [['text', '3', 'lost']]);
    expect(ws.sent).toEqual([[MESSAGE.RESYNC, 'v1', 1]]);
    ws.receive(MESSAGE.TREE, 'v1', 4, el('1', 'p', {}, [text('2', 'fresh')]));
    ws.receive(MESSAGE.PATCHES, 'v1', 5, [['text', '2', 'fresher']]);
    expect(root.innerHTML).toBe('<p>fresher</p>');
  });

  it('asks for the whole tree when a patch fails', () => {
    const { ws } = started();
    ws.receive(MESSAGE.PATCHES, 'v1', 2, [['text', 'unknown', 'x']]);
    expect(ws.sent).toEqual([[MESSAGE.RESYNC, 'v1', 1]]);
  });

  it('reports a tree that fails to render as a client error', () => {
    const { ws } = started();
    ws.receive(MESSAGE.TREE, 'v1', 2, el('1', 'bad tag'));
    expect(ws.sent).toEqual([
      [MESSAGE.CLIENT_ERROR, 'v1', "Invalid tag name 'bad tag'", expect.any(String)],
    ]);
  });

  it('emits custom messages and sends them', () => {
    const { ws, hooks, client } = started();
    ws.receive(MESSAGE.CUSTOM, 'v1', { hi: 1 });
    ws.receive(MESSAGE.CUSTOM, 'other', { no: 1 });
    client.send({ back: 2 });
    expect(hooks).toEqual([['message', { data: { hi: 1 }, viewId: 'v1' }]]);
    expect(ws.sent).toEqual([[MESSAGE.CUSTOM, 'v1', { back: 2 }]]);
  });
});

describe('LonaClient: input events', () => {
  it('sends events with increasing ids and marks the node busy until done', () => {
    const { ws, root } = started();
    const button = root.querySelector('button')!;
    click(button);
    click(button);
    expect(ws.sent.map((frame) => frame.slice(0, 6))).toEqual([
      [MESSAGE.INPUT_EVENT, 'v1', 1, 'click', '2', '2'],
      [MESSAGE.INPUT_EVENT, 'v1', 2, 'click', '2', '2'],
    ]);
    expect(button.hasAttribute('lona-busy')).toBe(true);
    ws.receive(MESSAGE.ACK, 'v1', 1);
    ws.receive(MESSAGE.DONE, 'v1', 1, 1);
    expect(button.hasAttribute('lona-busy')).toBe(true);
    ws.receive(MESSAGE.DONE, 'v1', 2, 1);
    expect(button.hasAttribute('lona-busy')).toBe(false);
  });

  it('shows the waiting state when done takes longer than CLIENT_INPUT_EVENT_TIMEOUT', () => {
    vi.useFakeTimers();
    const { ws, root, html, hooks } = started({ settings: { CLIENT_INPUT_EVENT_TIMEOUT: 2 } });
    click(root.querySelector('button')!);
    vi.advanceTimersByTime(1999);
    expect(html.hasAttribute('lona-waiting')).toBe(false);
    vi.advanceTimersByTime(1);
    expect(html.getAttribute('lona-waiting')).toBe('input-event');
    ws.receive(MESSAGE.DONE, 'v1', 1, 1);
    expect(html.hasAttribute('lona-waiting')).toBe(false);
    expect(hooks).toEqual([
      ['waiting', { waiting: true, reasons: ['input-event'] }],
      ['waiting', { waiting: false, reasons: [] }],
    ]);
  });

  it('shows the waiting state when a view start takes longer than CLIENT_VIEW_START_TIMEOUT', () => {
    vi.useFakeTimers();
    const { html } = setup({ settings: { CLIENT_VIEW_START_TIMEOUT: 1 } });
    const ws = FakeSocket.last;
    ws.open();
    ws.receive(MESSAGE.VIEW_STARTED, 'v1', location.href);
    vi.advanceTimersByTime(1000);
    expect(html.getAttribute('lona-waiting')).toBe('view-start');
    ws.receive(MESSAGE.TREE, 'v1', 1, TREE);
    expect(html.hasAttribute('lona-waiting')).toBe(false);
  });

  it('shows the busy state with the retry hint', () => {
    const { ws, hooks, html } = started();
    ws.receive(MESSAGE.BUSY, 'v1', 5000);
    expect(html.getAttribute('lona-waiting')).toBe('busy');
    expect(hooks).toEqual([['waiting', { waiting: true, reasons: ['busy'], retryAfterMs: 5000 }]]);
  });
});

describe('LonaClient: navigation', () => {
  it('starts the next view for a link click and pushes its history entry once it started', () => {
    const { ws, root } = started();
    const entries = history.length;
    click(root.querySelector('a')!);
    expect(ws.sent).toEqual([[MESSAGE.VIEW_START, 'http://localhost:3000/next']]);
    expect(location.href).toBe('http://localhost:3000/start');
    // Frames of the old view are ignored from now on.
    ws.receive(MESSAGE.PATCHES, 'v1', 2, [['text', '3', 'x']]);
    expect(root.querySelector('button')?.textContent).toBe('Go');
    ws.receive(MESSAGE.VIEW_STARTED, 'v2', 'http://localhost:3000/next');
    expect(location.href).toBe('http://localhost:3000/next');
    expect(history.length).toBe(entries + 1);
  });

  it('loads a page that leaves the app from the current entry, so back returns here', () => {
    const replace = vi.fn();
    const { ws, root, assign } = started({ replace });
    const entries = history.length;
    click(root.querySelector('a')!);
    // The route is not interactive: the server answers the start with an HTTP redirect.
    ws.receive(MESSAGE.HTTP_REDIRECT, null, 'http://localhost:3000/next');
    expect(assign.mock.calls).toEqual([['http://localhost:3000/next']]);
    expect(replace).not.toHaveBeenCalled();
    expect(location.href).toBe('http://localhost:3000/start');
    expect(history.length).toBe(entries);
  });

  it('starts a POST navigation with its fields, and back/forward starts it with GET', () => {
    const { ws, root } = started();
    root.querySelector('form')!.requestSubmit();
    ws.receive(MESSAGE.VIEW_STARTED, 'v2', 'http://localhost:3000/save');
    expect(location.href).toBe('http://localhost:3000/save');
    click(root.querySelector('a')!);
    ws.sent.length = 0;
    history.replaceState(null, '', '/save'); // as the back button would
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(ws.sent).toEqual([[MESSAGE.VIEW_START, 'http://localhost:3000/save']]);
  });

  it('sends the fields of a POST navigation', () => {
    const { ws, root } = started();
    root.querySelector('form')!.requestSubmit();
    expect(ws.sent).toEqual([
      [MESSAGE.VIEW_START, 'http://localhost:3000/save', 'POST', { n: 'v' }],
    ]);
  });

  it('starts the view of the URL that back or forward leads to, but not for a fragment', () => {
    const { ws } = started();
    history.replaceState(null, '', '/start#part');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(ws.sent).toEqual([]);
    history.replaceState(null, '', '/earlier');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(ws.sent).toEqual([[MESSAGE.VIEW_START, 'http://localhost:3000/earlier']]);
  });

  it('follows redirects inside the app and HTTP redirects with a page load', () => {
    const { ws, assign } = started();
    ws.receive(MESSAGE.REDIRECT, 'v1', '../elsewhere?x=1');
    expect(ws.sent).toEqual([[MESSAGE.VIEW_START, 'http://localhost:3000/elsewhere?x=1']]);
    ws.receive(MESSAGE.VIEW_STARTED, 'v2', 'http://localhost:3000/elsewhere?x=1');
    expect(location.href).toBe('http://localhost:3000/elsewhere?x=1');
    ws.receive(MESSAGE.HTTP_REDIRECT, null, '/login');
    ws.receive(MESSAGE.HTTP_REDIRECT, null, 'javascript:alert(1)');
    expect(assign.mock.calls).toEqual([['http://localhost:3000/login']]);
  });

  it('lets a redirect that answers a view start take the history entry of that start', () => {
    const replace = vi.fn();
    const { ws, root, assign } = started({ replace });
    click(root.querySelector('a')!);
    const entries = history.length;
    ws.receive(MESSAGE.VIEW_STARTED, 'v2', 'http://localhost:3000/next');
    ws.receive(MESSAGE.REDIRECT, 'v2', '/target');
    ws.receive(MESSAGE.VIEW_STARTED, 'v3', 'http://localhost:3000/target');
    expect(location.href).toBe('http://localhost:3000/target');
    expect(history.length).toBe(entries + 1);
    ws.receive(MESSAGE.HTTP_REDIRECT, 'v3', '/login');
    expect(replace.mock.calls).toEqual([['http://localhost:3000/login']]);
    expect(assign).not.toHaveBeenCalled();
  });
});

describe('LonaClient: reconnect', () => {
  it('keeps full-jitter back-off within [0, min(30 s, base · 2^attempt))', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const bound = Math.min(MAX_RECONNECT_DELAY_MS, 1000 * 2 ** attempt);
      expect(reconnectDelay(attempt, 1000, () => 0)).toBe(0);
      expect(reconnectDelay(attempt, 1000, () => 0.999999)).toBeLessThan(bound);
      expect(reconnectDelay(attempt, 1000, () => 0.999999)).toBeGreaterThan(bound * 0.99);
    }
  });

  it('shows the disconnected state, reconnects with back-off and starts the current URL again', () => {
    vi.useFakeTimers();
    const { ws, html, hooks } = started({ settings: { CLIENT_AUTO_RECONNECT_TIMEOUT: 1000 } });
    history.pushState(null, '', '/now');
    ws.serverClose(1006);
    expect(html.getAttribute('lona-disconnected')).toBe('disconnected');
    expect(document.getElementById('lona-banner')?.textContent).toMatch(/Reconnecting/);
    vi.advanceTimersByTime(499); // random 0.5 × 1000 ms
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last.serverClose(1006); // the second attempt waits 0.5 × 2000 ms
    vi.advanceTimersByTime(999);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    const again = FakeSocket.last;
    again.open();
    expect(again.sent).toEqual([[MESSAGE.VIEW_START, 'http://localhost:3000/now']]);
    again.receive(MESSAGE.VIEW_STARTED, 'v2', location.href);
    expect(html.hasAttribute('lona-disconnected')).toBe(false);
    expect(document.getElementById('lona-banner')).toBeNull();
    expect(hooks).toEqual([
      ['disconnect', { code: 1006, reason: '' }],
      ['reconnect', {}],
    ]);
  });

  it('reconnects quickly after a server restart (1012)', () => {
    vi.useFakeTimers();
    const { ws } = started({ settings: { CLIENT_AUTO_RECONNECT_TIMEOUT: 20_000 } });
    ws.serverClose(CLOSE_CODE.SERVER_RESTART);
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('does not reconnect when CLIENT_AUTO_RECONNECT is off', () => {
    vi.useFakeTimers();
    const { ws } = started({ settings: { CLIENT_AUTO_RECONNECT: false } });
    ws.serverClose(1006);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('reloads once on a version mismatch, then asks the user to reload', () => {
    const first = setup();
    FakeSocket.last.serverClose(CLOSE_CODE.VERSION_MISMATCH);
    expect(first.reload).toHaveBeenCalledTimes(1);
    expect(sessionStorage.getItem(RELOAD_GUARD_KEY)).not.toBeNull();
    client!.close();
    document.body.replaceChildren();

    const second = setup();
    FakeSocket.last.serverClose(CLOSE_CODE.VERSION_MISMATCH);
    expect(second.reload).not.toHaveBeenCalled();
    expect(document.getElementById('lona-banner')?.textContent).toBe(
      'A new version is available, please reload.',
    );
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('clears the reload guard once a view started', () => {
    sessionStorage.setItem(RELOAD_GUARD_KEY, '1');
    started();
    expect(sessionStorage.getItem(RELOAD_GUARD_KEY)).toBeNull();
  });

  it('says that cookies are required on 4001 and does not reconnect', () => {
    vi.useFakeTimers();
    setup();
    FakeSocket.last.serverClose(CLOSE_CODE.NO_SESSION);
    vi.advanceTimersByTime(60_000);
    expect(document.getElementById('lona-banner')?.getAttribute('data-state')).toBe('cookies');
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('drops a socket whose pings go unanswered', () => {
    vi.useFakeTimers();
    const { ws, html } = started({ settings: { CLIENT_PING_INTERVAL: 10 } });
    vi.advanceTimersByTime(10_000);
    expect(ws.sent).toEqual([[MESSAGE.PING, expect.any(Number)]]);
    ws.receive(MESSAGE.PONG, ws.sent[0]![1]);
    vi.advanceTimersByTime(10_000);
    expect(html.hasAttribute('lona-disconnected')).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(html.getAttribute('lona-disconnected')).toBe('disconnected');
  });
});

describe('LonaClient: live reload (reloadOnReconnect)', () => {
  it('reloads the page, instead of starting the view again, once the restarted server answers', () => {
    vi.useFakeTimers();
    const { ws, reload } = started({ settings: { reloadOnReconnect: true } });
    ws.serverClose(CLOSE_CODE.SERVER_RESTART);
    vi.advanceTimersByTime(500); // random 0.5 × 1000 ms
    const again = FakeSocket.last;
    expect(again).not.toBe(ws);
    expect(reload).not.toHaveBeenCalled();
    again.open();
    expect(reload).toHaveBeenCalledTimes(1);
    expect(again.sent).toEqual([]);
  });

  it('keeps retrying quickly while the new process is not listening yet', () => {
    vi.useFakeTimers();
    const { ws, reload } = started({
      settings: { reloadOnReconnect: true, CLIENT_AUTO_RECONNECT_TIMEOUT: 5000 },
    });
    ws.serverClose(CLOSE_CODE.SERVER_RESTART);
    // A failed attempt closes with 1006; without the flag the back-off would double each time.
    for (let attempt = 1; attempt <= 8; attempt++) {
      vi.advanceTimersByTime(500);
      expect(FakeSocket.all).toHaveLength(1 + attempt);
      FakeSocket.last.serverClose(1006);
    }
    vi.advanceTimersByTime(500);
    FakeSocket.last.open();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not reload on the first connection, nor on a reconnect without the flag', () => {
    vi.useFakeTimers();
    const live = started({ settings: { reloadOnReconnect: true } });
    expect(live.reload).not.toHaveBeenCalled();
    client!.close();
    document.body.replaceChildren();

    const { ws, reload } = started();
    ws.serverClose(CLOSE_CODE.SERVER_RESTART);
    vi.advanceTimersByTime(500);
    FakeSocket.last.open();
    expect(reload).not.toHaveBeenCalled();
    expect(FakeSocket.last.sent).toEqual([[MESSAGE.VIEW_START, 'http://localhost:3000/start']]);
  });
});
