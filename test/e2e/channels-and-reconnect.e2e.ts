/**
 * Views talking to each other and surviving the network in real Chromium (SPEC §2.8,
 * §3.8): a channel message sent from a click in one view appears in another, and a
 * connection dropped by the server shows the disconnected state, reconnects and gets a
 * working view again (a daemon view with its state).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Button, Div, H1, Li, Span, Ul, View, type ChannelMessage } from '../../src/index.js';
import { useBrowser, waitForText } from '../helpers/browser.js';
import { startApp, type StartedApp } from '../helpers/start-app.js';

class Listener extends View {
  override handleRequest() {
    const messages = new Ul({ id: 'messages' });
    this.subscribe('chat.room', (message: ChannelMessage) => {
      messages.nodes.append(new Li(String((message.data as { text: string }).text)));
    });
    return new Div(new H1({ id: 'page' }, 'listening'), messages);
  }
}

class Sender extends View {
  override handleRequest() {
    return new Div(
      new Button(
        {
          id: 'send',
          handleClick: async () => {
            await this.app.channel('chat.room').send({ text: 'hello from the sender' });
          },
        },
        'send',
      ),
    );
  }
}

class Counter extends View {
  override handleRequest() {
    if (this.request.query.daemon !== undefined) this.isDaemon = true;
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
  server = await startApp(
    (app) => {
      app.route('/listener', Listener);
      app.route('/sender', Sender);
      app.route('/counter', Counter);
    },
    { settings: { CLIENT_AUTO_RECONNECT_TIMEOUT: 200 } },
  );
});
afterAll(() => server.stop());

const browser = useBrowser(() => server.url);

describe('channels', () => {
  it('deliver a message sent from a click in one view to a view subscribed to it', async () => {
    const listener = await browser.open('/listener');
    const sender = await browser.open('/sender');
    await waitForText(listener, '#page', 'listening');
    await sender.click('#send');
    await waitForText(listener, '#messages', 'hello from the sender');
    await sender.click('#send');
    await listener.waitForFunction(
      () => (globalThis as any).document.querySelectorAll('#messages li').length === 2,
    );
  });
});

/** Records the client's connection hooks and every disconnected state the page shows. */
async function watchConnection(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as any;
    const log: string[] = (g.connectionLog = []);
    g.lona.on('disconnect', () => log.push('disconnect'));
    g.lona.on('reconnect', () => log.push('reconnect'));
    new g.MutationObserver((records: any[]) => {
      for (const record of records) {
        log.push(`state ${record.target.getAttribute('lona-disconnected')}`);
      }
    }).observe(g.document.documentElement, {
      attributes: true,
      attributeFilter: ['lona-disconnected'],
    });
  });
}

async function connectionLog(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as any).connectionLog);
}

function dropConnections(): void {
  for (const connection of server.app.server!.websocket.connections) {
    connection.socket.terminate();
  }
}

describe('a dropped connection', () => {
  it('shows the disconnected state, reconnects and starts a working view again', async () => {
    const page = await browser.open('/counter');
    await page.click('#plus');
    await waitForText(page, '#count', '1');
    await watchConnection(page);
    dropConnections();
    await page.waitForFunction(() => (globalThis as any).connectionLog.includes('reconnect'));
    const log = await connectionLog(page);
    expect(log.filter((e) => !e.startsWith('state'))).toEqual(['disconnect', 'reconnect']);
    // The page showed the disconnected state, and cleared it when the connection came back.
    expect(log.filter((e) => e.startsWith('state'))).toEqual(['state disconnected', 'state null']);
    expect(await page.locator('#lona-banner').count()).toBe(0);
    // A new view: the old one's state is gone, the new one works.
    await waitForText(page, '#count', '0');
    await page.click('#plus');
    await waitForText(page, '#count', '1');
  });

  it('re-attaches a daemon view with its state', async () => {
    const page = await browser.open('/counter?daemon');
    await page.click('#plus');
    await waitForText(page, '#count', '1');
    await watchConnection(page);
    dropConnections();
    await page.waitForFunction(() => (globalThis as any).connectionLog.includes('reconnect'));
    await page.click('#plus');
    await waitForText(page, '#count', '2');
  });
});
