import { describe, expect, it } from 'vitest';
import { isIgnoredChange } from './live-reload.js';

describe('isIgnoredChange', () => {
  it('ignores node_modules, .git, dist, dotfiles and editor backups, at any depth', () => {
    for (const path of [
      'node_modules/x/index.js',
      'lib/node_modules/y.js',
      '.git/index',
      'dist/app.js',
      'templates/dist/page.html',
      '.env',
      'static/.app.css.swp',
      'app.ts~',
    ]) {
      expect(isIgnoredChange(path), path).toBe(true);
    }
  });

  it('restarts for the app, its templates and static files', () => {
    for (const path of ['app.ts', 'views/home.ts', 'templates/page.html', 'static/app.css']) {
      expect(isIgnoredChange(path), path).toBe(false);
    }
  });
});
