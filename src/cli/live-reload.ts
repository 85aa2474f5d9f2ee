/**
 * Live reload (`lona-ts run --live-reload`, `app.run({ liveReload: true })`): a supervisor
 * process runs the app in a child process and restarts it when a file in the app's folder
 * changes. The child is this process's own command line without `--live-reload`, marked
 * with LIVE_RELOAD_ENV; it serves as usual, with DEBUG on (stack traces in 500 views) and
 * `reloadOnReconnect` in the client settings, so browsers reload the page once the new
 * process answers. The supervisor loads no app code of its own when the CLI flag asks for
 * it, and keeps running when a child fails: it logs and waits for the next change.
 *
 * What the child does differently is `liveReloadChildOptions()` and `attachToSupervisor()`,
 * called by cli/run-app.ts; the browser side is client/connection.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { App, RunOptions } from '../app.js';
import type { Logger } from '../internal/logger.js';
import {
  LIVE_RELOAD_ENV,
  LIVE_RELOAD_PORT_ENV,
  isLiveReloadChild,
} from '../internal/live-reload.js';

/** Changes closer together than this restart the app once. */
const DEBOUNCE_MS = 100;
/** Folders whose changes never restart the app, wherever they are. */
const IGNORED_DIRS = new Set(['node_modules', '.git', 'dist']);

export interface LiveReloadOptions {
  /** The folder to watch: the app module's. */
  watchDir: string;
  /** Where the app serves; port 0 is resolved once, so the browser finds every restart. */
  host?: string;
  /** undefined: the child decides (its `app.run()` options or the default). */
  port?: number;
  /** How long a child may take to stop gracefully before it is killed. */
  shutdownTimeoutMs: number;
  logger: Logger;
}

/** Whether a change to `path` (relative to the watched folder) leaves the app running. */
export function isIgnoredChange(path: string): boolean {
  return path
    .split(/[\\/]/)
    .some((part) => IGNORED_DIRS.has(part) || part.startsWith('.') || part.endsWith('~'));
}

/**
 * Runs the supervisor until SIGINT or SIGTERM, then stops the child and exits. The child
 * runs `node` with this process's arguments, minus `--live-reload`.
 */
export async function superviseLiveReload(options: LiveReloadOptions): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, [LIVE_RELOAD_ENV]: '1' };
  if (options.port === 0) {
    env[LIVE_RELOAD_PORT_ENV] = String(await freePort(options.host ?? 'localhost'));
  }
  const argv = [
    ...process.execArgv,
    ...process.argv.slice(1).filter((arg) => arg !== '--live-reload'),
  ];
  const supervisor = new Supervisor(argv, env, options);
  supervisor.start();
  process.on('SIGINT', () => void supervisor.stop('SIGINT'));
  process.on('SIGTERM', () => void supervisor.stop('SIGTERM'));
  // Never resolves: the supervisor exits the process once the child has stopped.
  await new Promise<never>(() => {});
}

class Supervisor {
  readonly #argv: string[];
  readonly #env: NodeJS.ProcessEnv;
  readonly #options: LiveReloadOptions;
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  #closeWatchers: () => void = () => {};
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #restarting = false;
  #stopping = false;

  constructor(argv: string[], env: NodeJS.ProcessEnv, options: LiveReloadOptions) {
    this.#argv = argv;
    this.#env = env;
    this.#options = options;
  }

  start(): void {
    const { watchDir, logger } = this.#options;
    this.#closeWatchers = watchTree(watchDir, (path) => this.#onChange(path), logger);
    logger.info(`live reload: watching ${watchDir}; a change restarts the app`);
    this.#startChild();
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.#stopping) {
      this.#options.logger.warn(`${signal} again: killing the app now.`);
      this.#child?.kill('SIGKILL');
      process.exit(1);
    }
    this.#stopping = true;
    clearTimeout(this.#debounce);
    this.#closeWatchers();
    await this.#stopChild();
    process.exit(0);
  }

  #onChange(path: string): void {
    if (this.#stopping) return;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.#restart(path), DEBOUNCE_MS);
  }

  async #restart(path: string): Promise<void> {
    // Changes while the old child stops need no restart of their own: the next child,
    // started after them, reads them.
    if (this.#restarting || this.#stopping) return;
    this.#restarting = true;
    try {
      this.#options.logger.info(`live reload: ${path} changed; restarting the app`);
      await this.#stopChild();
      if (!this.#stopping) this.#startChild();
    } finally {
      this.#restarting = false;
    }
  }

  #startChild(): void {
    const logger = this.#options.logger;
    const child = spawn(process.execPath, this.#argv, {
      env: this.#env,
      // The IPC channel only tells the child when the supervisor is gone.
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => {
      child.once('error', (error) => {
        logger.error('live reload: could not start the app', error);
        if (this.#child === child) this.#child = null;
        resolve();
      });
      child.once('exit', (code, signal) => {
        if (this.#child === child) {
          // Not asked to stop: it failed to start, or crashed.
          this.#child = null;
          logger.error(
            `live reload: the app exited (${signal ?? `exit code ${code}`}); it restarts at the next change`,
          );
        }
        resolve();
      });
    });
  }

  /**
   * Stops the child gracefully (SIGTERM), killing it after the shutdown timeout; also
   * waits for a child that another caller is already stopping.
   */
  async #stopChild(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    let force: ReturnType<typeof setTimeout> | undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      force = setTimeout(() => child.kill('SIGKILL'), this.#options.shutdownTimeoutMs + 1_000);
    }
    await this.#exited;
    clearTimeout(force);
  }
}

/**
 * Watches `root` for changes outside the ignored folders; returns the function that stops
 * watching. The top level is watched on its own and each folder below it recursively,
 * because a recursive watch of the root would also walk node_modules (Linux watches
 * folder by folder).
 */
function watchTree(root: string, onChange: (path: string) => void, logger: Logger): () => void {
  const watchers = new Map<string, FSWatcher>();
  const report = (path: string) => {
    if (!isIgnoredChange(path)) onChange(path);
  };
  const watchFolder = (name: string) => {
    if (watchers.has(name) || isIgnoredChange(name)) return;
    try {
      const watcher = watch(join(root, name), { recursive: true }, (_event, file) =>
        report(file ? join(name, file) : name),
      );
      watcher.on('error', () => {
        // The folder went away; a new one of that name is picked up at the top level.
        watcher.close();
        watchers.delete(name);
      });
      watchers.set(name, watcher);
    } catch {
      // Gone already, or not a folder after all.
    }
  };
  const top = watch(root, (event, file) => {
    if (!file) return onChange('a file');
    if (event === 'rename' && isFolder(join(root, file))) {
      // A new folder, or one made again under an old name: watch it afresh.
      watchers.get(file)?.close();
      watchers.delete(file);
      watchFolder(file);
    }
    report(file);
  });
  top.on('error', (error) => logger.error(`live reload: stopped watching ${root}`, error));
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) watchFolder(entry.name);
  }
  return () => {
    top.close();
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A port that is free on `host` now; the children bind it one after the other. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The run options of an app process under live reload: one process (restarts replace it;
 * several would only race for the port), the supervisor's port, and DEBUG on, so 500
 * views show stack traces (SPEC §8).
 */
export function liveReloadChildOptions(app: App, options: RunOptions): RunOptions {
  const port = process.env[LIVE_RELOAD_PORT_ENV];
  if ((options.processes ?? 1) > 1) {
    app.logger.info('live reload: running one process (--processes applies without it)');
  }
  // configure() starts app.state afresh; keep what the module may have put there.
  const state = app.state;
  app.configure({ DEBUG: true });
  app.state = state;
  return { ...options, processes: 1, port: port ? Number(port) : options.port };
}

/**
 * Lets a supervised app process live and die with its supervisor: Ctrl-C reaches the
 * whole process group, and the supervisor relays it as SIGTERM (a second signal would
 * force an exit), so SIGINT is left to it; when the supervisor is gone (even killed), its
 * IPC channel closes and `onGone` stops the app. Returns whether there is a supervisor.
 */
export function attachToSupervisor(onGone: () => void): boolean {
  if (!isLiveReloadChild() || !process.connected) return false;
  // The channel must not keep a process alive that has nothing else to do.
  process.channel?.unref();
  process.on('SIGINT', () => {});
  process.on('disconnect', onGone);
  return true;
}
