/**
 * The life of a view in real Chromium (SPEC §2, §3.3): awaits inside handleRequest,
 * a long-running view that updates itself, stop reasons and the order of onStop and
 * onCleanup, titles, and error views that stay inside the view that failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Button,
  Div,
  ForbiddenError,
  H1,
  P,
  Span,
  TextInput,
  TimeoutError,
  View,
  type StopReason,
} from '../../src/index.js';
import { useBrowser, waitForText, waitUntil } from '../helpers/browser.js';
import { startApp, type StartedApp } from '../helpers/start-app.js';

/** What each view recorded, by the `k` query parameter its test chose. */
const records = new Map<string, string[]>();
function record(view: View, entry: string): void {
  const key = String(view.request.query.k ?? '');
  records.set(key, [...(records.get(key) ?? []), entry]);
}
const reasonName = (reason: StopReason) => (reason === undefined ? 'undefined' : reason.name);

class Wizard extends View {
  override async handleRequest() {
    const yes = new Button({ id: 'yes' }, 'Yes');
    const no = new Button({ id: 'no' }, 'No');
    const event = await this.awaitClick([yes, no], {
      html: new Div(new P({ id: 'question' }, 'Go on?'), yes, no),
    });
    return new H1({ id: 'answer' }, event.node === yes ? 'Going on' : 'Stopped');
  }
}

class AskName extends View {
  override async handleRequest() {
    const name = new TextInput({ id: 'name', debounceMs: 0 });
    const event = await this.awaitChange(name, { html: new Div(new P('Your name?'), name) });
    return new H1({ id: 'answer' }, `Hello ${String(event.data)} (${name.value})`);
  }
}

/** Two awaits armed at once, each resolved by its own click, in the order they came. */
class TwoAwaits extends View {
  override async handleRequest() {
    const a = new Button({ id: 'a' }, 'A');
    const b = new Button({ id: 'b' }, 'B');
    const log = new Span({ id: 'log' }, '');
    const order: string[] = [];
    const first = this.awaitClick(a).then(() => order.push('a'));
    const second = this.awaitClick(b).then(() => order.push('b'));
    await this.show(new Div(a, b, log));
    await Promise.all([first, second]);
    log.setText(order.join(','));
  }
}

/** Two awaits on one button: each click resolves one of them, the oldest first. */
class OneAwaitPerEvent extends View {
  override async handleRequest() {
    const button = new Button({ id: 'button' }, 'click');
    const log = new Span({ id: 'log' }, '');
    const order: string[] = [];
    const first = this.awaitClick(button).then(() => order.push('first'));
    const second = this.awaitClick(button).then(() => order.push('second'));
    await this.show(new Div(button, log));
    await first;
    log.setText(order.join(','));
    await this.show();
    await second;
    log.setText(order.join(','));
  }
}

class Timeout extends View {
  override async handleRequest() {
    const late = new Button({ id: 'late' }, 'too late');
    const status = new Span({ id: 'status' }, 'waiting');
    try {
      await this.awaitClick(late, { html: new Div(late, status), timeoutMs: 300 });
      status.setText('clicked');
    } catch (error) {
      status.setText(error instanceof TimeoutError ? 'timed out' : `failed: ${String(error)}`);
    }
    const again = new Button({ id: 'again' }, 'again');
    const done = new Span({ id: 'done' }, '');
    await this.awaitClick(again, { html: new Div(status, again, done) });
    done.setText('still working');
  }
}

class Clock extends View {
  override async handleRequest() {
    const ticks = new Span({ id: 'ticks' }, '0');
    const page = new Div(new H1('Clock'), ticks);
    for (let tick = 1; ; tick++) {
      await this.show(page);
      await this.sleep(30);
      ticks.setText(String(tick));
    }
  }
}

/** Sleeps until its tab goes away; records the hooks and the sleep's rejection. */
class Sleeper extends View {
  override async handleRequest() {
    await this.show(new P({ id: 'sleeping' }, 'sleeping'));
    try {
      await this.sleep(60_000);
      record(this, 'sleep resolved');
    } catch (error) {
      record(this, `sleep rejected: ${(error as Error).name}`);
    }
  }
  override onStop(reason: StopReason) {
    record(this, `onStop: ${reasonName(reason)}`);
  }
  override onCleanup() {
    record(this, 'onCleanup');
  }
}

/** Returns at once; its click handler keeps working after the return. */
class Returner extends View {
  override handleRequest() {
    const count = new Span({ id: 'count' }, '0');
    return new Div(
      count,
      new Button(
        { id: 'plus', handleClick: () => count.setText(Number(count.getText()) + 1) },
        '+',
      ),
    );
  }
  override onStop(reason: StopReason) {
    record(this, `onStop: ${reasonName(reason)}`);
  }
  override onCleanup() {
    record(this, 'onCleanup');
  }
}

class Titles extends View {
  override handleRequest() {
    this.setTitle('First title');
    return new Div(
      new Button(
        {
          id: 'retitle',
          handleClick: () =>
            void this.show(new H1({ id: 'second' }, 'Second'), { title: 'Second title' }),
        },
        'retitle',
      ),
    );
  }
}

class Crash extends View {
  override handleRequest(): never {
    throw new Error('boom in handleRequest');
  }
}

class CrashInConstructor extends View {
  broken = JSON.parse('not json') as unknown;
}

class CrashOnClick extends View {
  override handleRequest() {
    return new Div(
      new Button(
        {
          id: 'crash',
          handleClick: () => {
            throw new Error('boom in a click handler');
          },
        },
        'crash',
      ),
    );
  }
}

class Forbidden extends View {
  override handleRequest(): never {
    throw new ForbiddenError('not for you');
  }
}

class Counter extends View {
  override handleRequest() {
    const count = new Span({ id: 'count' }, '0');
    return new Div(
      count,
      new Button(
        { id: 'plus', handleClick: () => count.setText(Number(count.getText()) + 1) },
        '+',
      ),
    );
  }
}

let server: StartedApp;
beforeAll(async () => {
  server = await startApp((app) => {
    app.route('/wizard', Wizard);
    app.route('/ask-name', AskName);
    app.route('/two-awaits', TwoAwaits);
    app.route('/timeout', Timeout);
    app.route('/one-await-per-event', OneAwaitPerEvent);
    app.route('/clock', Clock);
    app.route('/sleeper', Sleeper);
    app.route('/returner', Returner);
    app.route('/titles', Titles);
    app.route('/crash', Crash);
    app.route('/crash-on-click', CrashOnClick);
    app.route('/crash-in-constructor', CrashInConstructor);
    app.route('/forbidden', Forbidden);
    app.route('/counter', Counter);
  });
});
afterAll(() => server.stop());

const browser = useBrowser(() => server.url);

describe('awaits', () => {
  it('shows the html of awaitClick and resumes with the clicked node', async () => {
    const page = await browser.open('/wizard');
    await waitForText(page, '#question', 'Go on?');
    await page.click('#no');
    await waitForText(page, '#answer', 'Stopped');
  });

  it('resumes awaitChange with the value typed, synced into the node', async () => {
    const page = await browser.open('/ask-name');
    await page.fill('#name', 'Ada');
    await waitForText(page, '#answer', 'Hello Ada (Ada)');
  });

  it('keeps several awaits pending and resolves each with its own event', async () => {
    const page = await browser.open('/two-awaits');
    await page.click('#b');
    await page.click('#a');
    await waitForText(page, '#log', 'b,a');
  });

  it('resolves at most one await per event, the oldest first', async () => {
    const page = await browser.open('/one-await-per-event');
    await page.click('#button');
    await waitForText(page, '#log', 'first');
    await page.click('#button');
    await waitForText(page, '#log', 'first,second');
  });

  it('rejects an await with TimeoutError after timeoutMs, and the view goes on', async () => {
    const page = await browser.open('/timeout');
    await waitForText(page, '#status', 'timed out');
    await page.click('#again');
    await waitForText(page, '#done', 'still working');
  });
});

describe('long-running views', () => {
  it('updates the page from handleRequest without any input', async () => {
    const page = await browser.open('/clock');
    await page.waitForFunction(
      () => Number((globalThis as any).document.getElementById('ticks').textContent) >= 3,
    );
  });

  it('rejects a sleep with UserAbort when the tab closes, then runs onStop and onCleanup once', async () => {
    const user = await browser.newUser();
    const page = await browser.open('/sleeper?k=sleep-close', user);
    await waitForText(page, '#sleeping', 'sleeping');
    await page.close();
    const log = () => records.get('sleep-close') ?? [];
    await waitUntil(
      () => log().includes('onCleanup') && log().some((e) => e.startsWith('sleep ')),
      () => `onCleanup and the sleep's end; got ${JSON.stringify(log())}`,
    );
    expect(log().filter((e) => e.startsWith('on'))).toEqual(['onStop: UserAbort', 'onCleanup']);
    expect(log().filter((e) => e.startsWith('sleep '))).toEqual(['sleep rejected: UserAbort']);
  });
});

describe('a view whose handleRequest returned', () => {
  it('gets onStop(undefined) at the return and onCleanup only when the tab leaves', async () => {
    const page = await browser.open('/returner?k=returned');
    const log = () => records.get('returned') ?? [];
    await waitUntil(() => log().length > 0, 'onStop at the return');
    expect(log()).toEqual(['onStop: undefined']);
    // Still alive: its callbacks keep working.
    await page.click('#plus');
    await waitForText(page, '#count', '1');
    expect(log()).toEqual(['onStop: undefined']);
    await page.goto(new URL('/counter', server.url).href);
    await waitUntil(
      () => log().includes('onCleanup'),
      () => `onCleanup; got ${JSON.stringify(log())}`,
    );
    expect(log()).toEqual(['onStop: undefined', 'onCleanup']);
  });
});

describe('titles', () => {
  it('sets the document title with setTitle and with show(html, { title })', async () => {
    const page = await browser.open('/titles');
    await page.waitForFunction(() => (globalThis as any).document.title === 'First title');
    await page.click('#retitle');
    await waitForText(page, '#second', 'Second');
    await page.waitForFunction(() => (globalThis as any).document.title === 'Second title');
  });
});

describe('error views', () => {
  it('shows the 500 view in the failing view only; another tab keeps working', async () => {
    const user = await browser.newUser();
    const other = await browser.open('/counter', user);
    const page = await browser.open('/crash', user);
    await waitForText(page, '#lona', /Internal Server Error/);
    expect(await page.textContent('#lona')).not.toContain('boom in handleRequest');
    await other.click('#plus');
    await waitForText(other, '#count', '1');
    expect(server.logs.some((l) => l.includes('Crash failed') && l.includes('boom'))).toBe(true);
  });

  it('shows the 500 view when a click handler throws', async () => {
    const page = await browser.open('/crash-on-click');
    await page.click('#crash');
    await waitForText(page, '#lona', /Internal Server Error/);
  });

  it('shows the 500 view when the view class cannot be constructed', async () => {
    const page = await browser.open('/crash-in-constructor');
    await waitForText(page, '#lona', /Internal Server Error/);
    expect(server.logs.some((l) => l.includes('CrashInConstructor failed'))).toBe(true);
  });

  it('shows the 403 view for a ForbiddenError', async () => {
    const page = await browser.open('/forbidden');
    await waitForText(page, '#lona', /Forbidden/);
  });

  it('answers an unknown URL with the 404 view and HTTP status 404', async () => {
    const user = await browser.newUser();
    const page = await user.newPage();
    const response = await page.goto(new URL('/no/such/page', server.url).href);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('body')).toMatch(/Not Found/);
  });
});
