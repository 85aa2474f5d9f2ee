/** `lona-ts collect-static DEST`: copies every static file of an app into DEST for a front proxy. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadApp } from '../load-app.js';
import { CliError } from '../cli-error.js';
import { collectStatic, collectStaticFiles } from '../../server/static-files.js';
import type { CliValues } from '../main.js';

const CORE_STATIC_DIR = fileURLToPath(new URL('../../static/', import.meta.url));

export async function collectStaticCommand(args: string[], values: CliValues): Promise<number> {
  const dest = args[0];
  if (!dest) throw new CliError('Name the destination folder: lona-ts collect-static DEST');
  const appPath = values.app ?? (existsSync('app.ts') ? 'app.ts' : undefined);
  if (!appPath) throw new CliError('Name the app with --app APP (no ./app.ts here).');
  const app = await loadApp(appPath, {
    settingsFiles: values.settings,
    overrides: values.override,
  });
  const settings = app.settings;
  const declarations = collectStaticFiles(app.staticSources, {
    enabled: settings.STATIC_FILES_ENABLED,
    disabled: settings.STATIC_FILES_DISABLED,
  });
  const copied = await collectStatic({
    dirs: [...settings.STATIC_DIRS.map((dir) => resolve(app.root, dir)), CORE_STATIC_DIR],
    declarations,
    dest: resolve(dest),
    clean: values.clean ?? false,
    dryRun: values['dry-run'] ?? false,
  });
  for (const file of copied) process.stdout.write(`${file}\n`);
  process.stdout.write(
    `${values['dry-run'] ? 'Would copy' : 'Copied'} ${copied.length} files to ${dest}\n`,
  );
  return 0;
}
