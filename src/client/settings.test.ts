// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { DEFAULT_CLIENT_SETTINGS, readSettings, resolveSettings } from './settings.js';

afterEach(() => document.body.replaceChildren());

describe('settings', () => {
  it('reads #lona-settings over the defaults', () => {
    document.body.innerHTML =
      '<script type="application/json" id="lona-settings">' +
      '{"CLIENT_INPUT_EVENT_TIMEOUT": 5, "wsPath": "/ws"}</script>';
    expect(readSettings(document)).toEqual({
      ...DEFAULT_CLIENT_SETTINGS,
      CLIENT_INPUT_EVENT_TIMEOUT: 5,
      wsPath: '/ws',
    });
  });

  it('keeps the default for a missing element, bad JSON, unknown keys and wrong types', () => {
    expect(readSettings(document)).toEqual(DEFAULT_CLIENT_SETTINGS);
    document.body.innerHTML = '<script type="application/json" id="lona-settings">{oops</script>';
    expect(readSettings(document)).toEqual(DEFAULT_CLIENT_SETTINGS);
    expect(
      resolveSettings({ CLIENT_AUTO_RECONNECT: 'yes', other: 1, CLIENT_VIEW_START_TIMEOUT: 3 }),
    ).toEqual({ ...DEFAULT_CLIENT_SETTINGS, CLIENT_VIEW_START_TIMEOUT: 3 });
  });
});
