/**
 * Security (SPEC §3.9, §3.10, §8): who may open the WebSocket (Origin, ALLOWED_ORIGINS,
 * TRUST_PROXY); an XSS corpus through every way a value reaches markup, over HTTP (escaped
 * or refused with a code) and in Chromium through an interactive view (no script ever
 * runs), srcdoc and SVG animation values included; path traversal through the app's real
 * static routes and FileResponse roots; session cookie flags; frames aimed at another
 * user's view; cross-site POSTs.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  A,
  Button,
  Div,
  FileResponse,
  Form,
  IFrame,
  Img,
  JsonResponse,
  LonaError,
  Node,
  RawHtml,
  Rect,
  Span,
  Svg,
  SvgA,
  TemplateStringResponse,
  TextArea,
  TextInput,
  View,
  parseHtml,
  unsafeUrl,
  type Request,
} from '../../src/index.js';
import { CLOSE_CODE, MESSAGE } from '../../src/protocol/messages.js';
import { useBrowser, waitForText } from '../helpers/browser.js';
import { SYSTEM_FILE_MARKER, traversalCorpus } from '../helpers/traversal-corpus.js';
import { connect, sessionCookie, type RawClient } from '../helpers/ws-client.js';
import {
  click,
  nodeIdOf,
  openView,
  ping,
  printFigures,
  startServer,
  type ReliableServer,
} from './support.js';

// Generous bounds: these are about not hanging on a loaded machine, not about speed.
vi.setConfig({ testTimeout: 90_000 });

// --- the corpora ---------------------------------------------------------------------------------

/** Markup and attribute break-outs; every one sets window.__xss (or opens a dialog) if it runs. */
const XSS = [
  '<script>window.__xss=1</script>',
  '"><script>window.__xss=1</script>',
  "'><script>window.__xss=1</script>",
  '</div><script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<img src=x onerror=alert(1)>',
  '<svg onload=window.__xss=1>',
  '<svg><script>window.__xss=1</script></svg>',
  '<math><mtext></p><script>window.__xss=1</script>',
  '<iframe src="javascript:window.parent.__xss=1"></iframe>',
  '<a href="javascript:window.__xss=1">x</a>',
  '<a href="&#106;avascript:window.__xss=1">x</a>',
  '<details open ontoggle=window.__xss=1>',
  '<body onload=window.__xss=1>',
  '<textarea></textarea><script>window.__xss=1</script>',
  '<title></title><script>window.__xss=1</script>',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
  '<!--<script>window.__xss=1</script>-->',
  '--><script>window.__xss=1</script>',
  '<scr<script>ipt>window.__xss=1</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img """><script>window.__xss=1</script>">',
  '" onmouseover="window.__xss=1" x="',
  "' onfocus='window.__xss=1' autofocus='",
  '" autofocus onfocus="window.__xss=1',
  '&lt;script&gt;window.__xss=1&lt;/script&gt;',
  '&quot; onfocus=&quot;window.__xss=1',
  '\u2028\u2029<script>window.__xss=1</script>',
  '{{ constructor.constructor("window.__xss=1")() }}',
  '{% raw %}<script>window.__xss=1</script>{% endraw %}',
  '${window.__xss=1}',
  '<style>*{background:url("javascript:window.__xss=1")}</style>',
];

/** URLs that must be refused in URL attributes (and redirects): they run script or documents. */
const UNSAFE_URLS = [
  'javascript:window.__xss=1',
  'JaVaScRiPt:window.__xss=1',
  ' java\tscript:window.__xss=1',
  'java\nscript:window.__xss=1',
  'java\rscript:window.__xss=1',
  '\u0001javascript:window.__xss=1',
  '\u0000javascript:window.__xss=1',
  '   javascript:window.__xss=1',
  'javascript://%0Awindow.__xss=1',
  'data:text/html,<script>window.__xss=1</script>',
  'data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==',
  'DATA:TEXT/HTML,x',
  'data:application/xhtml+xml,x',
  'vbscript:msgbox(1)',
  'VBScript:msgbox(1)',
  'livescript:x',
  'file:///etc/passwd',
  'blob:https://evil.example/x',
];

/** srcset values hiding an unsafe candidate. */
const UNSAFE_SRCSETS = [
  'javascript:window.__xss=1',
  'a.png 1x, javascript:window.__xss=1 2x',
  'a.png 1x,javascript:window.__xss=1 2x',
  ' a.png 1x , JAVASCRIPT:x 2x',
  'a.png 480w, data:text/html,x 800w',
  'a.png (x, javascript:x) 1x, javascript:x 2x',
];

/** URLs that are safe and must come through exactly, escaped. */
const SAFE_URLS = [
  'https://example.com/?q="><script>window.__xss=1</script>',
  "/path?a=1&b=<b>&c='",
  'mailto:a@example.com?subject=<x>',
  'tel:+1-555-0100',
  '#frag"onclick="x',
  '?q=javascript:x',
  './javascript:x',
  'javascript&colon;window.__xss=1',
  '//example.com/x',
];

/** A whole document in an attribute value (`srcdoc`): it runs in the page's origin. */
const SRCDOC = '<script>parent.__xss=1</script><p>framed</p>';

/** The SVG animation elements, which can set their target's href to one of their values. */
const ANIMATION_TAGS = ['animate', 'set', 'animateMotion', 'animateTransform', 'ANIMATE', 'Set'];

/** Animation values that set an href to script (each sets window.__xss if it runs). */
const UNSAFE_ANIMATION_VALUES = [
  'javascript:window.__xss=1',
  'JaVaScRiPt:window.__xss=1',
  ' java\tscript:window.__xss=1',
  '\u0001javascript:window.__xss=1',
  'data:text/html,<script>window.__xss=1</script>',
  'vbscript:msgbox(1)',
];

/** Animation values that must pass: numbers, lengths, colours, safe and relative URLs. */
const SAFE_ANIMATION_VALUES = [
  '0;1',
  '10px',
  'red',
  '#a;#b',
  'translate(10 20)',
  '/other?q=javascript:x',
  'https://example.com/a.svg#b',
  '0;javascript:x', // a single value (to, from, by) is one relative URL, not two values
];

/** Attribute names that must be refused: event handlers and names that break the markup. */
const BAD_ATTRIBUTE_NAMES = [
  'onclick',
  'ONCLICK',
  'onMouseOver',
  'on',
  'onerror',
  '"><script>window.__xss=1</script>',
  'x onload',
  'x=y',
  'a b',
  '<img>',
  'x"',
  "x'",
  '=x',
  '/',
  'x\u0000',
  '',
  '1x',
  '-x',
];

// --- the app -------------------------------------------------------------------------------------

/** Renders the query's payload `p` in the context `ctx` (non-interactive, plain HTTP). */
class Reflect extends View {
  override handleRequest(request: Request) {
    const p = String(request.query.p ?? '');
    switch (request.query.ctx) {
      case 'text':
        return new Div({ id: 'out' }, p);
      case 'attr':
        return new Div({ id: 'out', title: p, 'data-x': p, attributes: { 'aria-label': p } });
      case 'input':
        return new TextInput({ id: 'out', value: p, placeholder: p });
      case 'textarea':
        return new TextArea({ id: 'out', value: p });
      case 'style':
        return new Div({ id: 'out', style: { 'font-family': p } });
      case 'template':
        return new TemplateStringResponse('<div id="out">{{ p }}</div>', { p });
      case 'json':
        return new JsonResponse({ p });
      case 'href':
        return new A({ id: 'out', href: p }, 'x');
      case 'src':
        return new Img({ id: 'out', src: p });
      case 'srcset':
        return new Img({ id: 'out', srcset: p });
      case 'action':
        return new Form({ id: 'out', action: p });
      case 'formaction':
        return new Button({ id: 'out', formaction: p });
      case 'name':
        return new Div({ id: 'out', attributes: { [p]: 'x' } });
      case 'srcdoc':
        return new IFrame({ id: 'out', srcdoc: p });
      case 'animate':
        return new Node({ tagName: 'animate', id: 'out', attributeName: 'href', values: p });
      case 'set':
        return new Node({ tagName: 'set', id: 'out', attributeName: 'href', to: p });
      case 'raw':
        return new RawHtml(p);
      case 'parse':
        return parseHtml(p);
      default:
        return 'unknown context';
    }
  }
}

/** Everything the XSS corpus can reach, live in the browser, first as a tree, then as patches. */
class Live extends View {
  refused: string[] = [];
  /** Attempts that should have been refused but were not. */
  accepted: string[] = [];

  attempt(make: () => Node): Node | null {
    try {
      return make();
    } catch (error) {
      this.refused.push(error instanceof LonaError ? error.code : String(error));
      return null;
    }
  }

  row(p: string, i: number, prefix: string): Node {
    return new Div(
      { id: `${prefix}row-${i}`, title: p, 'data-x': p },
      new Span({ id: `${prefix}text-${i}` }, p),
      new TextInput({ id: `${prefix}input-${i}`, value: p, placeholder: p }),
      new A({ id: `${prefix}link-${i}`, href: `/nowhere?q=${encodeURIComponent(p)}`, title: p }, p),
    );
  }

  mustRefuse(what: string, make: () => Node): void {
    if (this.attempt(make) !== null) this.accepted.push(what);
  }

  /**
   * Markup from parseHtml (trusted input): event handler names (and srcdoc, see
   * AttributeAttacks) are still refused, and the client never runs its script elements or
   * sets its javascript: URLs.
   */
  parsed(): Node[] {
    return XSS.map((p) => this.attempt(() => new Div({ class: 'parsed' }, parseHtml(p)))).filter(
      (n): n is Node => n !== null,
    );
  }

  override handleRequest() {
    const texts = XSS.map((p, i) => this.row(p, i, ''));
    for (const url of UNSAFE_URLS) this.mustRefuse(url, () => new A({ href: url }, 'x'));
    for (const srcset of UNSAFE_SRCSETS) this.mustRefuse(srcset, () => new Img({ srcset }));
    for (const name of BAD_ATTRIBUTE_NAMES)
      this.mustRefuse(name, () => new Div({ attributes: { [name]: 'x' } }));
    const parsed = this.parsed();
    const refused = new Span({ id: 'refused' }, String(this.refused.length));
    const accepted = new Span({ id: 'accepted' }, JSON.stringify(this.accepted));
    const patched = new Span({ id: 'patched' }, 'no');
    const extra = new Div({ id: 'extra' });
    const patch = new Button(
      {
        id: 'patch',
        handleClick: () => {
          // The same payloads again, as text, attribute and insert patches.
          XSS.forEach((p, i) => {
            texts[i]!.querySelector(`#text-${i}`)!.setText(`${p} (patched)`);
            texts[i]!.attributes.set('title', `${p} (patched)`);
          });
          XSS.forEach((p, i) => extra.nodes.append(this.row(p, i, 'p-')));
          extra.nodes.append(...this.parsed());
          extra.nodes.append(new RawHtml('<script>window.__xss=1</script><p id="raw-2">raw</p>'));
          patched.setText('yes');
        },
      },
      'patch',
    );
    return new Div(
      refused,
      accepted,
      patched,
      patch,
      // Vouched for on the server, refused again by the client before it sets the attribute.
      new A({ id: 'vouched', href: unsafeUrl('javascript:window.__xss=1') }, 'vouched'),
      new RawHtml('<script>window.__xss=1</script><p id="raw">raw</p>'),
      ...texts,
      ...parsed,
      extra,
    );
  }
}

/**
 * The attribute name a test's WebSocket route turns into `srcdoc` in transit
 * (`lona-test-SRCDOC` into `SRCDOC`): the server refuses srcdoc outright, so only a
 * tampered frame can bring one to the client, which must refuse it again.
 */
const SMUGGLED = 'lona-test-';

/** Animation timing: over at once, and the last value kept. */
const TIMING = { begin: '0s', dur: '0.01s', fill: 'freeze', calcMode: 'discrete' };

/**
 * srcdoc and script URLs in SVG animation values, live in the browser, as a tree and as
 * patches. The server lets the animation values through only because they are vouched for
 * (`unsafeUrl()`) or trusted markup (`parseHtml`); srcdoc only arrives smuggled.
 */
class AttributeAttacks extends View {
  /** A clickable SVG link per animation element and unsafe value; it sets `window.__xss` if it runs. */
  links(prefix: string): Node[] {
    const nodes: Node[] = [];
    for (const tag of ['animate', 'set', 'animateMotion', 'animateTransform']) {
      UNSAFE_ANIMATION_VALUES.forEach((payload, i) => {
        const value =
          tag === 'set' ? { to: unsafeUrl(payload) } : { values: unsafeUrl(`#a;${payload}`) };
        nodes.push(
          this.link(
            `${prefix}${tag}-${i}`,
            new Node({ tagName: tag, attributeName: 'href', ...value, ...TIMING }),
          ),
        );
      });
    }
    return nodes;
  }

  link(id: string, animation: Node): Node {
    return new Svg(
      { width: 120, height: 12 },
      new SvgA({ id }, animation, new Rect({ width: 120, height: 12 })),
    );
  }

  override handleRequest() {
    const parsed = parseHtml(
      `<svg width="120" height="12"><a id="parsed"><set attributeName="href" to="javascript:window.__xss=1" dur="0.01s" fill="freeze"/><rect width="120" height="12"/></a></svg>`,
    ) as Node;
    // Safe values first, made unsafe by a patch (SET_ATTRIBUTE) later.
    const changed = new Node({ tagName: 'set', attributeName: 'href', to: '#a', ...TIMING });
    const changedFrame = new IFrame({ id: 'changed-frame' });
    const extra = new Div({ id: 'extra' });
    const patched = new Span({ id: 'patched' }, 'no');
    const patch = new Button(
      {
        id: 'patch',
        handleClick: () => {
          extra.nodes.append(
            ...this.links('p-'),
            new IFrame({ id: 'p-frame', [`${SMUGGLED}srcdoc`]: SRCDOC }),
          );
          changed.attributes.set('to', unsafeUrl('javascript:window.__xss=1'));
          changedFrame.attributes.set(`${SMUGGLED}srcdoc`, SRCDOC);
          patched.setText('yes');
        },
      },
      'patch',
    );
    return new Div(
      patched,
      patch,
      new IFrame({ id: 'frame', [`${SMUGGLED}srcdoc`]: SRCDOC }),
      new IFrame({ id: 'frame-upper', sandbox: 'allow-scripts', [`${SMUGGLED}SRCDOC`]: SRCDOC }),
      changedFrame,
      parsed,
      this.link('changed', changed),
      ...this.links(''),
      extra,
    );
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

class Echo extends View {
  static override methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
  override handleRequest(request: Request) {
    return new JsonResponse({ method: request.method, post: request.post });
  }
}

/** Serves a file by the name in the query from an uploads directory (a user-named file). */
let uploadsDir = '';
class Download extends View {
  override handleRequest(request: Request) {
    return new FileResponse(String(request.query.name ?? ''), { root: uploadsDir });
  }
}

// Fixture: the layout traversal-corpus.ts assumes.
const tmp = mkdtempSync(join(tmpdir(), 'lona-security-'));
const SECRET = 'TOP SECRET';
const OUTSIDE = 'OUTSIDE THE STATIC DIRS';
function put(path: string, content: string): void {
  mkdirSync(join(tmp, path, '..'), { recursive: true });
  writeFileSync(join(tmp, path), content);
}
put('package.json', SECRET);
put('outside/secret.txt', OUTSIDE);
put('public/app.css', 'body { color: red; }');
put('public/sub/page.html', '<p>page</p>');
put('public/.secret', SECRET);
symlinkSync(join(tmp, 'outside/secret.txt'), join(tmp, 'public/link-outside.txt'));
symlinkSync(join(tmp, 'outside'), join(tmp, 'public/linkdir-outside'));
uploadsDir = join(tmp, 'public');

let server: ReliableServer;
const TRUSTED = 'https://trusted.example';

beforeAll(async () => {
  server = await startServer(
    (app) => {
      app.route('/reflect', Reflect, { interactive: false });
      app.route('/live', Live);
      app.route('/attribute-attacks', AttributeAttacks);
      app.route('/counter', Counter);
      app.route('/echo', Echo, { interactive: false });
      app.route('/download', Download, { interactive: false });
    },
    {
      root: tmp,
      settings: { STATIC_DIRS: ['public'], ALLOWED_ORIGINS: [TRUSTED] },
      watch: [
        'LONA_ERR_HTML_UNSAFE_URL',
        'LONA_ERR_HTML_UNSAFE_ATTRIBUTE',
        'LONA_ERR_HTML_BAD_ATTRIBUTE_NAME',
        'LONA_ERR_HTML_RESERVED_ATTRIBUTE',
        'LONA_ERR_RESPONSE_FILE_OUTSIDE_ROOT',
      ],
    },
  );
});

afterAll(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const figures: Array<[string, string | number]> = [];
afterAll(() => printFigures('security.test.ts', figures));

// --- WebSocket origin ------------------------------------------------------------------------------

/** Opens the socket with these headers: 'open' (then closed by us), 'closed <code>' or the HTTP refusal. */
async function upgrade(
  url: string,
  origin: string | undefined,
  headers: Record<string, string> = {},
  cookie?: string,
): Promise<string> {
  try {
    const client = await connect(url, { origin, headers, cookie });
    if (client.ws.readyState !== client.ws.OPEN) return `closed ${(await client.closed).code}`;
    await ping(client);
    client.close();
    return 'open';
  } catch (error) {
    return (error as Error).message.replace('upgrade refused: ', 'HTTP ');
  }
}

describe('the WebSocket origin check', () => {
  it('lets the same origin and ALLOWED_ORIGINS in and refuses every other origin with 403', async () => {
    const url = server.url;
    const port = new URL(url).port;
    const cookie = await sessionCookie(url);
    const cases: Array<[string | undefined, string]> = [
      [url, 'open'],
      [TRUSTED, 'open'],
      [undefined, 'open'], // not a browser: the session check still applies
      ['https://evil.example', 'HTTP 403'],
      [`http://localhost:${Number(port) + 1}`, 'HTTP 403'],
      [`https://localhost:${port}`, 'HTTP 403'],
      [`http://localhost:${port}.evil.example`, 'HTTP 403'],
      [`http://evil.example/?http://localhost:${port}`, 'HTTP 403'],
      [`${url}/`, 'HTTP 403'],
      ['null', 'HTTP 403'],
      [`${TRUSTED}.evil.example`, 'HTTP 403'],
      ['http://trusted.example', 'HTTP 403'],
    ];
    const results: string[] = [];
    for (const [origin, expected] of cases) {
      const outcome = await upgrade(url, origin, {}, cookie);
      results.push(outcome);
      expect(outcome, String(origin)).toBe(expected);
    }
    // Without a session cookie even the right origin gets only a 4001 close.
    expect(await upgrade(url, url, {}, '')).toBe(`closed ${CLOSE_CODE.NO_SESSION}`);
    figures.push([
      'origins tried (allowed / refused)',
      `${cases.length} (3 / ${cases.length - 3})`,
    ]);
  });

  it('trusts X-Forwarded-Host and X-Forwarded-Proto only with TRUST_PROXY', async () => {
    const forwarded = { 'x-forwarded-host': 'app.example', 'x-forwarded-proto': 'https' };
    const trusting = await startServer((app) => app.route('/counter', Counter), {
      settings: { TRUST_PROXY: true },
    });
    try {
      const cookie = await sessionCookie(trusting.url);
      expect(await upgrade(trusting.url, 'https://app.example', forwarded, cookie)).toBe('open');
      expect(await upgrade(trusting.url, 'http://app.example', forwarded, cookie)).toBe('HTTP 403');
      expect(await upgrade(trusting.url, trusting.url, forwarded, cookie)).toBe('HTTP 403');
      // A view started through the proxy resolves its URL on the forwarded origin.
      const client = await connect(trusting.url, {
        origin: 'https://app.example',
        headers: forwarded,
        cookie,
      });
      client.send([MESSAGE.VIEW_START, 'https://app.example/counter']);
      const started = await client.next((f) => f[0] === MESSAGE.VIEW_STARTED);
      expect(started[2]).toBe('https://app.example/counter');
      client.close();
    } finally {
      await trusting.stop();
    }
    const cookie = await sessionCookie(server.url);
    expect(await upgrade(server.url, 'https://app.example', forwarded, cookie)).toBe('HTTP 403');
  });
});

// --- XSS over HTTP ---------------------------------------------------------------------------------

type Element5 = DefaultTreeAdapterMap['element'];
type Node5 = DefaultTreeAdapterMap['childNode'];

function elements(nodes: Node5[], out: Element5[] = []): Element5[] {
  for (const node of nodes) {
    if (!('tagName' in node)) continue;
    out.push(node);
    const children =
      node.tagName === 'template'
        ? (node as DefaultTreeAdapterMap['template']).content.childNodes
        : node.childNodes;
    elements(children, out);
  }
  return out;
}

/** URL schemes that run script or load a document (`data:,` icons and images do neither). */
const RUNS_SCRIPT =
  /^(javascript|vbscript|livescript):|^data:(text\/html|application\/xhtml|image\/svg)/i;
// eslint-disable-next-line no-control-regex
const LEADING_CONTROLS = /^[\u0000-\u0020]+/;

/** What in parsed markup could run script: script elements, handlers, unsafe URLs, srcdoc. */
function executable(html: string): string[] {
  const found: string[] = [];
  for (const element of elements(parseFragment(html).childNodes)) {
    if (element.tagName === 'script') found.push('<script>');
    for (const attr of element.attrs) {
      if (/^on/i.test(attr.name)) found.push(`${attr.name}=`);
      if (attr.name === 'srcdoc') found.push('srcdoc=');
      if (
        ['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(attr.name) &&
        RUNS_SCRIPT.test(attr.value.replace(/[\t\n\r]/g, '').replace(LEADING_CONTROLS, ''))
      )
        found.push(`${attr.name}=${attr.value.slice(0, 20)}`);
    }
  }
  return found;
}

/** The one element `#out` of the answer, as the browser's parser sees it. */
function out(html: string): Element5 {
  const all = elements(parseFragment(html).childNodes);
  expect(all.map((e) => e.tagName)).toHaveLength(1);
  return all[0]!;
}

const attr = (element: Element5, name: string) => element.attrs.find((a) => a.name === name)?.value;
const textOf = (element: Element5) =>
  element.childNodes.map((n) => ('value' in n ? (n as { value: string }).value : '')).join('');
/**
 * A value as the HTML parser gives it back: CR and CRLF become LF; a NUL is dropped from
 * text and becomes U+FFFD in attribute values and textareas (harmless either way).
 */
const parsedForm = (value: string, replaced = false) =>
  value.replace(/\r\n?/g, '\n').replaceAll('\u0000', replaced ? '\ufffd' : '');

async function reflect(ctx: string, p: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${server.url}/reflect?${new URLSearchParams({ ctx, p })}`);
  return { status: res.status, body: await res.text() };
}

describe('the XSS corpus over HTTP', () => {
  it('escapes every payload in text, attribute values, input values, styles and templates', async () => {
    let checked = 0;
    for (const p of [...XSS, ...UNSAFE_URLS, ...BAD_ATTRIBUTE_NAMES.filter(Boolean)]) {
      for (const ctx of ['text', 'attr', 'input', 'textarea', 'style', 'template']) {
        const { status, body } = await reflect(ctx, p);
        expect(status, `${ctx}: ${p}`).toBe(200);
        expect(executable(body), `${ctx}: ${p}`).toEqual([]);
        const element = out(body);
        const expected = parsedForm(p, !['text', 'template'].includes(ctx));
        if (ctx === 'text' || ctx === 'template') expect(textOf(element)).toBe(expected);
        if (ctx === 'textarea') expect(textOf(element).replace(/^\n/, '')).toBe(expected);
        if (ctx === 'attr') {
          for (const name of ['title', 'data-x', 'aria-label'])
            expect(attr(element, name), `${name}: ${p}`).toBe(expected);
        }
        if (ctx === 'input') {
          expect(attr(element, 'value')).toBe(expected);
          expect(attr(element, 'placeholder')).toBe(expected);
        }
        if (ctx === 'style') expect(attr(element, 'style')).toContain(expected.trim() || '');
        checked++;
      }
      const json = await fetch(`${server.url}/reflect?${new URLSearchParams({ ctx: 'json', p })}`);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(json.headers.get('x-content-type-options')).toBe('nosniff');
      expect(((await json.json()) as { p: string }).p).toBe(p);
    }
    figures.push(['XSS payloads × contexts rendered escaped', checked]);
  });

  it('refuses unsafe URLs in every URL attribute with a coded error and passes safe ones escaped', async () => {
    const before = server.log.count('LONA_ERR_HTML_UNSAFE_URL');
    let refused = 0;
    const cases: Array<[string, string]> = [
      ...UNSAFE_URLS.flatMap((u) =>
        ['href', 'src', 'action', 'formaction'].map((c) => [c, u] as [string, string]),
      ),
      ...UNSAFE_SRCSETS.map((s) => ['srcset', s] as [string, string]),
      ['href', 'data:image/png;base64,iVBORw0KGgo='], // data:image only on images
    ];
    for (const [ctx, p] of cases) {
      const { status, body } = await reflect(ctx, p);
      expect(status, `${ctx}: ${JSON.stringify(p)}`).toBe(500);
      expect(body).not.toContain('__xss');
      refused++;
    }
    expect(server.log.count('LONA_ERR_HTML_UNSAFE_URL') - before).toBe(refused);
    for (const p of SAFE_URLS) {
      for (const ctx of ['href', 'src', 'action', 'formaction']) {
        const { status, body } = await reflect(ctx, p);
        expect(status, `${ctx}: ${p}`).toBe(200);
        expect(executable(body)).toEqual([]);
        expect(attr(out(body), ctx)).toBe(p);
      }
    }
    const image = await reflect('src', 'data:image/png;base64,iVBORw0KGgo=');
    expect(image.status).toBe(200);
    figures.push(['unsafe URLs refused (LONA_ERR_HTML_UNSAFE_URL)', refused]);
    figures.push(['safe URLs passed escaped', SAFE_URLS.length * 4]);
  });

  it('refuses bad and event-handler attribute names with a coded error', async () => {
    const before =
      server.log.count('LONA_ERR_HTML_BAD_ATTRIBUTE_NAME') +
      server.log.count('LONA_ERR_HTML_RESERVED_ATTRIBUTE');
    for (const name of [...BAD_ATTRIBUTE_NAMES, 'style', 'CLASS', 'id']) {
      const { status, body } = await reflect('name', name);
      expect(status, JSON.stringify(name)).toBe(500);
      expect(executable(body)).toEqual([]);
    }
    const after =
      server.log.count('LONA_ERR_HTML_BAD_ATTRIBUTE_NAME') +
      server.log.count('LONA_ERR_HTML_RESERVED_ATTRIBUTE');
    expect(after - before).toBe(BAD_ATTRIBUTE_NAMES.length + 3);
    figures.push(['attribute names refused', BAD_ATTRIBUTE_NAMES.length + 3]);
  });

  it('treats RawHtml as trusted (verbatim) and refuses event handlers in parseHtml', async () => {
    let parsedRefused = 0;
    for (const p of XSS) {
      expect((await reflect('raw', p)).body).toBe(p); // trusted: the app vouched for it
      const parsed = await reflect('parse', p);
      if (parsed.status === 500) {
        parsedRefused++;
        continue;
      }
      expect(parsed.status).toBe(200);
      // parseHtml keeps scripts (trusted markup) but never an event handler attribute.
      expect(executable(parsed.body).filter((bit) => bit.endsWith('='))).toEqual([]);
    }
    expect(parsedRefused).toBeGreaterThan(0);
    figures.push(['parseHtml payloads refused for an event handler', parsedRefused]);
  });
});

// --- XSS in Chromium -------------------------------------------------------------------------------

const browser = useBrowser(() => server.url);

async function xssState(page: Page) {
  return page.evaluate(() => {
    const w = globalThis as unknown as { __xss?: unknown; document: any };
    const all = [...w.document.querySelectorAll('#lona *')] as any[];
    return {
      xss: w.__xss,
      handlers: all.filter((el) => [...el.attributes].some((a: any) => /^on/i.test(a.name))).length,
      scripts: all.filter((el) => el.localName === 'script').length,
      unsafeLinks: all.filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? ''))
        .length,
    };
  });
}

describe('the XSS corpus in Chromium', () => {
  it('never runs a script from a tree, a patch, parseHtml or RawHtml, and keeps every payload as text', async () => {
    const user = await browser.newUser();
    const dialogs: string[] = [];
    user.on('page', (p) => p.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss())));
    const page = await browser.open('/live', user);
    page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
    await page.waitForSelector('#text-0');
    const refused = Number(await page.locator('#refused').textContent());
    for (const [i, p] of XSS.entries()) {
      expect(await page.locator(`#text-${i}`).textContent()).toBe(parsedForm(p));
      expect(await page.locator(`#row-${i}`).getAttribute('title')).toBe(parsedForm(p));
      expect(await page.locator(`#input-${i}`).inputValue()).toBe(p.replace(/[\r\n]/g, ''));
    }
    // The client refuses the javascript: URL the server was told to trust.
    expect(await page.locator('#vouched').getAttribute('href')).toBeNull();
    await page.locator('#vouched').click();
    const afterTree = await xssState(page);

    await page.locator('#patch').click();
    await waitForText(page, '#patched', 'yes');
    await page.waitForSelector(`#p-text-${XSS.length - 1}`);
    for (const [i, p] of XSS.entries()) {
      expect(await page.locator(`#text-${i}`).textContent()).toBe(`${parsedForm(p)} (patched)`);
      expect(await page.locator(`#p-text-${i}`).textContent()).toBe(parsedForm(p));
    }
    // Give anything asynchronous (image errors, frames, focus) a chance to fire.
    await page.locator(`#p-input-0`).focus();
    await page.waitForTimeout(300);
    const afterPatches = await xssState(page);

    figures.push(['payloads refused while building the live view', refused]);
    figures.push(['script elements in the live DOM (inert)', afterPatches.scripts]);
    figures.push(['window.__xss / dialogs', `${String(afterPatches.xss)} / ${dialogs.length}`]);

    expect(await page.locator('#accepted').textContent()).toBe('[]');
    // Beyond those, parseHtml refused the payloads with an event handler attribute.
    expect(refused).toBeGreaterThan(
      UNSAFE_URLS.length + UNSAFE_SRCSETS.length + BAD_ATTRIBUTE_NAMES.length,
    );
    expect(afterTree.xss).toBeUndefined();
    expect(afterPatches).toMatchObject({ xss: undefined, handlers: 0, unsafeLinks: 0 });
    expect(afterPatches.scripts).toBeGreaterThan(0); // they are there, and none ran
    expect(dialogs).toEqual([]);
  });
});

describe('markup in attribute values outside the URL list', () => {
  const refusedWith = (code: string) => expect.objectContaining({ code });

  it('refuses srcdoc on the server with a coded error: any element, case, value, sandbox or trust', async () => {
    const attempts: Array<[string, () => unknown]> = [
      ['IFrame({ srcdoc })', () => new IFrame({ srcdoc: SRCDOC })],
      ['harmless document', () => new IFrame({ srcdoc: '<p>hello</p>' })],
      ['sandbox first', () => new IFrame({ sandbox: '', srcdoc: '<p>x</p>' })],
      ['sandbox last', () => new IFrame({ srcdoc: SRCDOC, sandbox: '' })],
      ['upper case', () => new IFrame({ attributes: { SRCDOC } })],
      ['another element', () => new Div({ srcdoc: SRCDOC })],
      ['empty', () => new IFrame({ srcdoc: '' })],
      ['vouched for with unsafeUrl()', () => new IFrame({ srcdoc: unsafeUrl(SRCDOC) })],
      ['set later', () => new IFrame().attributes.set('srcdoc', SRCDOC)],
      ['reset', () => new IFrame().attributes.reset({ srcdoc: SRCDOC })],
      ['parseHtml', () => parseHtml('<iframe srcdoc="&lt;script&gt;x&lt;/script&gt;"></iframe>')],
      [
        'parseHtml, sandboxed',
        () => parseHtml('<p><iframe sandbox srcdoc="<p>x</p>"></iframe></p>'),
      ],
    ];
    for (const [what, attempt] of attempts)
      expect(attempt, what).toThrow(refusedWith('LONA_ERR_HTML_UNSAFE_ATTRIBUTE'));
    // The message says what to do instead; a framed document from a route is fine.
    expect(() => new IFrame({ srcdoc: SRCDOC })).toThrow(/route of its own.*src/);
    expect(new IFrame({ src: '/framed', sandbox: '' }).toString()).toBe(
      '<iframe src="/framed" sandbox></iframe>',
    );

    const before = server.log.count('LONA_ERR_HTML_UNSAFE_ATTRIBUTE');
    for (const p of [SRCDOC, ...XSS]) {
      const { status, body } = await reflect('srcdoc', p);
      expect(status, p).toBe(500);
      expect(executable(body)).toEqual([]);
    }
    expect(server.log.count('LONA_ERR_HTML_UNSAFE_ATTRIBUTE') - before).toBe(XSS.length + 1);
    figures.push([
      'srcdoc refused (LONA_ERR_HTML_UNSAFE_ATTRIBUTE)',
      attempts.length + XSS.length + 1,
    ]);
  });

  it('refuses script URLs in SVG <animate>/<set>/<animateMotion>/<animateTransform> values on the server', async () => {
    let refused = 0;
    for (const tagName of ANIMATION_TAGS) {
      const cases: Array<[string, string]> = [
        ...UNSAFE_ANIMATION_VALUES.map((v): [string, string] => ['values', v]),
        ...UNSAFE_ANIMATION_VALUES.map((v): [string, string] => ['values', `0;${v};1`]),
        ...UNSAFE_ANIMATION_VALUES.flatMap((v) =>
          ['to', 'from', 'by', 'TO'].map((name): [string, string] => [name, v]),
        ),
      ];
      for (const [name, value] of cases) {
        const what = `<${tagName} ${name}=${JSON.stringify(value)}>`;
        const make = () => new Node({ tagName, attributeName: 'href', [name]: value });
        expect(make, what).toThrow(refusedWith('LONA_ERR_HTML_UNSAFE_URL'));
        // Set later, with the target named after the value, or without one at all.
        const later = new Node({ tagName });
        expect(() => later.attributes.set(name, value), what).toThrow(
          refusedWith('LONA_ERR_HTML_UNSAFE_URL'),
        );
        refused += 2;
      }
      for (const value of SAFE_ANIMATION_VALUES) {
        for (const name of ['to', 'from', 'by']) {
          expect(new Node({ tagName, [name]: value }).attributes.get(name)).toBe(value);
        }
        if (!value.includes('javascript')) {
          expect(new Node({ tagName, values: value }).attributes.get('values')).toBe(value);
        }
      }
      // Trusted, as for URL attributes: unsafeUrl() and parseHtml pass on the server (the
      // client refuses them again, below).
      const vouched = new Node({ tagName, to: unsafeUrl('javascript:x') });
      expect(vouched.attributes.get('to')).toBe('javascript:x');
    }
    const parsed = parseHtml('<svg><set attributeName="href" to="javascript:x"/></svg>') as Node;
    expect(parsed.toString()).toContain('to="javascript:x"');
    // Only animation elements: elsewhere these names hold no URL.
    expect(new Node({ tagName: 'feColorMatrix', values: 'javascript:x' }).toString()).toContain(
      'javascript:x',
    );

    const before = server.log.count('LONA_ERR_HTML_UNSAFE_URL');
    for (const p of UNSAFE_ANIMATION_VALUES) {
      for (const ctx of ['animate', 'set']) {
        const { status, body } = await reflect(ctx, p);
        expect(status, `${ctx}: ${p}`).toBe(500);
        expect(body).not.toContain('__xss');
      }
    }
    expect(server.log.count('LONA_ERR_HTML_UNSAFE_URL') - before).toBe(
      UNSAFE_ANIMATION_VALUES.length * 2,
    );
    for (const p of SAFE_ANIMATION_VALUES) expect((await reflect('set', p)).status, p).toBe(200);
    figures.push(['unsafe SVG animation values refused (LONA_ERR_HTML_UNSAFE_URL)', refused]);
  });

  it('in Chromium: the client refuses srcdoc and script URLs in animation values, in a tree and in patches', async () => {
    const user = await browser.newUser();
    // A tampered server: attribute names `lona-test-…` lose their prefix in transit.
    await user.routeWebSocket(/./, (ws) => {
      const real = ws.connectToServer();
      real.onMessage((message) =>
        ws.send(typeof message === 'string' ? message.replaceAll(`"${SMUGGLED}`, '"') : message),
      );
    });
    const dialogs: string[] = [];
    const refusals: string[] = [];
    user.on('page', (page) => {
      page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
      page.on('console', (m) => {
        if (m.type() === 'error' && m.text().includes('Refused attribute')) refusals.push(m.text());
      });
    });
    const page = await browser.open('/attribute-attacks', user);
    const links = ['animate', 'set', 'animateMotion', 'animateTransform'].flatMap((tag) =>
      UNSAFE_ANIMATION_VALUES.map((_, i) => `${tag}-${i}`),
    );
    const state = () =>
      page.evaluate(() => {
        const w = globalThis as unknown as { __xss?: unknown; document: any };
        const all = [...w.document.querySelectorAll('#lona *')] as any[];
        return {
          xss: w.__xss,
          srcdocs: all.filter((el) => el.hasAttribute('srcdoc')).length,
          frames: all.filter((el) => el.localName === 'iframe').length,
          animations: all.filter((el) =>
            /^(animate|set|animateMotion|animateTransform)$/.test(el.localName),
          ).length,
          unsafeValues: all.filter((el) =>
            ['values', 'to', 'from', 'by'].some((n) =>
              /javascript:/i.test(el.getAttribute(n) ?? ''),
            ),
          ).length,
        };
      });
    /** Clicks every animated link: one that got a javascript: href would run it now. */
    const clickAll = async (ids: string[]) => {
      for (const id of ids) await page.locator(`#${id}`).click();
      await page.waitForTimeout(300); // frames load, animations and navigations settle
    };

    await page.waitForSelector('#changed');
    await clickAll(['parsed', 'changed', ...links]);
    const afterTree = await state();
    const treeRefusals = refusals.length;

    await page.locator('#patch').click();
    await waitForText(page, '#patched', 'yes');
    await page.waitForSelector('#p-frame');
    await clickAll(['changed', ...links.map((id) => `p-${id}`)]);
    const afterPatches = await state();

    figures.push(['srcdoc / animation values refused by the client', refusals.length]);
    expect(afterTree).toMatchObject({ xss: undefined, srcdocs: 0, frames: 3, unsafeValues: 0 });
    expect(afterTree.animations).toBe(links.length + 2);
    // Tree: 2 srcdoc, 1 parsed, every vouched-for link.
    expect(treeRefusals).toBe(2 + 1 + links.length);
    expect(refusals.filter((r) => /holds a whole document/.test(r))).toHaveLength(4);
    expect(afterPatches).toMatchObject({ xss: undefined, srcdocs: 0, frames: 4, unsafeValues: 0 });
    // Patches: an inserted and a changed srcdoc, a changed <set>, every inserted link.
    expect(refusals.length - treeRefusals).toBe(2 + 1 + links.length);
    expect(dialogs).toEqual([]);
  });
});

// --- path traversal ----------------------------------------------------------------------------------

/** A GET with the path sent byte for byte (fetch would normalise it). */
function raw(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('path traversal', () => {
  const leaked = (body: string) =>
    [SECRET, OUTSIDE, SYSTEM_FILE_MARKER, '"name": "lona-ts"'].filter((s) => body.includes(s));

  it("never serves a file outside the app's static dirs, whatever the encoding", async () => {
    const corpus = traversalCorpus('/static/', tmp);
    for (const path of corpus) {
      const res = await raw(server.url, path);
      expect([400, 404], path).toContain(res.status);
      expect(leaked(res.body), path).toEqual([]);
    }
    // Query strings and fragments are not part of the path.
    for (const path of [
      '/static/app.css?../../package.json',
      '/static/app.css#/../../package.json',
    ]) {
      const res = await raw(server.url, path);
      expect(res.body).toBe('body { color: red; }');
    }
    expect((await raw(server.url, '/static/app.css')).status).toBe(200);
    figures.push(['traversal paths through /static/', corpus.length]);
  });

  it('never serves a file outside the client bundle through /_lona/', async () => {
    const corpus = traversalCorpus('/_lona/', tmp);
    for (const path of corpus) {
      const res = await raw(server.url, path);
      expect([400, 404], path).toContain(res.status);
      expect(leaked(res.body), path).toEqual([]);
    }
    figures.push(['traversal paths through /_lona/', corpus.length]);
  });

  it('never serves a user-named file outside a FileResponse root', async () => {
    const before = server.log.count('LONA_ERR_RESPONSE_FILE_OUTSIDE_ROOT');
    const names = traversalCorpus('', tmp).map((path) => {
      try {
        return decodeURIComponent(path);
      } catch {
        return path;
      }
    });
    const statuses = new Map<number, number>();
    for (const name of names) {
      const res = await fetch(`${server.url}/download?${new URLSearchParams({ name })}`);
      const body = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(leaked(body), name).toEqual([]);
      if (res.status === 200) expect(['body { color: red; }', '<p>page</p>']).toContain(body);
    }
    expect(await (await fetch(`${server.url}/download?name=app.css`)).text()).toBe(
      'body { color: red; }',
    );
    figures.push([
      'user-named downloads tried (by status)',
      `${names.length} (${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}; ${server.log.count('LONA_ERR_RESPONSE_FILE_OUTSIDE_ROOT') - before} refused with a code)`,
    ]);
  });
});

// --- sessions ----------------------------------------------------------------------------------------

describe('the session cookie', () => {
  function cookieOf(res: Response): string {
    return res.headers.get('set-cookie') ?? '';
  }

  it('is HttpOnly, SameSite=Lax, Path=/, random, and Secure only behind a trusted HTTPS proxy', async () => {
    const first = cookieOf(await fetch(`${server.url}/counter`));
    const second = cookieOf(await fetch(`${server.url}/counter`));
    expect(first).toMatch(/^sessionid=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(first.split(';')[0]).not.toBe(second.split(';')[0]);
    // A browser that has a well-formed key keeps it; a forged one gets a new key.
    const key = first.split(';')[0]!;
    expect(cookieOf(await fetch(`${server.url}/counter`, { headers: { cookie: key } }))).toBe('');
    const forged = cookieOf(
      await fetch(`${server.url}/counter`, { headers: { cookie: 'sessionid=../../etc' } }),
    );
    expect(forged).toMatch(/^sessionid=[A-Za-z0-9_-]{32};/);
    // Forwarded headers are not trusted without TRUST_PROXY: no Secure.
    const https = { 'x-forwarded-proto': 'https' };
    expect(cookieOf(await fetch(`${server.url}/counter`, { headers: https }))).not.toContain(
      'Secure',
    );
    const trusting = await startServer((app) => app.route('/counter', Counter), {
      settings: { TRUST_PROXY: true },
    });
    try {
      const secure = cookieOf(await fetch(`${trusting.url}/counter`, { headers: https }));
      expect(secure).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
      expect(cookieOf(await fetch(`${trusting.url}/counter`))).not.toContain('Secure');
    } finally {
      await trusting.stop();
    }
    figures.push(['session cookie', first.replace(/=[^;]+/, '=<32 chars>')]);
  });
});

// --- other users' views ------------------------------------------------------------------------------

describe("another user's view", () => {
  it('cannot be clicked, stopped, resynced, failed or messaged by anyone else, even a tab of the same session', async () => {
    const alice = await openView(server.url, '/counter');
    const plus = nodeIdOf(alice.tree[3], 'plus')!;
    const bob = await connect(server.url);
    const aliceOtherTab = await connect(server.url, { cookie: alice.client.cookie });
    const clients: RawClient[] = [alice.client, bob, aliceOtherTab];
    const attackers = [bob, aliceOtherTab];
    let refusedDone = 0;
    for (const attacker of attackers) {
      attacker.send([MESSAGE.INPUT_EVENT, alice.viewId, 1, 'click', plus, plus, {}]);
      const done = await attacker.next((f) => f[0] === MESSAGE.DONE && f[2] === 1);
      expect(done[4]).toBe('unknown-view');
      refusedDone++;
      attacker.send([MESSAGE.RESYNC, alice.viewId, 0]);
      attacker.send([MESSAGE.CLIENT_ERROR, alice.viewId, 'TypeError: forged', {}]);
      attacker.send([MESSAGE.CUSTOM, alice.viewId, { forged: true }]);
      attacker.send([MESSAGE.VIEW_STOP, alice.viewId]);
      await ping(attacker);
      // Nothing of alice's view reached the attacker.
      expect(attacker.frames.filter((f) => f[1] === alice.viewId).map((f) => f[0])).toEqual([
        MESSAGE.ACK,
        MESSAGE.DONE,
      ]);
    }
    // Alice's view is untouched: no patches, no 500 view, still running and counting.
    expect(
      alice.client.frames.filter((f) => f[0] !== MESSAGE.VIEW_STARTED && f[0] !== MESSAGE.TREE),
    ).toEqual([]);
    const { done } = await click(alice, plus, 1);
    expect(done).toEqual([MESSAGE.DONE, alice.viewId, 1, 2]);
    for (const client of clients) client.close();
    figures.push(["frames aimed at another user's view, all refused", refusedDone * 5]);
  });
});

// --- cross-site POSTs ----------------------------------------------------------------------------------

describe('cross-site requests', () => {
  it('refuse POST, PUT, PATCH and DELETE from another site by Origin or Sec-Fetch-Site', async () => {
    const url = server.url;
    const send = (method: string, headers: Record<string, string>) =>
      fetch(`${url}/echo`, {
        method,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'a=1',
      }).then((res) => res.status);
    const cases: Array<[string, Record<string, string>, number]> = [
      ['POST', { origin: 'https://evil.example' }, 403],
      ['POST', { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }, 403],
      ['POST', { 'sec-fetch-site': 'cross-site' }, 403],
      ['POST', { origin: 'null', 'sec-fetch-site': 'cross-site' }, 403],
      ['PUT', { origin: 'https://evil.example' }, 403],
      ['PATCH', { 'sec-fetch-site': 'cross-site' }, 403],
      ['DELETE', { origin: 'https://evil.example' }, 403],
      ['POST', { origin: `${url}.evil.example` }, 403],
      ['POST', { origin: url }, 200],
      ['POST', { origin: url, 'sec-fetch-site': 'same-origin' }, 200],
      ['POST', { 'sec-fetch-site': 'same-origin' }, 200],
      ['POST', { 'sec-fetch-site': 'none' }, 200],
      ['POST', { origin: TRUSTED, 'sec-fetch-site': 'cross-site' }, 200],
      ['POST', {}, 200], // not a browser
    ];
    for (const [method, headers, status] of cases) {
      expect(await send(method, headers), `${method} ${JSON.stringify(headers)}`).toBe(status);
    }
    // An interactive route never takes a POST at all.
    const page = await fetch(`${url}/counter`, { method: 'POST', body: 'a=1' });
    expect(page.status).toBe(405);
    figures.push(['cross-site request cases (refused / allowed)', `${cases.length} (8 / 6)`]);
  });
});
