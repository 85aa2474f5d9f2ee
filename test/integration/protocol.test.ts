/**
 * The WebSocket protocol on a real server with raw frames: the view start / tree / event /
 * ack / done cycle, and every kind of bad input of SPEC §8 that concerns the socket.
 * None may throw out of the message loop: after each, the same connection still works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Button, Div, JsonResponse, Span, TextInput, View } from '../../src/index.js';
import { CLOSE_CODE, MESSAGE, PROTOCOL_VERSION } from '../../src/protocol/messages.js';
import { PATCH_OP } from '../../src/protocol/patches.js';
import { startApp, type StartedApp } from '../helpers/start-app.js';
import { connect, type Frame, type RawClient } from '../helpers/ws-client.js';
import { nodeIdOf } from '../helpers/tree.js';

let server: StartedApp;

class Counter extends View {
  count = new Span({ id: 'count' }, '0');
  plus = new Button(
    { id: 'plus', handleClick: () => this.count.setText(Number(this.count.getText()) + 1) },
    '+',
  );
  plain = new Span({ id: 'plain' }, 'not clickable');
  name = new TextInput({ id: 'name', value: '' });
  override handleRequest() {
    return new Div(this.count, this.plus, this.plain, this.name);
  }
}

beforeAll(async () => {
  server = await startApp(
    (app) => {
      app.route('/counter', Counter);
      app.route('/api', class extends View {}, { interactive: false });
      app.route(
        '/json-here',
        class extends View {
          handleRequest() {
            return new JsonResponse({ not: 'for interactive views' });
          }
        },
      );
    },
    { settings: { MAX_WEBSOCKET_MESSAGE_BYTES: 64 * 1024 } },
  );
});

afterAll(() => server.stop());

/** Starts /counter and returns the view id and the tree frame. */
async function startCounter(client: RawClient): Promise<{ viewId: string; tree: Frame }> {
  const from = client.frames.length;
  client.send([MESSAGE.VIEW_START, `${server.url}/counter`]);
  const started = await client.next((f) => f[0] === MESSAGE.VIEW_STARTED, { from });
  const viewId = started[1] as string;
  const tree = await client.next((f) => f[0] === MESSAGE.TREE && f[1] === viewId, { from });
  return { viewId, tree };
}

async function stillWorks(client: RawClient): Promise<void> {
  const nonce = Math.random();
  const from = client.frames.length;
  client.send([MESSAGE.PING, nonce]);
  await client.next((f) => f[0] === MESSAGE.PONG && f[1] === nonce, { from });
}

describe('the view cycle', () => {
  it('starts a view, sends its tree, and answers a click with ack, a patch and done', async () => {
    const client = await connect(server.url);
    const { viewId, tree } = await startCounter(client);
    expect(viewId).toMatch(/^[A-Za-z0-9_-]{22}$/); // 128 bits
    expect(tree[2]).toBe(1);
    const plus = nodeIdOf(tree[3], 'plus')!;
    const count = nodeIdOf(tree[3], 'count')!;
    const from = client.frames.length;
    client.send([MESSAGE.INPUT_EVENT, viewId, 1, 'click', plus, plus, {}]);
    await client.next((f) => f[0] === MESSAGE.ACK && f[2] === 1, { from });
    const patch = await client.next((f) => f[0] === MESSAGE.PATCHES, { from });
    expect(patch[2]).toBe(2);
    const countText = (tree[3] as unknown[]) && findTextId(tree[3], count);
    expect(patch[3]).toEqual([[PATCH_OP.SET_TEXT, countText, '1']]);
    const done = await client.next((f) => f[0] === MESSAGE.DONE && f[2] === 1, { from });
    expect(done).toEqual([MESSAGE.DONE, viewId, 1, 2]);
    client.close();
  });

  it('sends an http-redirect for a non-interactive route', async () => {
    const client = await connect(server.url);
    client.send([MESSAGE.VIEW_START, `${server.url}/api`]);
    const frame = await client.next((f) => f[0] === MESSAGE.HTTP_REDIRECT);
    expect(frame[2]).toBe(`${server.url}/api`);
    client.close();
  });

  it('shows the 500 view when a returned value cannot be shown, and frees the runtime slot', async () => {
    const client = await connect(server.url);
    client.send([MESSAGE.VIEW_START, `${server.url}/json-here`]);
    const tree = await client.next((f) => f[0] === MESSAGE.TREE);
    expect(JSON.stringify(tree[3])).toContain('Internal Server Error');
    expect(server.logs.some((l) => l.includes('LONA_ERR_RESPONSE_NOT_INTERACTIVE'))).toBe(true);
    await expect.poll(() => server.app.metrics().pools.runtime.active).toBe(0);
    client.close();
  });

  it('answers a resync with the full tree', async () => {
    const client = await connect(server.url);
    const { viewId } = await startCounter(client);
    const from = client.frames.length;
    client.send([MESSAGE.RESYNC, viewId, 0]);
    const tree = await client.next((f) => f[0] === MESSAGE.TREE, { from });
    expect(tree[1]).toBe(viewId);
    client.close();
  });
});

function findTextId(node: unknown, parentId: string): string | undefined {
  const tuple = node as [number, string, string, Record<string, string>, unknown[]];
  if (tuple[0] !== 1) return undefined;
  if (tuple[1] === parentId) return (tuple[4][0] as [number, string])[1];
  for (const child of tuple[4]) {
    const found = findTextId(child, parentId);
    if (found) return found;
  }
  return undefined;
}

describe('refused connections', () => {
  it('closes with 4000 on a protocol version mismatch', async () => {
    const client = await connect(server.url, { version: PROTOCOL_VERSION + 1 });
    expect((await client.closed).code).toBe(CLOSE_CODE.VERSION_MISMATCH);
  });

  it('closes with 4001 without a valid session cookie', async () => {
    const client = await connect(server.url, { cookie: null });
    expect((await client.closed).code).toBe(CLOSE_CODE.NO_SESSION);
    const forged = await connect(server.url, { cookie: 'sessionid=short' });
    expect((await forged.closed).code).toBe(CLOSE_CODE.NO_SESSION);
  });

  it('refuses an upgrade from a foreign origin with 403', async () => {
    await expect(connect(server.url, { origin: 'https://evil.example' })).rejects.toThrow(
      'upgrade refused: 403',
    );
  });
});

describe('bad frames', () => {
  it('ignores malformed frames and keeps the connection', async () => {
    const client = await connect(server.url);
    const bad = [
      'not json',
      '{"an":"object"}',
      '[]',
      '[42]',
      '["no-such-kind"]',
      '["start"]',
      '["start", "/counter", "PUT"]',
      '["event", "x", -1, "click", "n"]',
      '["event", "x", 1, "click<script>", "n"]',
      '["ping", {"__proto__": {"polluted": true}}]',
      '["msg", null, {"constructor": {"prototype": {}}}]',
    ];
    for (const frame of bad) {
      client.sendRaw(frame);
      await stillWorks(client); // resets the in-a-row counter too
    }
    client.sendRaw(Buffer.from([1, 2, 3]), { binary: true });
    await stillWorks(client);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      server.logs.filter((l) => l.includes('LONA_WARN_PROTOCOL_BAD_MESSAGE')).length,
    ).toBeGreaterThan(0);
    client.close();
  });

  it('closes with 1008 after many malformed frames in a row', async () => {
    const client = await connect(server.url);
    for (let i = 0; i < 12; i++) client.sendRaw('garbage');
    expect((await client.closed).code).toBe(CLOSE_CODE.POLICY);
  });

  it('closes with 1009 on a frame over MAX_WEBSOCKET_MESSAGE_BYTES', async () => {
    const client = await connect(server.url);
    client.sendRaw(JSON.stringify([MESSAGE.CUSTOM, null, 'x'.repeat(70 * 1024)]));
    expect((await client.closed).code).toBe(CLOSE_CODE.TOO_BIG);
  });

  it('refuses custom data nested deeper than 32', async () => {
    const client = await connect(server.url);
    const { viewId, tree } = await startCounter(client);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const from = client.frames.length;
    client.send([MESSAGE.INPUT_EVENT, viewId, 7, 'click', nodeIdOf(tree[3], 'plus'), null, deep]);
    await stillWorks(client);
    expect(client.frames.slice(from).some((f) => f[0] === MESSAGE.ACK && f[2] === 7)).toBe(false);
    client.close();
  });
});

describe('bad events', () => {
  it('drops events for unknown view ids, unknown nodes, undeclared events and bad values', async () => {
    const client = await connect(server.url);
    const { viewId, tree } = await startCounter(client);
    const plain = nodeIdOf(tree[3], 'plain')!;
    const name = nodeIdOf(tree[3], 'name')!;
    const cases: Array<[unknown[], string]> = [
      [
        [MESSAGE.INPUT_EVENT, 'AAAAAAAAAAAAAAAAAAAAAA', 11, 'click', plain, null, {}],
        'unknown-view',
      ],
      [[MESSAGE.INPUT_EVENT, viewId, 12, 'click', 'no-such-node', null, {}], 'unknown-node'],
      [[MESSAGE.INPUT_EVENT, viewId, 13, 'click', plain, null, {}], 'not-declared'],
      [
        [MESSAGE.INPUT_EVENT, viewId, 14, 'change', name, null, { not: 'a string' }],
        'invalid-data',
      ],
    ];
    for (const [frame, code] of cases) {
      const from = client.frames.length;
      client.send(frame);
      const done = await client.next((f) => f[0] === MESSAGE.DONE && f[2] === frame[2], { from });
      expect(done[4]).toBe(code);
    }
    // The view is unharmed: a valid event still works.
    const from = client.frames.length;
    const plus = nodeIdOf(tree[3], 'plus')!;
    client.send([MESSAGE.INPUT_EVENT, viewId, 15, 'click', plus, null, {}]);
    const done = await client.next((f) => f[0] === MESSAGE.DONE && f[2] === 15, { from });
    expect(done[4]).toBeUndefined();
    client.close();
  });

  it("refuses events aimed at another user's view", async () => {
    const alice = await connect(server.url);
    const bob = await connect(server.url);
    const { viewId, tree } = await startCounter(alice);
    const plus = nodeIdOf(tree[3], 'plus')!;
    bob.send([MESSAGE.INPUT_EVENT, viewId, 1, 'click', plus, null, {}]);
    const done = await bob.next((f) => f[0] === MESSAGE.DONE);
    expect(done[4]).toBe('unknown-view');
    expect(alice.frames.some((f) => f[0] === MESSAGE.PATCHES)).toBe(false);
    alice.close();
    bob.close();
  });

  it('shows the 500 view for a client error report and leaves other views alone', async () => {
    const client = await connect(server.url);
    const other = await connect(server.url);
    const { viewId } = await startCounter(client);
    const { viewId: otherId } = await startCounter(other);
    const from = client.frames.length;
    client.send([MESSAGE.CLIENT_ERROR, viewId, 'TypeError: boom', { stack: '...' }]);
    const tree = await client.next((f) => f[0] === MESSAGE.TREE && f[1] === viewId, { from });
    expect(JSON.stringify(tree[3])).toContain('Internal Server Error');
    await stillWorks(other);
    const otherFrom = other.frames.length;
    other.send([MESSAGE.RESYNC, otherId, 0]);
    const otherTree = await other.next((f) => f[0] === MESSAGE.TREE, { from: otherFrom });
    expect(JSON.stringify(otherTree[3])).not.toContain('Internal Server Error');
    client.close();
    other.close();
  });
});
