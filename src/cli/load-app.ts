/**
 * Loads the app a CLI command works on: imports the module (TypeScript through the tsx
 * loader that bin/lona-ts.js registered) in CLI mode, so its `app.run()` only records
 * options, finds the exported `App`, and applies settings files and `-o` overrides.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, CLI_MODE } from '../app.js';
import { loadSettingsFile, parseOverrides } from '../settings.js';
import { CliError } from './cli-error.js';

export interface LoadAppOptions {
  settingsFiles?: string[];
  overrides?: string[];
}

export async function loadApp(
  path: string | undefined,
  options: LoadAppOptions = {},
): Promise<App> {
  const absolute = appModulePath(path);
  (globalThis as Record<symbol, unknown>)[CLI_MODE] = true;
  const module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  const app = findApp(module);
  if (!app) {
    throw new CliError(
      `${path} exports no App. Export one: export const app = new App(); (or export default app)`,
    );
  }
  const layers = await Promise.all(
    (options.settingsFiles ?? []).map((file) => loadSettingsFile(file)),
  );
  app.configure(...layers, parseOverrides(options.overrides ?? []));
  return app;
}

/** The absolute path of the app module the user named; a clear error if there is none. */
export function appModulePath(path: string | undefined): string {
  if (!path) throw new CliError('Name the app module, e.g. lona-ts run app.ts');
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new CliError(`No such file: ${path}`);
  return absolute;
}

function findApp(module: Record<string, unknown>): App | undefined {
  if (module.app instanceof App) return module.app;
  if (module.default instanceof App) return module.default;
  return Object.values(module).find((value): value is App => value instanceof App);
}
