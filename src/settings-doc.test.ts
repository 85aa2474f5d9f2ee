import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SETTINGS_DOC,
  SETTINGS_SOURCE,
  parseDefault,
  readSettingsSource,
  renderSettingsDoc,
} from '../scripts/settings-doc.js';
import { DEFAULT_SETTINGS, resolveSettings } from './settings.js';

const source = readFileSync(SETTINGS_SOURCE, 'utf8');
const { groups, dropped } = readSettingsSource(source);
const documented = groups.flatMap((group) => group.settings);

describe('docs/settings.md', () => {
  it('is what scripts/settings-doc.ts generates from src/settings.ts (run it after a change)', () => {
    expect(readFileSync(SETTINGS_DOC, 'utf8')).toBe(renderSettingsDoc(source));
  });

  it('documents every setting once, in the order of DEFAULT_SETTINGS', () => {
    expect(documented.map((s) => s.name)).toEqual(Object.keys(DEFAULT_SETTINGS));
  });

  it("states each setting's real default in its @default", () => {
    for (const setting of documented) {
      const actual = DEFAULT_SETTINGS[setting.name as keyof typeof DEFAULT_SETTINGS];
      expect({ [setting.name]: parseDefault(setting.default) }).toEqual({
        [setting.name]: actual,
      });
    }
  });

  it('lists dropped Lona settings that are refused with their replacement', () => {
    expect(dropped.length).toBeGreaterThan(0);
    for (const { name, replacement } of dropped) {
      expect(() => resolveSettings({ [name]: 1 })).toThrow(replacement);
    }
  });

  it('puts every setting under a group heading', () => {
    for (const group of groups) {
      expect(group.title).not.toBe('');
      expect(group.settings.length).toBeGreaterThan(0);
    }
  });
});
