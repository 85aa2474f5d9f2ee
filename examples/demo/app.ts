/**
 * The lona-ts demo app: `npm start` runs it on http://localhost:8080 with in-memory
 * defaults (no other service needed). Each page shows one part of the framework.
 */
import { fileURLToPath } from 'node:url';
import {
  A,
  App,
  Button,
  CheckBox,
  Div,
  Form,
  H1,
  H2,
  JsonResponse,
  Label,
  Li,
  NumberInput,
  Option,
  P,
  RadioButton,
  RadioGroup,
  Select,
  Span,
  Submit,
  StyleSheet,
  Table,
  Td,
  TextArea,
  TextInput,
  Th,
  Tr,
  Ul,
  View,
} from '../../src/index.js';

export const app = new App({
  root: fileURLToPath(new URL('.', import.meta.url)),
  settings: { STATIC_DIRS: ['static'] },
});

app.staticFiles(new StyleSheet('demo', new URL('./static/demo.css', import.meta.url)));

const nav = () => new P({ class: 'nav' }, new A({ href: '/' }, '← all demos'));
const page = (title: string, ...children: unknown[]) =>
  new Div({ class: 'page' }, nav(), new H1(title), ...(children as Div[]));

app.route(
  '/',
  class Home extends View {
    handleRequest() {
      this.setTitle('lona-ts demo');
      const demo = (href: string, name: string, what: string) =>
        new Li(new A({ href }, name), ` — ${what}`);
      return new Div(
        { class: 'page' },
        new H1('lona-ts'),
        new P('Interactive web apps written entirely in server-side TypeScript.'),
        new Ul(
          demo('/counter', 'Counter', 'a click runs server code and patches one text node'),
          demo('/clock', 'Clock', 'a long-running view that updates itself every second'),
          demo('/wizard', 'Wizard', 'awaits clicks and input inside handleRequest'),
          demo('/form', 'Form', 'every input kind with typed values'),
          demo('/chat', 'Chat', 'channels between the views of several users'),
          demo('/shared', 'Shared notes', 'a daemon view: open it in two tabs'),
          demo('/pools', 'Pools', 'live resource pool metrics'),
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
      return page(
        'Counter',
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
      const tree = page('Clock', new P(time));
      for (;;) {
        time.setText(new Date().toLocaleTimeString('en-GB'));
        await this.show(tree);
        await this.sleep(1000);
      }
    }
  },
  { name: 'clock' },
);

app.route(
  '/wizard',
  class Wizard extends View {
    async handleRequest() {
      this.setTitle('Wizard');
      const name = new TextInput({ id: 'name', placeholder: 'Your name', debounceMs: 0 });
      const next = new Button({ id: 'next' }, 'Next');
      await this.awaitClick(next, {
        html: page('Wizard: 1 of 2', new P('Who are you? ', name), next),
      });
      const yes = new Button({ id: 'yes' }, 'Yes');
      const no = new Button({ id: 'no' }, 'No');
      const event = await this.awaitClick([yes, no], {
        html: page(
          'Wizard: 2 of 2',
          new P(`Hello ${name.value || 'stranger'}. Go on?`),
          yes,
          ' ',
          no,
        ),
      });
      return page('Wizard', new H2({ id: 'result' }, event.node === yes ? 'Going on' : 'Stopped'));
    }
  },
  { name: 'wizard' },
);

app.route(
  '/form',
  class FormDemo extends View {
    handleRequest() {
      this.setTitle('Form');
      const output = new Div({ id: 'values', class: 'values' });
      const inputs = {
        text: new TextInput({ id: 'text', value: 'hello' }),
        area: new TextArea({ id: 'area', value: 'two\nlines' }),
        number: new NumberInput({ id: 'number', value: 3, min: 0, max: 10 }),
        check: new CheckBox({ id: 'check', value: true }),
        select: new Select(
          { id: 'select' },
          new Option({ value: 1 }, 'one'),
          new Option({ value: 2 }, 'two'),
          new Option({ value: 3 }, 'three'),
        ),
        multi: new Select(
          { id: 'multi', multiple: true },
          new Option({ value: 'red' }, 'red'),
          new Option({ value: 'green' }, 'green'),
          new Option({ value: 'blue' }, 'blue'),
        ),
        radio: new RadioGroup(
          { id: 'radio' },
          new Label(new RadioButton({ value: 'small' }), ' small'),
          new Label(new RadioButton({ value: 'large', checked: true }), ' large'),
        ),
      };
      const show = () => {
        output.nodes.clear();
        output.append(
          new Table(
            new Tr(new Th('input'), new Th('value (typed)')),
            Object.entries(inputs).map(
              ([name, input]) =>
                new Tr(new Td(name), new Td({ id: `value-${name}` }, JSON.stringify(input.value))),
            ),
          ),
        );
      };
      show();
      const form = new Form(
        { class: 'form', handleChange: () => show() },
        Object.entries(inputs).map(
          ([name, input]) => new P(new Label({ class: 'name' }, name), input),
        ),
      );
      return page(
        'Form',
        new P('Every change goes to the server, which shows the typed values.'),
        form,
        output,
      );
    }
  },
  { name: 'form' },
);

app.route(
  '/chat',
  class Chat extends View {
    handleRequest() {
      this.setTitle('Chat');
      const log = new Div({ id: 'log', class: 'log' });
      const text = new TextInput({ id: 'message', placeholder: 'Say something', debounceMs: 0 });
      const me = `user-${String(this.request.sessionKey ?? '').slice(0, 4)}`;
      this.subscribe('demo.chat', (message) => {
        const { from, text: said } = message.data as { from: string; text: string };
        log.append(new P({ class: 'message' }, new Span({ class: 'from' }, from), ` ${said}`));
      });
      const send = async () => {
        if (!text.value.trim()) return;
        await app.channel('demo.chat').send({ from: me, text: text.value });
        text.value = '';
      };
      return page(
        'Chat',
        new P(`You are ${me}. Open this page in another browser to talk to yourself.`),
        new Form({ handleSubmit: send }, text, new Submit({ id: 'send', value: 'Send' })),
        log,
      );
    }
  },
  { name: 'chat' },
);

app.route(
  '/shared',
  class SharedNotes extends View {
    handleRequest() {
      // One view per user for this URL: every tab of the same browser shows it.
      this.isDaemon = true;
      this.setTitle('Shared notes');
      const notes = new TextArea({
        id: 'notes',
        rows: 6,
        value: 'Type here, then look at the other tab.',
      });
      const edits = new Span({ id: 'edits' }, '0');
      notes.handleChange = () => edits.setText(Number(edits.getText()) + 1);
      return page('Shared notes', new P('Edits: ', edits), notes);
    }
  },
  { name: 'shared' },
);

app.route(
  '/pools',
  class Pools extends View {
    async handleRequest() {
      this.setTitle('Pools');
      const body = new Div({ id: 'pools' });
      const tree = page('Pools', new P('app.metrics(), refreshed every second.'), body);
      for (;;) {
        const metrics = this.app.metrics();
        body.nodes.clear();
        body.append(
          new Table(
            new Tr(
              ['pool', 'size', 'active', 'queued', 'admitted', 'rejected'].map((h) => new Th(h)),
            ),
            Object.entries(metrics.pools).map(
              ([name, p]) =>
                new Tr(
                  new Td(name),
                  [p.size, p.active, p.queued, p.admitted, p.rejected].map(
                    (v) => new Td(String(v)),
                  ),
                ),
            ),
          ),
          new P(
            `Views: ${metrics.views.running} running, ${metrics.views.idle} idle, ${metrics.views.daemon} daemon. `,
            `Connections: ${metrics.connections}. Event-loop delay p99: ${metrics.eventLoopDelayMs.p99} ms.`,
          ),
        );
        await this.show(tree);
        await this.sleep(1000);
      }
    }
  },
  { name: 'pools' },
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
