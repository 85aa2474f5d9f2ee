/**
 * Users in real Chromium (SPEC §3.3 daemon views, §3.7 middlewares, §3.9 sessions): the
 * session cookie and what a browser without cookies sees, daemon views shared by the tabs
 * of one user and never by two users, and middlewares that set the user, refuse a view
 * and hear about views that stop and are removed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  A,
  Button,
  Div,
  ForbiddenError,
  H1,
  Span,
  TextInput,
  View,
  type Request,
  type StopReason,
} from '../../src/index.js';
import { useBrowser, waitForText, waitUntil } from '../helpers/browser.js';
import { startApp, type StartedApp } from '../helpers/start-app.js';

/** A daemon view: one per user, shared by all of that user's tabs. */
class Shared extends View {
  override handleRequest() {
    this.isDaemon = true;
    const count = new Span({ id: 'count' }, '0');
    const mirror = new Span({ id: 'mirror' }, '');
    const text = new TextInput({ id: 'text', debounceMs: 0 });
    text.handleChange = () => mirror.setText(text.value);
    return new Div(
      count,
      new Button(
        { id: 'plus', handleClick: () => count.setText(Number(count.getText()) + 1) },
        '+',
      ),
      text,
      mirror,
    );
  }
}

class Members extends View {
  override handleRequest(request: Request) {
    return new Div(
      new H1({ id: 'user' }, String((request.user as { name?: string }).name)),
      new A({ id: 'to-admin', href: '/admin' }, 'admin'),
    );
  }
}

class Admin extends View {
  override handleRequest() {
    return new H1({ id: 'secret' }, 'secret');
  }
}

/** What the notification middleware hooks heard. */
const heard: string[] = [];

let server: StartedApp;
beforeAll(async () => {
  server = await startApp((app) => {
    app.route('/shared', Shared);
    app.route('/members', Members);
    app.route('/members/shared', Shared);
    app.route('/admin', Admin);
    app.middleware({
      handleRequest({ request }: { request: Request }) {
        if (request.url.pathname.startsWith('/members')) {
          request.user = { id: 'alice', name: 'Alice' };
        }
        if (request.url.pathname === '/admin') throw new ForbiddenError('admins only');
      },
      onViewStop({ view, reason }: { view: View; reason: StopReason }) {
        heard.push(
          `stop ${view.constructor.name} ${reason === undefined ? 'undefined' : reason.name}`,
        );
      },
      onViewCleanup({ view }: { view: View }) {
        heard.push(`cleanup ${view.constructor.name}`);
      },
    });
  });
});
afterAll(() => server.stop());

const browser = useBrowser(() => server.url);
const SESSION_COOKIE = () => server.app.settings.SESSIONS_KEY_NAME;

describe('the session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and differs between two browsers', async () => {
    const alice = await browser.newUser();
    const bob = await browser.newUser();
    const alicePage = await browser.open('/members', alice);
    await browser.open('/members', bob);
    const [aliceCookie] = (await alice.cookies()).filter((c) => c.name === SESSION_COOKIE());
    const [bobCookie] = (await bob.cookies()).filter((c) => c.name === SESSION_COOKIE());
    expect(aliceCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(aliceCookie!.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(bobCookie!.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(aliceCookie!.value).not.toBe(bobCookie!.value);
    expect(await alicePage.evaluate(() => (globalThis as any).document.cookie)).not.toContain(
      SESSION_COOKIE(),
    );
  });

  it('is required: a WebSocket without it is told that cookies are needed', async () => {
    const user = await browser.newUser();
    const page = await browser.open('/members', user);
    await waitForText(page, '#user', 'Alice');
    // The browser loses its cookie; the next connection has none.
    await user.clearCookies();
    for (const connection of server.app.server!.websocket.connections) {
      connection.socket.terminate();
    }
    await page.waitForSelector('#lona-banner[data-state="cookies"]');
    await waitForText(page, '#lona-banner', /needs cookies/);
    await page.waitForFunction(
      () =>
        (globalThis as any).document.documentElement.getAttribute('lona-disconnected') ===
        'cookies',
    );
  });
});

describe('daemon views', () => {
  it('are shared by two tabs of one user: clicks and typing in one show in the other', async () => {
    const user = await browser.newUser();
    const first = await browser.open('/shared', user);
    const second = await browser.open('/shared', user);
    await first.click('#plus');
    await waitForText(second, '#count', '1');
    await second.click('#plus');
    await waitForText(first, '#count', '2');
    await first.fill('#text', 'typed in the first tab');
    await waitForText(second, '#mirror', 'typed in the first tab');
    expect(await second.inputValue('#text')).toBe('typed in the first tab');
  });

  it("never overwrite the input a tab is typing in; it gets the other tab's value on blur", async () => {
    const user = await browser.newUser();
    const first = await browser.open('/shared', user);
    const second = await browser.open('/shared', user);
    await second.click('#text');
    await second.keyboard.type('second');
    await waitForText(first, '#mirror', 'second');
    await first.fill('#text', 'first');
    await waitForText(second, '#mirror', 'first');
    expect(await second.inputValue('#text')).toBe('second');
    await second.click('#plus');
    await second.waitForFunction(
      () => (globalThis as any).document.getElementById('text').value === 'first',
    );
  });

  it('outlive their tab: a new tab of the same user gets the same view back', async () => {
    const user = await browser.newUser();
    const first = await browser.open('/shared', user);
    await first.click('#plus');
    await waitForText(first, '#count', '1');
    await first.close();
    const again = await browser.open('/shared', user);
    await waitForText(again, '#count', '1');
  });

  it('are not shared between two users', async () => {
    const alice = await browser.open('/shared');
    await alice.click('#plus');
    await waitForText(alice, '#count', '1');
    const bob = await browser.open('/shared');
    await waitForText(bob, '#count', '0');
    await bob.click('#plus');
    await bob.click('#plus');
    await waitForText(bob, '#count', '2');
    await waitForText(alice, '#count', '1');
  });

  it('are shared by two browsers that a middleware logs in as the same user', async () => {
    const first = await browser.open('/members/shared');
    const second = await browser.open('/members/shared');
    await first.click('#plus');
    await waitForText(second, '#count', '1');
  });
});

describe('middlewares', () => {
  it('set request.user before the view runs', async () => {
    const page = await browser.open('/members');
    await waitForText(page, '#user', 'Alice');
  });

  it('refuse a view with ForbiddenError: the 403 view is shown', async () => {
    const user = await browser.newUser();
    const page = await user.newPage();
    await page.goto(new URL('/admin', server.url).href);
    await waitForText(page, 'body', /Forbidden/);
    expect(await page.locator('#secret').count()).toBe(0);
  });

  it('refuse a view started by in-app navigation: its 403 view is shown in the page', async () => {
    const page = await browser.open('/members');
    await page.click('#to-admin');
    await waitForText(page, '#lona', /Forbidden/);
    expect(new URL(page.url()).pathname).toBe('/admin');
    expect(await page.locator('#secret').count()).toBe(0);
  });

  it('hear onViewStop at the return of handleRequest and onViewCleanup when the tab leaves', async () => {
    heard.length = 0;
    const page = await browser.open('/members');
    await waitForText(page, '#user', 'Alice');
    await waitUntil(() => heard.length > 0, 'onViewStop');
    expect(heard).toEqual(['stop Members undefined']);
    await page.close();
    await waitUntil(
      () => heard.length > 1,
      () => `onViewCleanup; heard ${JSON.stringify(heard)}`,
    );
    expect(heard).toEqual(['stop Members undefined', 'cleanup Members']);
  });
});
