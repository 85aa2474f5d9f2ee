/**
 * The lona-ts demo app: `npm start` runs it on http://localhost:8080 with in-memory
 * defaults (no other service needed). Each page shows one part of the framework.
 */
import { fileURLToPath } from 'node:url';
import {
  A,
  App,
  Button,
  Div,
  H1,
  H2,
  JsonResponse,
  Li,
  P,
  Span,
  StyleSheet,
  Ul,
  View,
} from '../../src/index.js';

export const app = new App({
  root: fileURLToPath(new URL('.', import.meta.url)),
  settings: { STATIC_DIRS: ['static'] },
});

app.staticFiles(new StyleSheet('demo', new URL('./static/demo.css', import.meta.url)));

const nav = () => new P({ class: 'nav' }, new A({ href: '/' }, '← all demos'));

app.route(
  '/',
  class Home extends View {
    handleRequest() {
      this.setTitle('lona-ts demo');
      return new Div(
        { class: 'page' },
        new H1('lona-ts'),
        new P('Interactive web apps written entirely in server-side TypeScript.'),
        new Ul(
          new Li(
            new A({ href: '/counter' }, 'Counter'),
            ' — a click runs server code and patches one text node',
          ),
          new Li(
            new A({ href: '/clock' }, 'Clock'),
            ' — a long-running view that updates itself every second',
          ),
          new Li(new A({ href: '/ask' }, 'Wizard'), ' — awaits clicks inside handleRequest'),
          new Li(
            new A({ href: '/api/status.json', interactive: false }, 'JSON endpoint'),
            ' — a plain HTTP view',
          ),
        ),
      );
    }
  },
  { name: 'home' },
);

app.route(
  '/counter',
  class Counter extends View {
    count = new Span({ id: 'counter', class: 'count' }, '0');

    handleRequest() {
      this.setTitle('Counter');
      return new Div(
        { class: 'page' },
        nav(),
        new H1('Counter'),
        new P('Clicks: ', this.count),
        new Button({ id: 'minus', handleClick: () => this.add(-1) }, '−'),
        new Button({ id: 'plus', handleClick: () => this.add(1) }, '+'),
      );
    }

    add(delta: number) {
      this.count.setText(Number(this.count.getText()) + delta);
    }
  },
  { name: 'counter' },
);

app.route(
  '/clock',
  class Clock extends View {
    async handleRequest() {
      this.setTitle('Clock');
      const time = new Span({ id: 'clock', class: 'clock' });
      const page = new Div({ class: 'page' }, nav(), new H1('Clock'), new P(time));
      for (;;) {
        time.setText(new Date().toLocaleTimeString('en-GB'));
        await this.show(page);
        await this.sleep(1000);
      }
    }
  },
  { name: 'clock' },
);

app.route(
  '/ask',
  class Ask extends View {
    async handleRequest() {
      this.setTitle('Wizard');
      const yes = new Button({ id: 'yes' }, 'Yes');
      const no = new Button({ id: 'no' }, 'No');
      const event = await this.awaitClick([yes, no], {
        html: new Div({ class: 'page' }, nav(), new H2('Go on?'), new P(yes, ' ', no)),
      });
      return new Div({ class: 'page' }, nav(), new H1(event.node === yes ? 'Going on' : 'Stopped'));
    }
  },
  { name: 'ask' },
);

app.route(
  '/api/status.json',
  class Status extends View {
    handleRequest() {
      return new JsonResponse({ ok: true, time: new Date().toISOString() });
    }
  },
  { interactive: false, name: 'status' },
);

app.run({ port: Number(process.env.PORT ?? 8080) });
