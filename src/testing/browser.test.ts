import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { App, Button, Div, P, Span, View } from '../index.js';
import { Logger } from '../internal/logger.js';
import { openInBrowser } from './browser.js';

const CHROMIUM = '/usr/bin/chromium';
const CLIENT_BUNDLE = new URL('../../dist/client/lona.js', import.meta.url);
const canRun = existsSync(CHROMIUM) && existsSync(CLIENT_BUNDLE);

class Counter extends View {
  count = new Span({ id: 'count' }, '0');
  override handleRequest() {
    return new Div(
      new P('Clicks: ', this.count),
      new Button(
        { id: 'inc', handleClick: () => this.count.setText(Number(this.count.getText()) + 1) },
        '+',
      ),
    );
  }
}

// One Chromium launch for the whole file: launching takes seconds.
describe.skipIf(!canRun)('openInBrowser (Chromium and the built client bundle)', () => {
  it('renders the view in Chromium, shares a browser, and stops what it started', async () => {
    const app = new App({ logger: new Logger({ level: 'silent' }) });
    app.route('/counter', Counter);
    const first = await openInBrowser(app, '/counter');
    try {
      expect(first.url).toMatch(/^http:\/\/localhost:\d+\/counter$/);
      const second = await openInBrowser(app, '/counter', { browser: first.browser });
      await second.page.click('#inc');
      await second.page.waitForFunction(
        () => (globalThis as any).document.getElementById('count')?.textContent === '1',
      );
      await second.close();
      expect(first.browser.isConnected()).toBe(true);
      expect(app.server).not.toBeNull();
    } finally {
      await first.close();
    }
    expect(first.browser.isConnected()).toBe(false);
    expect(app.server).toBeNull();
  });
});
