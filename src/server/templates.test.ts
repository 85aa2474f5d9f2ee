import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { LonaError } from '../errors.js';
import { Script, StyleSheet, linkedFiles, renderTags } from './static-declarations.js';
import { BUILTIN_TEMPLATE_DIR, TemplateEngine, inlineJson, markSafe } from './templates.js';

const tmp = mkdtempSync(join(tmpdir(), 'lona-templates-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function userDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmp, 'dir-'));
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), source);
  }
  return dir;
}

function caught(fn: () => unknown): LonaError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LonaError) return error;
    throw error;
  }
  throw new Error('expected a LonaError');
}

const shellContext = {
  title: 'My app',
  lona: {
    stylesheets: '<link rel="stylesheet" href="/static/a.css">\n',
    scripts: '<script defer src="/static/b.js"></script>\n',
    clientSettings: { protocolVersion: 1, note: '</script><script>alert(1)</script>' },
    clientScriptUrl: '/_lona/lona.js',
  },
};

describe('inlineJson', () => {
  it('escapes <, >, &, U+2028 and U+2029 so the JSON cannot leave its <script>', () => {
    const json = inlineJson({ s: '</script><!-- & \u2028\u2029' });
    expect(json).toBe('{"s":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}');
    expect(JSON.parse(json)).toEqual({ s: '</script><!-- & \u2028\u2029' });
  });

  it('writes undefined as null', () => {
    expect(inlineJson(undefined)).toBe('null');
  });
});

describe('TemplateEngine', () => {
  describe('#render', () => {
    it('renders the built-in shell with the view root, settings and tags', () => {
      const html = new TemplateEngine().render('lona/frontend.html', shellContext);
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain('<title>My app</title>');
      expect(html).toContain('<div id="lona"></div>');
      expect(html).toContain('<noscript>');
      expect(html).toContain('<link rel="stylesheet" href="/static/a.css">');
      expect(html).toContain('<script defer src="/static/b.js"></script>');
      expect(html).toContain('<script defer src="/_lona/lona.js"></script>');
      expect(html).toContain('<link rel="stylesheet" href="/static/lona/style.css">');
      const settings = /<script type="application\/json" id="lona-settings">(.*?)<\/script>/.exec(
        html,
      );
      expect(JSON.parse(settings?.[1] ?? '')).toEqual(shellContext.lona.clientSettings);
      expect(html).not.toContain('<script>alert(1)');
    });

    it('titles the shell "Lona" when no title is given', () => {
      const html = new TemplateEngine().render('lona/frontend.html', { title: '' });
      expect(html).toContain('<title>Lona</title>');
    });

    it('renders error pages with their defaults and the given values', () => {
      const engine = new TemplateEngine();
      const notFound = engine.render('lona/404.html');
      expect(notFound).toContain('<title>404 Not Found</title>');
      expect(notFound).toContain('<h1>Not Found</h1>');
      for (const status of [403, 500, 503]) {
        expect(engine.render(`lona/${status}.html`)).toContain(`<title>${status} `);
      }
      const custom = engine.render('lona/403.html', { title: 'Members only', message: 'Log in.' });
      expect(custom).toContain('<h1>Members only</h1>');
      expect(custom).toContain('Log in.');
    });

    it('shows a stack only when one is given, escaped', () => {
      const engine = new TemplateEngine();
      expect(engine.render('lona/500.html', { stack: '' })).not.toContain('<pre');
      const html = engine.render('lona/500.html', { stack: 'Error: <b>\n    at x' });
      expect(html).toContain('<pre class="lona-error-stack">Error: &lt;b&gt;\n    at x</pre>');
    });

    it('renders only the <main> part of an error page when embedded', () => {
      const html = new TemplateEngine().render('lona/404.html', { embedded: true });
      expect(html.trim().startsWith('<main class="lona-error">')).toBe(true);
      expect(html).not.toContain('<html');
    });

    it('points staticUrl() at the configured prefix', () => {
      const engine = new TemplateEngine({ staticUrlPrefix: '/assets' });
      expect(engine.renderString("{{ staticUrl('lona/my style.css') }}")).toBe(
        '/assets/lona/my%20style.css',
      );
    });
  });

  describe('template dirs', () => {
    it('lets a user dir override a built-in template', () => {
      const dir = userDir({ 'lona/404.html': '<p>custom {{ status }}</p>' });
      const engine = new TemplateEngine({ dirs: [dir] });
      expect(engine.render('lona/404.html', { status: 404 })).toBe('<p>custom 404</p>');
    });

    it('lets a user template extend the built-in shell and fill its blocks', () => {
      const dir = userDir({
        'page.html':
          '{% extends "lona/frontend.html" %}{% block header %}<nav>menu</nav>{% endblock %}',
      });
      const html = new TemplateEngine({ dirs: [dir] }).render('page.html', shellContext);
      expect(html).toContain('<nav>menu</nav>');
      expect(html).toContain('<div id="lona"></div>');
    });

    it('searches user dirs in order', () => {
      const first = userDir({ 'x.html': 'first' });
      const second = userDir({ 'x.html': 'second', 'y.html': 'only second' });
      const engine = new TemplateEngine({ dirs: [first, second] });
      expect(engine.render('x.html')).toBe('first');
      expect(engine.render('y.html')).toBe('only second');
    });
  });

  describe('autoescape', () => {
    it('escapes values and keeps values marked safe', () => {
      const engine = new TemplateEngine();
      expect(engine.renderString('{{ v }}', { v: '<b>"&\'' })).toBe('&lt;b&gt;&quot;&amp;&#39;');
      expect(engine.renderString('{{ v }}', { v: markSafe('<b>') })).toBe('<b>');
    });

    it('inlines JSON with the json filter and global', () => {
      const engine = new TemplateEngine();
      const data = { a: '</script>' };
      const expected = '{"a":"\\u003c/script\\u003e"}';
      expect(engine.renderString('{{ data | json }}', { data })).toBe(expected);
      expect(engine.renderString('{{ json(data) }}', { data })).toBe(expected);
    });
  });

  describe('extra context, filters and globals', () => {
    it('gives every render the extra context, below the call context', () => {
      const engine = new TemplateEngine({ extraContext: { site: 'Lona', who: 'extra' } });
      expect(engine.renderString('{{ site }} {{ who }}', { who: 'call' })).toBe('Lona call');
    });

    it('adds extra filters and globals', () => {
      const engine = new TemplateEngine({
        extraFilters: { shout: (s: string) => `${s.toUpperCase()}!` },
        globals: { reverse: (name: string) => `/${name}` },
      });
      expect(engine.renderString('{{ "hi" | shout }} {{ reverse("home") }}')).toBe('HI! /home');
    });
  });

  describe('errors', () => {
    it('throws LONA_ERR_TEMPLATE_NOT_FOUND naming the dirs searched', () => {
      const dir = userDir({});
      const error = caught(() => new TemplateEngine({ dirs: [dir] }).render('nope.html'));
      expect(error.code).toBe('LONA_ERR_TEMPLATE_NOT_FOUND');
      expect(error.message).toContain("'nope.html'");
      expect(error.message).toContain(dir);
      expect(error.message).toContain(BUILTIN_TEMPLATE_DIR);
    });

    it('names the missing template when an include is missing', () => {
      const dir = userDir({ 'a.html': '{% include "missing-part.html" %}' });
      const error = caught(() => new TemplateEngine({ dirs: [dir] }).render('a.html'));
      expect(error.code).toBe('LONA_ERR_TEMPLATE_NOT_FOUND');
      expect(error.message).toContain("'missing-part.html'");
    });

    it('throws LONA_ERR_TEMPLATE_RENDER with the template name when rendering fails', () => {
      const dir = userDir({ 'broken.html': '{% if %}' });
      const engine = new TemplateEngine({
        dirs: [dir],
        extraFilters: {
          fail: () => {
            throw new Error('filter blew up');
          },
        },
      });
      const syntax = caught(() => engine.render('broken.html'));
      expect(syntax.code).toBe('LONA_ERR_TEMPLATE_RENDER');
      expect(syntax.message).toContain("Template 'broken.html' failed to render");
      const thrown = caught(() => engine.renderString('{{ 1 | fail }}'));
      expect(thrown.code).toBe('LONA_ERR_TEMPLATE_RENDER');
      expect(thrown.message).toContain('filter blew up');
    });
  });

  describe('tag templates', () => {
    it('render the same markup as renderTags()', () => {
      const files = [
        new StyleSheet('a', '/x/a b.css', { url: 'lib/a b.css' }),
        new Script('b', '/x/b.js', { url: 'b".js' }),
      ];
      const engine = new TemplateEngine();
      const linked = linkedFiles(files, '/static/');
      const tags = renderTags(files, '/static/');
      expect(engine.render('lona/style-tags.html', { files: linked.stylesheets })).toBe(
        tags.stylesheets,
      );
      expect(engine.render('lona/script-tags.html', { files: linked.scripts })).toBe(tags.scripts);
    });
  });
});
