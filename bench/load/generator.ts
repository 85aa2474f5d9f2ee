/**
 * A load generator process: started by the runner (bench/lib/processes.ts) pinned to the
 * load core, it runs the scenarios of scenarios.ts on command over Node's IPC channel
 * (`{ id, command, args }` in, `{ id, ok, result | error }` out) and holds groups of open
 * views between commands. It exits when the runner goes away.
 */
import {
  TickRecorder,
  ViewGroup,
  runBroadcast,
  runClicks,
  runFanout,
  type ClicksOptions,
  type FanoutOptions,
  type OpenOptions,
} from './scenarios.js';

interface Command {
  id: number;
  command: string;
  args: Record<string, unknown>;
}

const groups = new Map<string, ViewGroup>();
const recorders = new Map<string, TickRecorder>();

function group(name: unknown): ViewGroup {
  const key = String(name ?? 'default');
  let found = groups.get(key);
  if (!found) groups.set(key, (found = new ViewGroup()));
  return found;
}

const commands: Record<string, (args: Record<string, unknown>) => Promise<unknown> | unknown> = {
  ping: () => ({ pid: process.pid }),
  clicks: (args) => runClicks(args as unknown as ClicksOptions),
  fanout: (args) => runFanout(args as unknown as FanoutOptions),
  broadcast: (args) => runBroadcast(args as unknown as FanoutOptions),
  open: (args) => group(args.group).open(args as unknown as OpenOptions),
  openSockets: (args) =>
    group(args.group).openSockets(
      args as unknown as { url: string; count: number; concurrency: number },
    ),
  alive: (args) => group(args.group).alive(String(args.htmlId)),
  close: async (args) => {
    await group(args.group).close();
    groups.delete(String(args.group ?? 'default'));
    return null;
  },
  ticksStart: (args) => {
    const recorder = new TickRecorder();
    recorder.start(group(args.group).sockets);
    recorders.set(String(args.group ?? 'default'), recorder);
    return null;
  },
  ticksStop: (args) => {
    const key = String(args.group ?? 'default');
    const recorder = recorders.get(key);
    if (!recorder) throw new Error(`no tick recorder for ${key}`);
    recorders.delete(key);
    return recorder.stop();
  },
};

process.on('message', (message: Command) => {
  const handler = commands[message.command];
  void (async () => {
    try {
      if (!handler) throw new Error(`unknown command ${message.command}`);
      const result = await handler(message.args ?? {});
      process.send!({ id: message.id, ok: true, result });
    } catch (error) {
      process.send!({
        id: message.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  })();
});

process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
