import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, it, expect } from 'vitest';
import { LonaError } from '../errors.js';
import {
  SORT_ORDER,
  Script,
  StaticFile,
  StyleSheet,
  collectStaticFiles,
  renderTags,
} from './static-declarations.js';

const tmp = mkdtempSync(join(tmpdir(), 'lona-declarations-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string): string {
  const path = join(tmp, name);
  writeFileSync(path, `/* ${name} */`);
  return path;
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

describe('StaticFile', () => {
  it('takes an absolute path and defaults url, sort order, link and enabled', () => {
    const f = new StyleSheet('app', file('app.css'));
    expect(f).toMatchObject({
      kind: 'stylesheet',
      name: 'app',
      path: join(tmp, 'app.css'),
      url: 'app.css',
      sortOrder: SORT_ORDER.APPLICATION,
      link: true,
      enabledByDefault: true,
    });
  });

  it('takes a file: URL, as new URL(..., import.meta.url) gives', () => {
    const f = new Script('lib', pathToFileURL(file('lib.js')), { url: '/vendor/lib.js' });
    expect(f.path).toBe(join(tmp, 'lib.js'));
    expect(f.url).toBe('vendor/lib.js');
    expect(new Script('s', pathToFileURL(file('s.js')).href).path).toBe(join(tmp, 's.js'));
  });

  it('rejects relative paths and unsafe urls', () => {
    expect(caught(() => new StaticFile('x', 'static/x.css')).code).toBe(
      'LONA_ERR_STATIC_BAD_DECLARATION',
    );
    for (const url of ['../x.css', 'a/./b.css', 'a//b.css', '.hidden', 'a\\b.css', '']) {
      expect(caught(() => new StaticFile('x', '/x.css', { url })).code).toBe(
        'LONA_ERR_STATIC_BAD_DECLARATION',
      );
    }
  });
});

describe('collectStaticFiles', () => {
  const framework = new StyleSheet('framework', file('framework.css'), {
    sortOrder: SORT_ORDER.FRAMEWORK,
  });
  const library = new Script('library', file('library.js'), { sortOrder: SORT_ORDER.LIBRARY });
  const app1 = new StyleSheet('app1', file('app1.css'));
  const app2 = new Script('app2', file('app2.js'));
  const map = new StaticFile('app2.map', file('app2.js.map'), { link: false });

  it('collects from classes, nested classes and loose declarations, sorted then in order found', () => {
    class Widget {
      static STATIC_FILES = [library, app2, map];
    }
    class Page {
      static STATIC_FILES = [app1, Widget];
    }
    const result = collectStaticFiles([Page, framework]);
    expect(result.map((f) => f.name)).toEqual(['framework', 'library', 'app1', 'app2', 'app2.map']);
  });

  it('visits each class once and tolerates the same declaration reached twice', () => {
    class Base {
      static STATIC_FILES = [app1];
    }
    class Child extends Base {}
    class Cyclic {
      static STATIC_FILES: unknown[] = [];
    }
    Cyclic.STATIC_FILES.push(Cyclic, Base);
    expect(collectStaticFiles([Base, Child, Cyclic]).map((f) => f.name)).toEqual(['app1']);
  });

  it('ignores sources that declare nothing', () => {
    expect(collectStaticFiles([class Plain {}, () => 'pass-through', undefined, 'x'])).toEqual([]);
  });

  it('throws LONA_ERR_STATIC_DUPLICATE_NAME naming both owners', () => {
    class A {
      static STATIC_FILES = [new StyleSheet('dup', file('dup1.css'))];
    }
    class B {
      static STATIC_FILES = [new StyleSheet('dup', file('dup2.css'))];
    }
    const error = caught(() => collectStaticFiles([A, B]));
    expect(error.code).toBe('LONA_ERR_STATIC_DUPLICATE_NAME');
    expect(error.message).toContain('A');
    expect(error.message).toContain('B');
  });

  it('throws LONA_ERR_STATIC_DUPLICATE_URL for two enabled files at one url', () => {
    const a = new StyleSheet('a', file('u1.css'), { url: 'same.css' });
    const b = new StyleSheet('b', file('u2.css'), { url: 'same.css' });
    expect(caught(() => collectStaticFiles([a, b])).code).toBe('LONA_ERR_STATIC_DUPLICATE_URL');
  });

  it('throws LONA_ERR_STATIC_MISSING_FILE for a missing enabled file', () => {
    class Owner {
      static STATIC_FILES = [new Script('gone', join(tmp, 'gone.js'))];
    }
    const error = caught(() => collectStaticFiles([Owner]));
    expect(error.code).toBe('LONA_ERR_STATIC_MISSING_FILE');
    expect(error.message).toContain('Owner');
    expect(error.message).toContain(join(tmp, 'gone.js'));
  });

  it('leaves out disabled files, and enables opt-in files by name', () => {
    const optIn = new Script('opt-in', join(tmp, 'missing-but-disabled.js'), {
      enabledByDefault: false,
    });
    const sources = [app1, app2, optIn];
    expect(collectStaticFiles(sources).map((f) => f.name)).toEqual(['app1', 'app2']);
    expect(collectStaticFiles(sources, { disabled: ['app2'] }).map((f) => f.name)).toEqual([
      'app1',
    ]);
    const error = caught(() => collectStaticFiles(sources, { enabled: ['opt-in'] }));
    expect(error.code).toBe('LONA_ERR_STATIC_MISSING_FILE');
  });

  it('rejects STATIC_FILES entries that are not declarations or classes', () => {
    class Bad {
      static STATIC_FILES = ['style.css'];
    }
    expect(caught(() => collectStaticFiles([Bad])).code).toBe('LONA_ERR_STATIC_BAD_DECLARATION');
  });
});

describe('renderTags', () => {
  it('tags linked style sheets and scripts in order, encoded and escaped', () => {
    const files = [
      new StyleSheet('a', '/x/a.css', { url: 'css/a b.css' }),
      new Script('b', '/x/b.js', { url: 'b&"<>.js' }),
      new Script('c', '/x/c.js', { link: false }),
      new StaticFile('d', '/x/d.png'),
    ];
    expect(renderTags(files, 'static')).toEqual({
      stylesheets: '<link rel="stylesheet" href="/static/css/a%20b.css">\n',
      scripts: '<script defer src="/static/b%26%22%3C%3E.js"></script>\n',
    });
  });
});
