/**
 * A lona-ts app: `npm start` serves it on http://localhost:8080.
 *
 * The page is built on the server. A click on the button runs `add()` here, on the server,
 * and lona-ts sends the browser only what changed: the new count.
 */
import { App, Button, Div, H1, JsonResponse, P, Span, View } from 'lona-ts';

export const app = new App();

app.route(
  '/',
  class Counter extends View {
    count = new Span({ id: 'count' }, '0');

    handleRequest() {
      this.setTitle('Counter');
      return new Div(
        new H1('Counter'),
        new P('Clicks: ', this.count),
        new Button({ handleClick: () => this.add(1) }, 'Click me'),
      );
    }

    add(delta: number) {
      this.count.setText(Number(this.count.getText()) + delta);
    }
  },
  { name: 'counter' },
);

// A plain HTTP route: no WebSocket, just JSON.
app.route(
  '/api/status.json',
  class Status extends View {
    handleRequest() {
      return new JsonResponse({ ok: true, time: new Date().toISOString() });
    }
  },
  { interactive: false, name: 'status' },
);

// Under `lona-ts run` this only passes the options on; `lona-ts run` starts the app.
app.run();
