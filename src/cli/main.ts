/**
 * The `lona-ts` command line (SPEC §3.11): parses arguments and dispatches to a command.
 * Commands live in cli/commands/; loading an app module is cli/load-app.ts's job.
 */
import { parseArgs } from 'node:util';
import { LonaError } from '../errors.js';
import { runCommand } from './commands/run.js';
import { routesCommand } from './commands/routes.js';
import { collectStaticCommand } from './commands/collect-static.js';
import { newCommand } from './commands/new.js';
import { CliError } from './cli-error.js';

const USAGE = `Usage: lona-ts <command> [options]

Commands:
  run APP                 start the app exported by APP (.ts or .js)
      --host HOST         interface to listen on (default localhost)
      --port PORT         port (default 8080; 0 picks a free one)
      -s, --settings FILE a settings file (module with a default export, or JSON)
      -o NAME=VALUE       override one setting (repeatable; VALUE as JSON, else a string)
      --log-level LEVEL   debug | info | warn | error | silent
      --shutdown-timeout MS  how long a graceful stop may take
      --processes N       run N processes sharing the port (restarted when they die)
      --live-reload       restart on every change in the app's folder; browsers reload
  routes APP              list the app's routes
  collect-static DEST     copy every static file into DEST (for a front proxy)
      --app APP           the app whose static files to copy (default ./app.ts)
      --clean             empty DEST first
      --dry-run           only list what would be copied
  new DIR                 write a starter app into DIR (a new or empty folder)
  help                    this text
`;

export const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  settings: { type: 'string', short: 's', multiple: true },
  override: { type: 'string', short: 'o', multiple: true },
  'log-level': { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  processes: { type: 'string' },
  'live-reload': { type: 'boolean' },
  app: { type: 'string' },
  clean: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type CliValues = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

/** Runs the CLI; resolves with the exit code (a running server keeps the process alive). */
export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
    });
    const [command, ...rest] = positionals;
    if (values.help || !command || command === 'help') {
      process.stdout.write(USAGE);
      return command || values.help ? 0 : 2;
    }
    switch (command) {
      case 'run':
        return await runCommand(rest, values);
      case 'routes':
        return await routesCommand(rest, values);
      case 'collect-static':
        return await collectStaticCommand(rest, values);
      case 'new':
        return await newCommand(rest);
      default:
        throw new CliError(`Unknown command '${command}'. Run 'lona-ts help' for the list.`);
    }
  } catch (error) {
    if (error instanceof CliError || error instanceof LonaError) {
      process.stderr.write(
        `lona-ts: ${error instanceof LonaError ? `${error.code}: ` : ''}${error.message}\n`,
      );
      return 2;
    }
    if (
      error instanceof TypeError &&
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`lona-ts: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
