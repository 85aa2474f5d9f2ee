/**
 * Property-based fuzzing of the WebSocket endpoint (SPEC §8): thousands of random and
 * mutated frames (valid shapes with wrong types, huge numbers, deep nesting,
 * `__proto__`/`constructor` keys, invalid UTF-8 in text frames, binary frames, strings
 * near the size limit) go to a live server while a second client clicks a counter the
 * whole time. The properties: the process never throws, every connection either keeps
 * answering or is closed with a code the protocol names for that input, no handler ever
 * sees an event that breaks the documented event shape, the counter client loses no
 * click, and memory stays bounded.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Button,
  CheckBox,
  Div,
  Form,
  InputEvent,
  Node,
  NumberInput,
  Option,
  RadioButton,
  RadioGroup,
  Select,
  Span,
  Submit,
  TextInput,
  View,
} from '../../src/index.js';
import {
  CUSTOM_EVENT_NAME_RE,
  MAX_CUSTOM_EVENT_DATA_BYTES,
  MAX_CUSTOM_EVENT_DATA_DEPTH,
} from '../../src/protocol/events.js';
import { CLOSE_CODE, MESSAGE } from '../../src/protocol/messages.js';
import { connect, sessionCookie, type RawClient } from '../helpers/ws-client.js';
import {
  click,
  openView,
  printFigures,
  round,
  settleRss,
  settledRssMiB,
  startServer,
  startView,
  textIdOf,
  nodeIdOf,
  watchProcess,
  type OpenView,
  type ReliableServer,
} from './support.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
/** Rounds of 1–14 frames each: about 3,000 frames. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const MAX_FRAME = 80 * 1024;
/** The heap may grow by this much over the run, after a GC: the fuzz keeps nothing alive. */
const HEAP_MARGIN_MIB = 16;
/** RSS may grow by this much (allocators keep some of what large frames took). */
const RSS_MARGIN_MIB = 64;

/**
 * Close codes a fuzzed connection may get, each for its own input: 1007 for invalid
 * UTF-8 in a text frame (RFC 6455, sent by the ws library), 1008 for ten malformed frames
 * in a row, 1009 for a frame over MAX_WEBSOCKET_MESSAGE_BYTES.
 */
const EXPECTED_CLOSES = new Set<number>([1007, CLOSE_CODE.POLICY, CLOSE_CODE.TOO_BIG]);

// --- the app: every handler checks the event it gets -----------------------------------------------

const violations: string[] = [];
const handled: Record<string, number> = {};
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const CLICK_KEYS: Record<string, 'boolean' | 'number'> = {
  altKey: 'boolean',
  ctrlKey: 'boolean',
  metaKey: 'boolean',
  shiftKey: 'boolean',
  width: 'number',
  height: 'number',
  x: 'number',
  y: 'number',
};

function violation(what: string, event?: InputEvent): void {
  violations.push(
    `${what}${event ? ` (${event.name} on ${event.node?.tagName}: ${JSON.stringify(event.data)?.slice(0, 200)})` : ''}`,
  );
}

/** Why `value` is not JSON as the protocol delivers it (plain objects, arrays, scalars), or null. */
function jsonProblem(value: unknown, depth = 0): string | null {
  if (depth > MAX_CUSTOM_EVENT_DATA_DEPTH)
    return `nested deeper than ${MAX_CUSTOM_EVENT_DATA_DEPTH}`;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return null; // 1e999 is JSON text too
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype) return 'an object that is not plain';
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `the key ${key}`;
      const problem = jsonProblem((value as Record<string, unknown>)[key], depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  return `a ${typeof value}`;
}

function isInside(node: Node, ancestor: Node): boolean {
  for (let current = node.parentElement; current; current = current.parentElement) {
    if (current === ancestor) return true;
  }
  return false;
}

/** The documented shape of every event (SPEC §3.4, §8), checked in handleInputEventRoot. */
function checkEvent(view: Target, event: unknown): void {
  if (!(event instanceof InputEvent)) return violation('not an InputEvent');
  handled[event.name] = (handled[event.name] ?? 0) + 1;
  if (typeof event.name !== 'string' || !CUSTOM_EVENT_NAME_RE.test(event.name))
    violation('bad event name', event);
  if (!Number.isSafeInteger(event.id) || event.id < 0) violation('bad event id', event);
  if (!(event.node instanceof Node) || event.node.root !== view.tree)
    return violation('node outside the shown tree', event);
  if (!event.node.declaresEvent(event.name)) violation('undeclared event', event);
  if (event.node.attributes.has('disabled')) violation('event on a disabled node', event);
  if (event.targetNode !== event.node && !isInside(event.targetNode, event.node))
    violation('target outside the node', event);
  const problem = jsonProblem(event.data);
  if (problem) violation(`data is not JSON: ${problem}`, event);
  else if ((JSON.stringify(event.data) ?? '').length > MAX_CUSTOM_EVENT_DATA_BYTES)
    violation('data over 64 KiB', event);
  // Click and submit data are null (a widget's fireEvent) or of their documented shape.
  if (event.name === 'click' && event.data !== null) {
    const data = event.data as Record<string, unknown>;
    if (typeof data !== 'object' || Array.isArray(data))
      return violation('click data is not an object', event);
    for (const [key, type] of Object.entries(CLICK_KEYS)) {
      const value = data[key];
      if (value === undefined) continue;
      if (typeof value !== type || (type === 'number' && !Number.isFinite(value)))
        violation(`click data ${key} is not a ${type}`, event);
    }
  }
  if (event.name === 'submit' && event.data !== null) {
    const data = event.data;
    if (typeof data !== 'object' || Array.isArray(data))
      return violation('submit data is not an object', event);
    for (const value of Object.values(data)) {
      const ok =
        typeof value === 'string' ||
        (Array.isArray(value) && value.every((item) => typeof item === 'string'));
      if (!ok) violation('submit field is not a string or a list of strings', event);
    }
  }
}

/** After a change event, each form node holds a value of its documented type. */
function checkValues(view: Target, event: InputEvent): void {
  const f = view.fields;
  if (typeof f.text.value !== 'string') violation('text input value not a string', event);
  if (f.number.value !== null && !Number.isFinite(f.number.value))
    violation('number input value not a finite number or null', event);
  if (typeof f.check.value !== 'boolean') violation('checkbox value not a boolean', event);
  if (![1, 2, 3].includes(f.select.value as number)) violation('select value unknown', event);
  const multi = f.multi.value as unknown[];
  if (!Array.isArray(multi) || multi.some((v) => !['r', 'g', 'b'].includes(v as string)))
    violation('multiple select value unknown', event);
  if (f.radio.value !== null && !['a', 'b'].includes(f.radio.value as string))
    violation('radio group value unknown', event);
}

class Target extends View {
  tree!: Div;
  fields = {
    text: new TextInput({ id: 'text', value: '' }),
    number: new NumberInput({ id: 'number', value: 1 }),
    check: new CheckBox({ id: 'check', value: false }),
    select: new Select(
      { id: 'select' },
      new Option({ value: 1 }, 'one'),
      new Option({ value: 2 }, 'two'),
      new Option({ value: 3 }, 'three'),
    ),
    multi: new Select(
      { id: 'multi', multiple: true },
      new Option({ value: 'r' }, 'red'),
      new Option({ value: 'g' }, 'green'),
      new Option({ value: 'b' }, 'blue'),
    ),
    radio: new RadioGroup(
      { id: 'radio' },
      new RadioButton({ id: 'radio-a', value: 'a' }),
      new RadioButton({ id: 'radio-b', value: 'b' }),
    ),
  };

  override handleRequest() {
    const change = (event: InputEvent) => checkValues(this, event);
    for (const field of Object.values(this.fields)) field.handleChange = change;
    this.tree = new Div(
      { id: 'root' },
      new Button(
        { id: 'button', handleClick: () => undefined },
        'click ',
        new Span({ id: 'inner' }, 'me'),
      ),
      new Button(
        {
          id: 'disabled',
          disabled: true,
          handleClick: (event: InputEvent) => violation('a disabled button ran', event),
        },
        'off',
      ),
      new Span({ id: 'plain' }, 'not clickable'),
      ...Object.values(this.fields),
      new Form(
        { id: 'form', handleSubmit: () => undefined },
        new TextInput({ id: 'q', name: 'q' }),
        new Submit({ id: 'submit' }),
      ),
      new Div({ id: 'custom', events: ['my-custom', 'focus', 'blur', 'click'] }, 'custom'),
    );
    return this.tree;
  }

  override handleInputEventRoot(event: InputEvent) {
    checkEvent(this, event);
    return event;
  }

  override handleInputEvent(event: InputEvent) {
    if (event.node.idList.has('custom')) return null; // consumed
    return event;
  }
}

class Counter extends View {
  count = new Span({ id: 'count' }, '0');
  override handleRequest() {
    return new Div(
      this.count,
      new Button(
        { id: 'plus', handleClick: () => this.count.setText(Number(this.count.getText()) + 1) },
        '+',
      ),
    );
  }
}

/** Custom messages (`msg`) reach handleWebsocketMessage middlewares: check them too. */
const messageChecker = {
  handleWebsocketMessage({ message }: { message: unknown }) {
    handled.msg = (handled.msg ?? 0) + 1;
    const problem = jsonProblem(message);
    if (problem) violations.push(`custom message is not JSON: ${problem}`);
  },
};

// --- frames --------------------------------------------------------------------------------------

/** Placeholders replaced when a frame is sent: the live view id, node ids, raw number tokens. */
const VIEW = '\u0001view';
const OTHER_VIEW = '\u0001other';
const NODE = '\u0001node:';
const RAW = '\u0001raw:';
const HTML_IDS = [
  'root',
  'button',
  'inner',
  'disabled',
  'plain',
  'text',
  'number',
  'check',
  'select',
  'multi',
  'radio',
  'radio-a',
  'form',
  'q',
  'submit',
  'custom',
];

type Spec =
  | { type: 'json'; frame: unknown; mutations: Mutation[] }
  | { type: 'raw-text'; text: string }
  | { type: 'bytes'; bytes: Uint8Array; binary: boolean }
  | { type: 'near-limit'; size: number };

type Mutation = { at: number; op: 'truncate' | 'insert' | 'delete' | 'duplicate'; char: string };

const rawNumber = fc
  .constantFrom(
    '1e999',
    '-1e999',
    '9007199254740993',
    '1e308',
    '-0',
    '5e-324',
    '0.1',
    '123456789012345678901234567890',
  )
  .map((token) => RAW + token);
const hugeNumber = fc.constantFrom(
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2 ** 31,
  -(2 ** 31),
  1.5,
);
const scalar = fc.oneof(
  fc.boolean(),
  fc.integer(),
  fc.double(),
  hugeNumber,
  rawNumber,
  fc.string(),
  fc.constant(null),
);
const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype');
const poisoned = fc
  .tuple(protoKey, fc.jsonValue({ maxDepth: 2 }), fc.integer({ min: 0, max: 4 }))
  .map(([key, value, depth]) => {
    let data: unknown = JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value ?? null)}}`);
    for (let i = 0; i < depth; i++) data = i % 2 ? [data] : { a: data };
    return data;
  });
const deep = fc.tuple(fc.integer({ min: 28, max: 80 }), fc.boolean()).map(([depth, arrays]) => {
  let data: unknown = 1;
  for (let i = 0; i < depth; i++) data = arrays ? [data] : { d: data };
  return data;
});
const clickLike = fc.record(
  {
    altKey: scalar,
    ctrlKey: fc.boolean(),
    metaKey: scalar,
    shiftKey: fc.boolean(),
    width: scalar,
    height: fc.integer(),
    x: scalar,
    y: fc.double(),
  },
  { requiredKeys: [] },
);
const changeLike = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.integer({ min: -3, max: 6 }),
  fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 5 }),
  fc.array(scalar, { maxLength: 3 }),
  rawNumber,
);
const submitLike = fc.dictionary(
  fc.string({ maxLength: 8 }),
  fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), scalar, fc.jsonValue()),
  { maxKeys: 4 },
);
const data = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 5 }), weight: 3 },
  { arbitrary: clickLike, weight: 3 },
  { arbitrary: changeLike, weight: 3 },
  { arbitrary: submitLike, weight: 2 },
  { arbitrary: poisoned, weight: 2 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);
const idLike = fc.oneof(
  fc.string({ minLength: 1, maxLength: 70 }),
  fc.constant('A'.repeat(64)),
  fc.constant('A'.repeat(65)),
  scalar,
);
const viewRef = fc.oneof(
  { arbitrary: fc.constant(VIEW), weight: 8 },
  { arbitrary: fc.constant(OTHER_VIEW), weight: 1 },
  { arbitrary: idLike, weight: 1 },
);
const nodeRef = fc.oneof(
  { arbitrary: fc.constantFrom(...HTML_IDS).map((id) => NODE + id), weight: 8 },
  { arbitrary: idLike, weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);
const eventName = fc.oneof(
  {
    arbitrary: fc.constantFrom('click', 'change', 'focus', 'blur', 'submit', 'my-custom'),
    weight: 8,
  },
  { arbitrary: fc.string({ maxLength: 70 }), weight: 1 },
  { arbitrary: protoKey, weight: 1 },
);
const eventId = fc.oneof(
  { arbitrary: fc.nat(), weight: 6 },
  { arbitrary: scalar, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
);
const eventFrame = fc
  .tuple(viewRef, eventId, eventName, nodeRef, nodeRef, data, fc.nat({ max: 8 }))
  .map(([view, id, name, node, target, payload, length]) =>
    ['event', view, id, name, node, target, payload].slice(0, length === 0 ? 1 : 7 - (length % 3)),
  );
/** Data of the documented shape for each declared event: handlers must get these through. */
const validClick = fc.record({
  altKey: fc.boolean(),
  ctrlKey: fc.boolean(),
  metaKey: fc.boolean(),
  shiftKey: fc.boolean(),
  width: fc.integer({ min: 0, max: 2000 }),
  height: fc.integer({ min: 0, max: 2000 }),
  x: fc.double({ min: 0, max: 2000, noNaN: true }),
  y: fc.double({ min: 0, max: 2000, noNaN: true }),
});
const validForm = fc.dictionary(
  fc.string({ maxLength: 8 }),
  fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })),
  { maxKeys: 4 },
);
const indexes = (count: number) => fc.uniqueArray(fc.nat({ max: count - 1 }), { maxLength: count });

/**
 * Events aimed at a node that declares them, with a target inside it, so that they get
 * past the frame checks: [node, event, targets, data of the documented shape].
 */
const DECLARED: Array<[string, string, string[], fc.Arbitrary<unknown>]> = [
  ['button', 'click', ['button', 'inner'], validClick],
  ['custom', 'click', ['custom'], validClick],
  ['custom', 'my-custom', ['custom'], fc.jsonValue({ maxDepth: 4 })],
  ['custom', 'focus', ['custom'], fc.constant(null)],
  ['custom', 'blur', ['custom'], fc.constant(null)],
  ['text', 'change', ['text'], fc.string()],
  ['number', 'change', ['number'], fc.oneof(fc.double().map(String), fc.string())],
  ['check', 'change', ['check'], fc.boolean()],
  ['select', 'change', ['select'], fc.nat({ max: 2 }).map((i) => [i])],
  ['multi', 'change', ['multi'], indexes(3)],
  ['radio', 'change', ['radio', 'radio-a'], fc.integer({ min: -1, max: 1 })],
  ['q', 'change', ['q'], fc.string()],
  ['form', 'submit', ['form', 'q', 'submit'], validForm],
  ['disabled', 'click', ['disabled'], validClick],
];
const aimedEvent = fc
  .tuple(fc.constantFrom(...DECLARED), fc.nat(), fc.nat(), fc.boolean())
  .chain(([[node, name, targets, valid], id, pick, withTarget]) =>
    fc
      .oneof({ arbitrary: valid, weight: 1 }, { arbitrary: data, weight: 1 })
      .map((payload) => [
        'event',
        VIEW,
        id,
        name,
        NODE + node,
        withTarget ? NODE + targets[pick % targets.length] : null,
        payload,
      ]),
  );
const otherFrame = fc.oneof(
  fc.tuple(
    fc.constant('start'),
    fc.oneof(fc.constantFrom('/target', '/counter', '/nope', '//evil.example/x'), fc.string()),
    fc.oneof(fc.constantFrom('GET', 'POST'), scalar),
    fc.oneof(submitLike, data),
  ),
  fc.tuple(fc.constant('stop'), viewRef),
  fc.tuple(fc.constant('resync'), viewRef, fc.oneof(fc.integer(), scalar)),
  fc.tuple(fc.constant('cerr'), fc.oneof(fc.constant(OTHER_VIEW), idLike), scalar, data),
  fc.tuple(fc.constant('ping'), fc.oneof(scalar, data)),
  fc.tuple(fc.constant('msg'), fc.oneof(viewRef, fc.constant(null)), data),
  fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), protoKey, scalar), data),
);
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('truncate', 'insert', 'delete', 'duplicate'),
  char: fc.constantFrom('"', ',', '[', ']', '{', '}', ':', '\\', 'x', '0', ' ', '\u0000'),
});
const invalidUtf8 = fc
  .tuple(
    fc.constantFrom(
      [0xff],
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
      [0x80],
    ),
    fc.nat({ max: 10 }),
  )
  .map(([bad, at]) => {
    const text = Buffer.from('["ping", "0123456789"]');
    const cut = Math.min(at, text.length);
    return Buffer.concat([text.subarray(0, cut), Buffer.from(bad), text.subarray(cut)]);
  });

const frameSpec: fc.Arbitrary<Spec> = fc.oneof(
  {
    arbitrary: fc
      .tuple(aimedEvent, fc.array(mutation, { maxLength: 1 }), fc.nat({ max: 9 }))
      .map(([frame, mutations, keep]) => ({
        type: 'json' as const,
        frame,
        mutations: keep === 0 ? mutations : [],
      })),
    weight: 40,
  },
  {
    arbitrary: fc
      .tuple(eventFrame, fc.array(mutation, { maxLength: 2 }), fc.nat({ max: 4 }))
      .map(([frame, mutations, keep]) => ({
        type: 'json' as const,
        frame,
        mutations: keep === 0 ? mutations : [],
      })),
    weight: 16,
  },
  {
    arbitrary: fc
      .tuple(otherFrame, fc.array(mutation, { maxLength: 2 }), fc.nat({ max: 4 }))
      .map(([frame, mutations, keep]) => ({
        type: 'json' as const,
        frame,
        mutations: keep === 0 ? mutations : [],
      })),
    weight: 10,
  },
  {
    arbitrary: fc.jsonValue().map((frame) => ({ type: 'json' as const, frame, mutations: [] })),
    weight: 4,
  },
  {
    arbitrary: fc
      .string({ unit: 'binary', maxLength: 200 })
      .map((text) => ({ type: 'raw-text' as const, text })),
    weight: 4,
  },
  {
    arbitrary: invalidUtf8.map((bytes) => ({ type: 'bytes' as const, bytes, binary: false })),
    weight: 1,
  },
  {
    arbitrary: fc
      .uint8Array({ maxLength: 300 })
      .map((bytes) => ({ type: 'bytes' as const, bytes, binary: true })),
    weight: 2,
  },
  {
    arbitrary: fc
      .integer({ min: MAX_FRAME - 300, max: MAX_FRAME + 300 })
      .map((size) => ({ type: 'near-limit' as const, size })),
    weight: 1,
  },
);

interface Live {
  client: RawClient;
  viewId: string;
  tree: unknown;
}

/** Turns a spec into what goes on the wire, with the placeholders filled in. */
function materialize(
  spec: Spec,
  live: Live,
  otherViewId: string,
): { data: string | Buffer; binary: boolean } {
  switch (spec.type) {
    case 'raw-text':
      return { data: spec.text, binary: false };
    case 'bytes':
      return { data: Buffer.from(spec.bytes), binary: spec.binary };
    case 'near-limit': {
      const head = `["msg",null,"`;
      return {
        data: head + 'x'.repeat(Math.max(0, spec.size - head.length - 2)) + '"]',
        binary: false,
      };
    }
    case 'json': {
      let text = JSON.stringify(spec.frame) ?? 'undefined';
      text = text.replace(/"\\u0001([a-z]+):?([^"]*)"/g, (_, kind: string, rest: string) => {
        if (kind === 'view') return JSON.stringify(live.viewId);
        if (kind === 'other') return JSON.stringify(otherViewId);
        if (kind === 'node') return JSON.stringify(nodeIdOf(live.tree, rest) ?? 'missing');
        return rest; // raw number token
      });
      for (const m of spec.mutations) {
        const at = m.at % (text.length + 1);
        if (m.op === 'truncate') text = text.slice(0, at);
        else if (m.op === 'insert') text = text.slice(0, at) + m.char + text.slice(at);
        else if (m.op === 'delete') text = text.slice(0, at) + text.slice(at + 1);
        else text = text.slice(0, at) + text.slice(at, at + 8) + text.slice(at);
      }
      return { data: text, binary: false };
    }
  }
}

// --- the run ------------------------------------------------------------------------------------

let server: ReliableServer;

beforeAll(async () => {
  server = await startServer(
    (app) => {
      app.route('/target', Target);
      app.route('/counter', Counter);
      app.middleware(messageChecker);
    },
    {
      settings: { MAX_WEBSOCKET_MESSAGE_BYTES: MAX_FRAME },
      watch: ['LONA_WARN_PROTOCOL_BAD_MESSAGE', 'malformed frames in a row'],
    },
  );
});

afterAll(() => server.stop());

describe('fuzzed frames', () => {
  it('never crash the server, never reach a handler malformed, and cost the counter client nothing', async () => {
    const process_ = watchProcess();
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const cookie = await sessionCookie(server.url);
    const rssBefore = await settledRssMiB();
    const heapBefore = process.memoryUsage().heapUsed / 2 ** 20;

    // The other user: a counter client clicking the whole time, each click awaited.
    const other: OpenView = await openView(server.url, '/counter', {});
    const plus = nodeIdOf(other.tree[3], 'plus')!;
    const countText = textIdOf(other.tree[3], 'count')!;
    let fuzzing = true;
    let clicks = 0;
    const badDones: unknown[] = [];
    const clicking = (async () => {
      while (fuzzing) {
        const { done } = await click(other, plus, ++clicks);
        if (done[4] !== undefined) badDones.push(done);
      }
    })();

    // A bystander view of the fuzzing user's own session: events aimed at it must be refused.
    const bystander = await openView(server.url, '/target', { cookie });

    const figures = {
      frames: 0,
      bytes: 0,
      connections: 0,
      closes: new Map<number, number>(),
      unexpectedCloses: [] as Array<{ code: number; last: string }>,
    };
    let live: Live | null = null;
    const fuzzClients: RawClient[] = [];
    let lastSent = '';

    const ensureLive = async (): Promise<Live> => {
      if (live && live.client.ws.readyState === live.client.ws.OPEN) {
        const { viewId, tree } = await startView(live.client, server.url, '/target');
        live.viewId = viewId;
        live.tree = tree[3];
        return live;
      }
      const client = await connect(server.url, { cookie });
      figures.connections++;
      void client.closed.then(({ code }) => {
        if (!fuzzing) return; // closed by the test itself
        figures.closes.set(code, (figures.closes.get(code) ?? 0) + 1);
        if (!EXPECTED_CLOSES.has(code)) figures.unexpectedCloses.push({ code, last: lastSent });
      });
      const { viewId, tree } = await startView(client, server.url, '/target');
      live = { client, viewId, tree: tree[3] };
      fuzzClients.push(client);
      return live;
    };

    const property = fc.asyncProperty(
      fc.array(frameSpec, { minLength: 1, maxLength: 14 }),
      async (specs) => {
        const current = await ensureLive();
        for (const spec of specs) {
          if (current.client.ws.readyState !== current.client.ws.OPEN) break;
          const { data, binary } = materialize(spec, current, bystander.viewId);
          figures.frames++;
          figures.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
          lastSent = typeof data === 'string' ? data.slice(0, 200) : `<${data.length} bytes>`;
          current.client.sendRaw(data, { binary });
        }
        // Sync point: the connection answers a ping, or it was closed with a code we expect.
        const outcome = await Promise.race([
          current.client.closed.then((c) => c.code),
          (async () => {
            const nonce = Math.random();
            const from = current.client.frames.length;
            current.client.send([MESSAGE.PING, nonce]);
            await current.client.next((f) => f[0] === MESSAGE.PONG && f[1] === nonce, {
              from,
              timeoutMs: 10_000,
            });
            return 'alive' as const;
          })().catch(() => current.client.closed.then((c) => c.code)),
        ]);
        if (outcome !== 'alive') live = null;
        if (violations.length > 0) throw new Error(`malformed event: ${violations[0]}`);
        if (figures.unexpectedCloses.length > 0)
          throw new Error(`unexpected close: ${JSON.stringify(figures.unexpectedCloses[0])}`);
      },
    );
    const started = performance.now();
    try {
      await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
    } finally {
      fuzzing = false;
      await clicking;
    }
    const seconds = (performance.now() - started) / 1000;
    const doneCodes = new Map<string, number>();
    for (const client of fuzzClients) {
      for (const frame of client.frames) {
        if (frame[0] !== MESSAGE.DONE) continue;
        const code = (frame[4] as string | undefined) ?? 'handled';
        doneCodes.set(code, (doneCodes.get(code) ?? 0) + 1);
      }
    }
    fuzzClients.length = 0;

    // The counter client lost nothing: its count is its clicks.
    const lastCount = other.client.frames
      .filter((f) => f[0] === MESSAGE.PATCHES)
      .flatMap((f) => f[3] as unknown[][])
      .filter((p) => p[0] === 'text' && p[1] === countText)
      .map((p) => Number(p[2]))
      .at(-1);
    // The bystander view of the same session was never touched by the fuzzer's events.
    const bystanderFrames = bystander.client.frames.map((f) => f[0]);

    (live as Live | null)?.client.close();
    other.client.close();
    bystander.client.close();
    const httpStatus = (await fetch(`${server.url}/counter`)).status;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { rss: rssAfter } = await settleRss(rssBefore, RSS_MARGIN_MIB);
    const heapAfter = process.memoryUsage().heapUsed / 2 ** 20;
    process_.dispose();

    printFigures(`fuzz.test.ts — seed ${SEED}, ${RUNS} rounds, ${round(seconds)} s`, [
      ['frames sent (inputs tried)', figures.frames],
      ['bytes sent', figures.bytes],
      ['fuzzing connections', figures.connections],
      [
        'closes by code',
        [...figures.closes].map(([code, n]) => `${code}×${n}`).join(' ') || 'none',
      ],
      ['unexpected closes', figures.unexpectedCloses.length],
      ['events answered, by done code', [...doneCodes].map(([c, n]) => `${c}:${n}`).join(' ')],
      [
        'events reaching handlers',
        Object.entries(handled)
          .map(([k, v]) => `${k}:${v}`)
          .join(' '),
      ],
      ['malformed events seen by handlers', violations.length],
      ['bad-frame log lines (rate-limited)', server.log.count('LONA_WARN_PROTOCOL_BAD_MESSAGE')],
      ['counter clicks / final count', `${clicks} / ${lastCount}`],
      ['counter clicks lost', clicks - (lastCount ?? 0)],
      [
        'uncaught exceptions / unhandled rejections',
        `${process_.uncaught.length} / ${process_.unhandled.length}`,
      ],
      [
        'heap used before / after (MiB)',
        `${round(heapBefore)} / ${round(heapAfter)} (margin ${HEAP_MARGIN_MIB})`,
      ],
      [
        'RSS before / after (MiB)',
        `${round(rssBefore)} / ${round(rssAfter)} (margin ${RSS_MARGIN_MIB})`,
      ],
    ]);

    expect([...new Set(violations.map((v) => v.split(' (')[0]))]).toEqual([]);
    expect(figures.unexpectedCloses.slice(0, 5)).toEqual([]);
    expect(process_.uncaught).toEqual([]);
    expect(process_.unhandled).toEqual([]);
    expect(httpStatus).toBe(200);
    expect(badDones).toEqual([]);
    expect(clicks).toBeGreaterThan(0);
    expect(lastCount).toBe(clicks);
    expect(bystanderFrames).toEqual([MESSAGE.VIEW_STARTED, MESSAGE.TREE]); // nothing else
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(server.log.errors).toEqual([]);
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_MARGIN_MIB);
    expect(rssAfter - rssBefore).toBeLessThan(RSS_MARGIN_MIB);
  }, 120_000);
});

describe('the shapes the fuzzer found', () => {
  it('answers click and submit data of the wrong shape with done "invalid-data" before any handler', async () => {
    const view = await openView(server.url, '/target');
    const button = nodeIdOf(view.tree[3], 'button')!;
    const form = nodeIdOf(view.tree[3], 'form')!;
    const handledBefore = { ...handled };
    const cases: Array<[string, string, string, string | undefined]> = [
      ['click', button, '"x"', 'invalid-data'],
      ['click', button, '[1, 2]', 'invalid-data'],
      ['click', button, '{"x": "1"}', 'invalid-data'],
      ['click', button, '{"altKey": 1}', 'invalid-data'],
      ['click', button, '{"y": 1e999}', 'invalid-data'],
      ['submit', form, '"q=1"', 'invalid-data'],
      ['submit', form, '{"q": {"nested": true}}', 'invalid-data'],
      ['submit', form, '{"q": [1]}', 'invalid-data'],
      ['click', button, 'null', undefined],
      ['click', button, '{}', undefined],
      ['click', button, '{"altKey": true, "x": 1.5, "y": 2, "detail": "widget data"}', undefined],
      ['submit', form, '{"q": "1", "tags": ["a", "b"]}', undefined],
    ];
    const codes: Array<string | undefined> = [];
    for (const [index, [name, node, data]] of cases.entries()) {
      const from = view.client.frames.length;
      view.client.sendRaw(
        `["event", ${JSON.stringify(view.viewId)}, ${index + 1}, "${name}", "${node}", null, ${data}]`,
      );
      const done = await view.client.next((f) => f[0] === MESSAGE.DONE && f[2] === index + 1, {
        from,
      });
      codes.push(done[4] as string | undefined);
    }
    view.client.close();
    expect(codes).toEqual(cases.map((c) => c[3]));
    expect((handled.click ?? 0) - (handledBefore.click ?? 0)).toBe(3);
    expect((handled.submit ?? 0) - (handledBefore.submit ?? 0)).toBe(1);
    expect(violations).toEqual([]);
  });
});
