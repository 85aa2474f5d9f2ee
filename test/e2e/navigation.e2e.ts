/**
 * Navigation in real Chromium (SPEC §2.6, §3.4, §3.6): links and forms inside a view start
 * the next view over the same socket without a page load, a form with a submit handler
 * sends its fields instead, back and forward work, and redirects are in-app
 * (RedirectResponse) or full page loads (HttpRedirectResponse), from handleRequest and from
 * a click handler. A property set on `window` survives exactly when no page load happened.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  A,
  Button,
  Div,
  Form,
  H1,
  HttpRedirectResponse,
  JsonResponse,
  P,
  Pre,
  RedirectResponse,
  Span,
  Submit,
  TextInput,
  View,
  type Request,
} from '../../src/index.js';
import { useBrowser, waitForText } from '../helpers/browser.js';
import { startApp, type StartedApp } from '../helpers/start-app.js';

class Home extends View {
  override handleRequest() {
    return new Div(
      new H1({ id: 'page' }, 'home'),
      new A({ id: 'to-second', href: '/second?from=home' }, 'second'),
      new A({ id: 'to-redirect', href: '/redirect-in-app' }, 'redirect'),
      new A({ id: 'to-http-redirect', href: '/redirect-http' }, 'http redirect'),
      new A({ id: 'to-plain', href: '/second', interactive: false }, 'plain link'),
      new A({ id: 'to-json', href: '/data.json' }, 'a non-interactive route, linked as usual'),
      new A({ id: 'to-nowhere', href: '/no/such/page' }, 'nowhere'),
      new Form(
        { id: 'get-form', action: '/echo', method: 'get' },
        new TextInput({ id: 'get-q', name: 'q' }),
        new Submit({ id: 'get-submit', value: 'search' }),
      ),
      new Form(
        { id: 'post-form', action: '/echo?via=post', method: 'post' },
        new TextInput({ id: 'post-name', name: 'name' }),
        new TextInput({ id: 'post-tag', name: 'tag', value: 'a' }),
        new TextInput({ id: 'post-tag2', name: 'tag', value: 'b' }),
        new Submit({ id: 'post-submit', value: 'send' }),
      ),
    );
  }
}

class Second extends View {
  override handleRequest(request: Request) {
    return new Div(
      new H1({ id: 'page' }, 'second'),
      new P({ id: 'query' }, JSON.stringify(request.query)),
      new A({ id: 'to-home', href: '/' }, 'home'),
    );
  }
}

/** Shows what the request that started it carried. */
class Echo extends View {
  override handleRequest(request: Request) {
    return new Div(
      new H1({ id: 'page' }, 'echo'),
      new Pre(
        { id: 'request' },
        `${request.method} query=${JSON.stringify(request.query)} post=${JSON.stringify(request.post)}`,
      ),
    );
  }
}

/** A form with a submit handler: no navigation, a submit event with the fields. */
class Submitting extends View {
  override handleRequest() {
    const result = new Span({ id: 'result' }, '');
    const name = new TextInput({ id: 'name', name: 'name', debounceMs: 5_000 });
    return new Div(
      new H1({ id: 'page' }, 'submitting'),
      new Form(
        {
          id: 'form',
          action: '/echo',
          handleSubmit: (event) =>
            result.setText(`${JSON.stringify(event.data)} value=${name.value}`),
        },
        name,
        new TextInput({ name: 'extra', value: 'x' }),
        new Submit({ id: 'submit', value: 'go' }),
      ),
      result,
    );
  }
}

class Target extends View {
  override handleRequest() {
    return new H1({ id: 'page' }, 'target');
  }
}

class Redirecting extends View {
  override handleRequest() {
    return new Div(
      new H1({ id: 'page' }, 'redirecting'),
      new Button(
        { id: 'in-app', handleClick: () => new RedirectResponse('/target?by=click') },
        'in app',
      ),
      new Button(
        { id: 'http', handleClick: () => new HttpRedirectResponse('/target?by=http-click') },
        'http',
      ),
    );
  }
}

let server: StartedApp;
beforeAll(async () => {
  server = await startApp((app) => {
    app.route('/', Home);
    app.route('/second', Second);
    app.route('/echo', Echo);
    app.route('/submitting', Submitting);
    app.route('/target', Target);
    app.route('/redirecting', Redirecting);
    app.route(
      '/data.json',
      class extends View {
        override handleRequest() {
          return new JsonResponse({ data: 'plain' });
        }
      },
      { interactive: false },
    );
    app.route(
      '/redirect-in-app',
      class extends View {
        override handleRequest() {
          return new RedirectResponse('/target?by=request');
        }
      },
    );
    app.route(
      '/redirect-http',
      class extends View {
        override handleRequest() {
          return new HttpRedirectResponse('/target?by=http-request');
        }
      },
    );
  });
});
afterAll(() => server.stop());

const browser = useBrowser(() => server.url);

/** Marks the page: the mark survives in-app navigation and is gone after a page load. */
async function mark(page: Page): Promise<void> {
  await page.evaluate(() => ((globalThis as any).pageMark = 'kept'));
}
async function marked(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as any).pageMark === 'kept');
}
const path = (page: Page) => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

describe('links', () => {
  it('start the next view without a page load and update the address bar', async () => {
    const page = await browser.open('/');
    await mark(page);
    await page.click('#to-second');
    await waitForText(page, '#page', 'second');
    await waitForText(page, '#query', '{"from":"home"}');
    expect(path(page)).toBe('/second?from=home');
    expect(await marked(page)).toBe(true);
  });

  it('leave a link with interactive: false to the browser', async () => {
    const page = await browser.open('/');
    await mark(page);
    await Promise.all([page.waitForEvent('load'), page.click('#to-plain')]);
    await waitForText(page, '#page', 'second');
    expect(await marked(page)).toBe(false);
  });

  it('to a non-interactive route load it, and back returns to the view at its own URL', async () => {
    const page = await browser.open('/');
    await Promise.all([page.waitForEvent('load'), page.click('#to-json')]);
    expect(path(page)).toBe('/data.json');
    expect(await page.textContent('body')).toContain('"data":"plain"');
    await page.goBack();
    await waitForText(page, '#page', 'home');
    expect(path(page)).toBe('/');
    await page.goForward();
    await page.waitForURL(/\/data\.json$/);
    await page.waitForFunction(() => document.body.textContent?.includes('"data":"plain"'));
  });

  it('come back to a working view when back leaves a page the browser loaded', async () => {
    const page = await browser.open('/');
    await Promise.all([page.waitForEvent('load'), page.click('#to-plain')]);
    await waitForText(page, '#page', 'second');
    await page.goBack();
    await waitForText(page, '#page', 'home');
    await page.click('#to-second');
    await waitForText(page, '#query', '{"from":"home"}');
  });

  it('to an unknown URL show the 404 view in the page', async () => {
    const page = await browser.open('/');
    await mark(page);
    await page.click('#to-nowhere');
    await waitForText(page, '#lona', /Not Found/);
    expect(path(page)).toBe('/no/such/page');
    expect(await marked(page)).toBe(true);
  });

  it('go back and forward between views without a page load', async () => {
    const page = await browser.open('/');
    await mark(page);
    await page.click('#to-second');
    await waitForText(page, '#page', 'second');
    await page.goBack();
    await waitForText(page, '#page', 'home');
    expect(path(page)).toBe('/');
    await page.goForward();
    await waitForText(page, '#page', 'second');
    expect(path(page)).toBe('/second?from=home');
    expect(await marked(page)).toBe(true);
  });
});

describe('forms', () => {
  it('navigate with GET: the next view gets the fields as its query', async () => {
    const page = await browser.open('/');
    await mark(page);
    await page.fill('#get-q', 'hello world');
    await page.click('#get-submit');
    await waitForText(page, '#page', 'echo');
    await waitForText(page, '#request', 'GET query={"q":"hello world"} post={}');
    expect(path(page)).toBe('/echo?q=hello+world');
    expect(await marked(page)).toBe(true);
  });

  it('navigate with POST: the next view gets request.method and request.post', async () => {
    const page = await browser.open('/');
    await mark(page);
    await page.fill('#post-name', 'Ada');
    await page.click('#post-submit');
    await waitForText(page, '#page', 'echo');
    await waitForText(
      page,
      '#request',
      'POST query={"via":"post"} post={"name":"Ada","tag":["a","b"]}',
    );
    expect(await marked(page)).toBe(true);
  });

  it('never replay a POST on back and forward', async () => {
    const page = await browser.open('/');
    await page.fill('#post-name', 'Ada');
    await page.click('#post-submit');
    await waitForText(page, '#request', /^POST/);
    await page.goBack();
    await waitForText(page, '#page', 'home');
    await page.goForward();
    await waitForText(page, '#request', 'GET query={"via":"post"} post={}');
  });

  it('with a submit handler send a submit event with the fields and do not navigate', async () => {
    const page = await browser.open('/submitting');
    await mark(page);
    await page.fill('#name', 'Grace');
    await page.click('#submit');
    // The pending (debounced) change of #name was sent before the submit.
    await waitForText(page, '#result', '{"name":"Grace","extra":"x"} value=Grace');
    expect(path(page)).toBe('/submitting');
    expect(await marked(page)).toBe(true);
  });
});

describe('redirects', () => {
  it('from handleRequest: RedirectResponse navigates in the app', async () => {
    const page = await browser.open('/');
    await mark(page);
    await page.click('#to-redirect');
    await waitForText(page, '#page', 'target');
    expect(path(page)).toBe('/target?by=request');
    expect(await marked(page)).toBe(true);
  });

  it('from handleRequest: RedirectResponse leaves no history entry to come back to', async () => {
    const page = await browser.open('/');
    await page.click('#to-redirect');
    await waitForText(page, '#page', 'target');
    await page.goBack();
    await waitForText(page, '#page', 'home');
    expect(path(page)).toBe('/');
    await page.goForward();
    await waitForText(page, '#page', 'target');
    expect(path(page)).toBe('/target?by=request');
  });

  it('from handleRequest: HttpRedirectResponse loads the page', async () => {
    const page = await browser.open('/');
    await mark(page);
    await page.click('#to-http-redirect');
    await page.waitForURL('**/target?by=http-request');
    await waitForText(page, '#page', 'target');
    expect(await marked(page)).toBe(false);
  });

  it('from handleRequest: HttpRedirectResponse leaves no history entry to come back to', async () => {
    const page = await browser.open('/');
    await page.click('#to-http-redirect');
    await page.waitForURL('**/target?by=http-request');
    await waitForText(page, '#page', 'target');
    await page.goBack();
    await waitForText(page, '#page', 'home');
    expect(path(page)).toBe('/');
  });

  it('from a click handler: RedirectResponse navigates in the app', async () => {
    const page = await browser.open('/redirecting');
    await mark(page);
    await page.click('#in-app');
    await waitForText(page, '#page', 'target');
    expect(path(page)).toBe('/target?by=click');
    expect(await marked(page)).toBe(true);
  });

  it('from a click handler: HttpRedirectResponse loads the page', async () => {
    const page = await browser.open('/redirecting');
    await mark(page);
    await page.click('#http');
    await page.waitForURL('**/target?by=http-click');
    await waitForText(page, '#page', 'target');
    expect(await marked(page)).toBe(false);
  });
});
