import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LonaError } from './errors.js';
import {
  DEFAULT_SETTINGS,
  loadSettingsFile,
  parseOverrides,
  resolveSettings,
  suggestSettingName,
} from './settings.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof LonaError ? error.code : `not a LonaError: ${String(error)}`;
  }
  return undefined;
}

describe('resolveSettings', () => {
  it('starts from the defaults', () => {
    const settings = resolveSettings();
    expect(settings.MAX_RUNTIME_THREADS).toBe(20_000);
    expect(settings.app).toEqual({});
  });

  it('lets later layers win', () => {
    const settings = resolveSettings(
      { MAX_WORKER_THREADS: 10 },
      { MAX_WORKER_THREADS: 20 },
      undefined,
    );
    expect(settings.MAX_WORKER_THREADS).toBe(20);
  });

  it('accepts the seed example settings', () => {
    const settings = resolveSettings({
      MAX_RUNTIME_THREADS: 50,
      MAX_WORKER_THREADS: 100,
      MAX_STATIC_THREADS: 20,
    });
    expect([
      settings.MAX_RUNTIME_THREADS,
      settings.MAX_WORKER_THREADS,
      settings.MAX_STATIC_THREADS,
    ]).toEqual([50, 100, 20]);
  });

  it('keeps app-specific values under app, unchecked, merged across layers', () => {
    const settings = resolveSettings({ app: { a: 1 } }, { app: { b: 'x' } });
    expect(settings.app).toEqual({ a: 1, b: 'x' });
  });

  it('gives every app its own copies of array and object defaults', () => {
    const a = resolveSettings();
    a.STATIC_DIRS.push('x');
    expect(resolveSettings().STATIC_DIRS).toEqual([]);
    expect(DEFAULT_SETTINGS.STATIC_DIRS).toEqual([]);
  });

  it('refuses an unknown name and suggests the nearest known one', () => {
    expect(() => resolveSettings({ MAX_RUNTIME_THREAD: 5 })).toThrow(
      /Did you mean 'MAX_RUNTIME_THREADS'/,
    );
    expect(codeOf(() => resolveSettings({ MAX_RUNTIME_THREAD: 5 }))).toBe(
      'LONA_ERR_SETTINGS_UNKNOWN',
    );
    expect(suggestSettingName('static_dirs')).toBe('STATIC_DIRS');
    expect(suggestSettingName('COMPLETELY_DIFFERENT_THING')).toBeUndefined();
  });

  it('refuses a Lona setting that lona-ts dropped, naming its replacement', () => {
    expect(() => resolveSettings({ AIOHTTP_CLIENT_MAX_SIZE: 5 })).toThrow(/MAX_HTTP_BODY_BYTES/);
    expect(codeOf(() => resolveSettings({ CLIENT_VERSION: 2 }))).toBe('LONA_ERR_SETTINGS_DROPPED');
  });

  it('refuses wrong types with a clear message', () => {
    expect(() => resolveSettings({ MAX_RUNTIME_THREADS: '50' })).toThrow(
      'Setting \'MAX_RUNTIME_THREADS\' must be a finite number ≥ 0, got the string "50".',
    );
    expect(codeOf(() => resolveSettings({ MAX_WORKER_THREADS: -1 }))).toBe(
      'LONA_ERR_SETTINGS_TYPE',
    );
    expect(codeOf(() => resolveSettings({ SESSIONS: 'yes' }))).toBe('LONA_ERR_SETTINGS_TYPE');
    expect(codeOf(() => resolveSettings({ STATIC_DIRS: 'public' }))).toBe('LONA_ERR_SETTINGS_TYPE');
    expect(codeOf(() => resolveSettings({ STATIC_DIRS: [1] }))).toBe('LONA_ERR_SETTINGS_TYPE');
    expect(codeOf(() => resolveSettings({ FRONTEND_VIEW: 'MyView' }))).toBe(
      'LONA_ERR_SETTINGS_TYPE',
    );
    expect(codeOf(() => resolveSettings({ TEMPLATE_EXTRA_FILTERS: { up: 'x' } }))).toBe(
      'LONA_ERR_SETTINGS_TYPE',
    );
    expect(codeOf(() => resolveSettings({ app: 5 }))).toBe('LONA_ERR_SETTINGS_TYPE');
  });
});

describe('parseOverrides', () => {
  it('parses values as JSON, else as strings', () => {
    expect(
      parseOverrides([
        'MAX_RUNTIME_THREADS=50',
        'DEBUG=true',
        'STATIC_URL_PREFIX=/assets/',
        'STATIC_DIRS=["a","b"]',
      ]),
    ).toEqual({
      MAX_RUNTIME_THREADS: 50,
      DEBUG: true,
      STATIC_URL_PREFIX: '/assets/',
      STATIC_DIRS: ['a', 'b'],
    });
  });

  it('refuses text without NAME=', () => {
    expect(codeOf(() => parseOverrides(['MAX_RUNTIME_THREADS']))).toBe(
      'LONA_ERR_SETTINGS_OVERRIDE',
    );
    expect(codeOf(() => parseOverrides(['=5']))).toBe('LONA_ERR_SETTINGS_OVERRIDE');
  });

  it('checks the parsed value against the setting type', () => {
    expect(codeOf(() => parseOverrides(['MAX_RUNTIME_THREADS=many']))).toBe(
      'LONA_ERR_SETTINGS_TYPE',
    );
    expect(codeOf(() => parseOverrides(['NO_SUCH=1']))).toBe('LONA_ERR_SETTINGS_UNKNOWN');
  });
});

describe('loadSettingsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lona-settings-'));

  it('loads a module default export and JSON', async () => {
    writeFileSync(join(dir, 'settings.mjs'), 'export default { MAX_WORKER_THREADS: 7 };');
    writeFileSync(join(dir, 'settings.json'), '{"DEBUG": true}');
    expect(await loadSettingsFile(join(dir, 'settings.mjs'))).toEqual({ MAX_WORKER_THREADS: 7 });
    expect(await loadSettingsFile(join(dir, 'settings.json'))).toEqual({ DEBUG: true });
  });

  it('names the file when it is missing or holds an unknown setting', async () => {
    await expect(loadSettingsFile(join(dir, 'missing.mjs'))).rejects.toThrow(/missing\.mjs/);
    writeFileSync(join(dir, 'bad.json'), '{"MAX_WORKERS": 1}');
    await expect(loadSettingsFile(join(dir, 'bad.json'))).rejects.toMatchObject({
      code: 'LONA_ERR_SETTINGS_UNKNOWN',
    });
  });
});
