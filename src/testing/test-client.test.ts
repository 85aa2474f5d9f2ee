import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Button, Div, JsonResponse, P, Span, UserAbort, View } from '../index.js';
import type { StopReason } from '../view/view-runtime.js';
import { Logger } from '../internal/logger.js';
import { createTestClient } from './test-client.js';
import { TestClientError } from './test-client-error.js';

/** The stop reasons of the Tracked views, in order. */
const stopReasons: StopReason[] = [];

/** A shared counter: every tab of one user sees the same daemon view. */
class Board extends View {
  count = new Span({ id: 'count' }, '0');
  override handleRequest() {
    this.isDaemon = true;
    return new Div(
      this.count,
      new Button(
        { id: 'inc', handleClick: () => this.count.setText(Number(this.count.getText()) + 1) },
        '+',
      ),
    );
  }
}

/** A view still in handleRequest, so that leaving it stops it with a reason. */
class Tracked extends View {
  count = new Span({ id: 'count' }, '0');
  override async handleRequest() {
    await this.show(
      new Div(
        this.count,
        new Button(
          { id: 'inc', handleClick: () => this.count.setText(Number(this.count.getText()) + 1) },
          '+',
        ),
      ),
    );
    await this.sleep(60_000);
  }
  override onStop(reason: StopReason) {
    stopReasons.push(reason);
  }
}

class Status extends View {
  override handleRequest() {
    return new JsonResponse({ session: this.request.sessionKey });
  }
}

function buildApp(): App {
  const app = new App({ logger: new Logger({ level: 'silent' }) });
  app.route('/board', Board);
  app.route('/tracked', Tracked);
  app.route('/status.json', Status, { interactive: false });
  // Node's own handler: no session cookie.
  app.route('/raw', (_req: unknown, res: { end(body: string): void }) => res.end('raw'), {
    httpPassThrough: true,
  });
  app.route(
    '/',
    class extends View {
      override handleRequest() {
        return new P('home');
      }
    },
  );
  return app;
}

/** Polls server-side state; the test client's own waits cover everything in the tab. */
async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('tabs and users', () => {
  const app = buildApp();
  beforeAll(() => app.start({ port: 0 }));
  afterAll(() => app.stop());

  it('gives two tabs of one user one cookie and one daemon view, patched in both', async () => {
    const client = createTestClient(app);
    const first = await client.open('/board');
    const second = await client.open('/board');
    expect(client.tabs).toEqual([first, second]);
    expect(second.viewId).toBe(first.viewId);
    await first.click('#inc');
    expect(first.text('#count')).toBe('1');
    await second.waitFor({ selector: '#count', text: '1' });
    await second.click('#inc');
    await first.waitFor({ selector: '#count', text: '2' });
    await client.close();
  });

  it('gives another user another cookie and its own daemon view', async () => {
    const client = createTestClient(app);
    const mine = await client.open('/board');
    await mine.click('#inc');
    const other = client.newUser();
    const theirs = await other.open('/board');
    const third = await createTestClient(app).open('/board');
    expect(other.cookies.sessionid).not.toBe(client.cookies.sessionid);
    expect(theirs.viewId).not.toBe(mine.viewId);
    expect(theirs.text('#count')).toBe('0');
    expect(third.viewId).not.toBe(mine.viewId);
    await third.client.close();
    await client.close();
    expect(other.tabs).toEqual([]);
  });

  it('keeps a daemon view across a dropped connection', async () => {
    const client = createTestClient(app);
    const view = await client.open('/board');
    await view.click('#inc');
    await view.disconnect();
    expect(view.connected).toBe(false);
    expect(view.text('#count')).toBe('1'); // the tab keeps showing what it showed
    await expect(view.click('#inc')).rejects.toThrow(
      /LONA_TEST_DISCONNECTED: click\('#inc'\): the tab is disconnected \(the connection was dropped by view.disconnect\(\)\); call view.reconnect\(\) first/,
    );
    await view.reconnect();
    expect(view.connected).toBe(true);
    expect(view.text('#count')).toBe('1');
    await view.click('#inc');
    expect(view.text('#count')).toBe('2');
    await client.close();
  });

  it('starts a new view after a dropped connection; the old one stops with UserAbort', async () => {
    const client = createTestClient(app);
    const view = await client.open('/tracked');
    await view.click('#inc');
    const stopsBefore = stopReasons.length;
    await view.disconnect();
    await until(() => stopReasons.length > stopsBefore);
    expect(stopReasons.at(-1)).toBeInstanceOf(UserAbort);
    const oldId = view.viewId;
    await view.reconnect();
    expect(view.viewId).not.toBe(oldId);
    expect(view.text('#count')).toBe('0');
    await client.close();
  });

  it('stops the view with UserAbort when the tab closes', async () => {
    const client = createTestClient(app);
    const view = await client.open('/tracked');
    const stopsBefore = stopReasons.length;
    await view.close();
    await until(() => stopReasons.length > stopsBefore);
    expect(stopReasons.at(-1)).toBeInstanceOf(UserAbort);
    expect(client.tabs).toEqual([]);
    await expect(view.click('#inc')).rejects.toThrow(/the tab was closed\)$/);
    await client.close();
  });

  it('makes HTTP requests as the user, with its session cookie', async () => {
    const client = createTestClient(app);
    await client.open('/tracked');
    const response = await client.fetch('/status.json');
    expect(await response.json()).toEqual({ session: client.cookies.sessionid });
    await client.close();
  });

  it('opens an unknown path: the 404 view', async () => {
    const client = createTestClient(app);
    const view = await client.open('/nowhere');
    expect(view.text()).toMatch(/404/);
    await client.close();
  });

  it('gets the session cookie from the root page when the first page sets none', async () => {
    const client = createTestClient(app);
    const view = await client.open('/raw');
    expect(client.cookies.sessionid).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(view.httpRedirectedTo).toMatch(/\/raw$/);
    await client.close();
  });
});

describe('the app under test', () => {
  it('starts the app when it is not running and stops it when the last client closes', async () => {
    const app = buildApp();
    const first = createTestClient(app);
    const second = createTestClient(app);
    const url = await first.start();
    expect(await second.start()).toBe(url);
    await (await first.open('/tracked')).click('#inc');
    await first.close();
    expect(app.server).not.toBeNull();
    await second.close();
    expect(app.server).toBeNull();
  });

  it('leaves an app the test started running', async () => {
    const app = buildApp();
    const url = await app.start({ port: 0 });
    const client = createTestClient(app);
    expect(await client.start()).toBe(url);
    await client.close();
    expect(app.server).not.toBeNull();
    await app.stop();
  });

  it('rejects what waits when the server goes away, with the close code', async () => {
    const app = buildApp();
    const client = createTestClient(app);
    const view = await client.open('/tracked');
    await app.stop();
    await until(() => view.closeCode !== null);
    expect(view.connected).toBe(false);
    expect(view.closeCode).toBe(1012);
    await expect(view.click('#inc')).rejects.toThrow(
      /the server closed the connection with 1012 \(the server is stopping or restarting\)/,
    );
    await client.close();
  });

  it('says why the server refused the connection', async () => {
    const app = buildApp();
    app.middleware({ handleConnection: () => new JsonResponse({ no: true }) });
    const client = createTestClient(app);
    const error = (await client.open('/tracked').catch((e: unknown) => e)) as TestClientError;
    expect(error).toBeInstanceOf(TestClientError);
    expect(error.code).toBe('LONA_TEST_DISCONNECTED');
    expect(error.message).toMatch(
      /1008 \(policy: malformed frames, or refused by a handleConnection middleware\)/,
    );
    expect(client.tabs).toEqual([]);
    await client.close();
    expect(app.server).toBeNull();
  });

  it('refuses to be used after close', async () => {
    const client = createTestClient(buildApp());
    await client.close();
    await expect(client.open('/')).rejects.toThrow(/this test client is closed/);
  });
});
