/** `lona-ts routes APP`: prints the route table, in matching order. */
import { loadApp } from '../load-app.js';
import type { CliValues } from '../main.js';

export async function routesCommand(args: string[], values: CliValues): Promise<number> {
  const app = await loadApp(args[0], {
    settingsFiles: values.settings,
    overrides: values.override,
  });
  const rows = app.router.routes.map((route) => [
    typeof route.pattern === 'string' ? route.pattern : 'MATCH_ALL',
    route.name ?? '',
    route.httpPassThrough ? 'pass-through' : route.interactive ? 'interactive' : 'http',
    (route.view as { name?: string }).name || '(anonymous)',
  ]);
  const header = ['PATTERN', 'NAME', 'KIND', 'VIEW'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
  return 0;
}
