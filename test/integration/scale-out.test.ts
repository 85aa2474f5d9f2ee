/**
 * Scale-out with real components (SPEC §4.9, §5): a real redis-server as the channel
 * broker, lona-ts processes on two ports (one of them `--processes 2`), and a real nginx
 * in front. A chat message crosses processes through nginx; SIGKILL of one process under
 * load loses no acknowledged message and its clients come back; a rolling restart moves
 * clients to another process; a Redis restart is survived.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE } from '../../src/protocol/messages.js';
import { freePort } from '../helpers/free-port.js';
import { NGINX, startNginx, type Nginx } from '../helpers/nginx.js';
import { RedisServer, findRedisServer } from '../helpers/redis-server.js';
import { nodeIdOf, textById } from '../helpers/tree.js';
import { connect, sessionCookie, type RawClient } from '../helpers/ws-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const available = Boolean(NGINX && findRedisServer());
if (!available) console.warn('scale-out tests skipped: nginx or redis-server is not installed');

interface Backend {
  port: number;
  child: ChildProcess;
  output: () => string;
  stopped: Promise<number | null>;
}

let redis: RedisServer;
let nginx: Nginx;
const backends: Backend[] = [];
const clients: RawClient[] = [];

function startBackend(port: number, extra: string[] = []): Promise<Backend> {
  const child = spawn(
    process.execPath,
    [
      'bin/lona-ts.js',
      'run',
      'test/fixtures/pid-app.ts',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '-o',
      'TRUST_PROXY=true',
      '--shutdown-timeout',
      '2000',
      ...extra,
    ],
    { cwd: ROOT, env: { ...process.env, LONA_TEST_BROKER: redis.url } },
  );
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const stopped = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => resolve(code)),
  );
  const processes = Number(extra[extra.indexOf('--processes') + 1] ?? 1) || 1;
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if ((output.match(/serving on/g) ?? []).length >= processes) {
        clearInterval(timer);
        resolve({ port, child, output: () => output, stopped });
      }
    }, 50);
    void stopped.then((code) => {
      clearInterval(timer);
      reject(new Error(`backend exited (${code}): ${output}`));
    });
  });
}

/** A chat tab through nginx: its view id, the pid that serves it, and node ids. */
interface ChatTab {
  client: RawClient;
  viewId: string;
  pid: string;
  text: string;
  send: string;
}

let eventId = 0;

let cookie: string | undefined;

async function openChat(): Promise<ChatTab> {
  // One session for all tabs, so that only WebSockets go through the balancer's rotation.
  cookie ??= await sessionCookie(nginx.url, '/pid.json');
  const client = await connect(nginx.url, { cookie });
  clients.push(client);
  const from = client.frames.length;
  client.send([MESSAGE.VIEW_START, `${nginx.url}/chat`]);
  const started = await client.next((f) => f[0] === MESSAGE.VIEW_STARTED, { from });
  const tree = await client.next((f) => f[0] === MESSAGE.TREE, { from });
  return {
    client,
    viewId: started[1] as string,
    pid: textById(tree[3], 'pid')!,
    text: nodeIdOf(tree[3], 'text')!,
    send: nodeIdOf(tree[3], 'send')!,
  };
}

/** Opens chat tabs until they cover `want` different processes. */
async function chatsOnProcesses(want: number): Promise<Map<string, ChatTab>> {
  const byPid = new Map<string, ChatTab>();
  for (let i = 0; i < 40 && byPid.size < want; i++) {
    const tab = await openChat();
    if (!byPid.has(tab.pid)) byPid.set(tab.pid, tab);
  }
  return byPid;
}

/** Types `text` and clicks Send; resolves when the click's `done` arrived (acknowledged). */
async function say(tab: ChatTab, text: string): Promise<void> {
  const change = ++eventId;
  const click = ++eventId;
  const from = tab.client.frames.length;
  tab.client.send([MESSAGE.INPUT_EVENT, tab.viewId, change, 'change', tab.text, null, text]);
  tab.client.send([MESSAGE.INPUT_EVENT, tab.viewId, click, 'click', tab.send, null, {}]);
  const done = await tab.client.next((f) => f[0] === MESSAGE.DONE && f[2] === click, { from });
  if (done[4]) throw new Error(`send not done: ${String(done[4])}`);
}

beforeAll(async () => {
  if (!available) return;
  redis = await RedisServer.start();
  const [clusterPort, singlePort] = [await freePort(), await freePort()];
  backends.push(await startBackend(clusterPort, ['--processes', '2']));
  backends.push(await startBackend(singlePort));
  nginx = await startNginx([`127.0.0.1:${clusterPort}`, `127.0.0.1:${singlePort}`]);
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await nginx?.stop();
  for (const backend of backends) backend.child.kill('SIGKILL');
  await redis?.stop();
});

describe.skipIf(!available)('scale-out behind nginx with Redis channels', () => {
  it('carries a chat message from a view on one process to views on the others', async () => {
    const tabs = await chatsOnProcesses(3);
    expect(tabs.size).toBe(3);
    const [sender, ...others] = [...tabs.values()];
    await say(sender!, 'hello across processes');
    for (const other of others) {
      await other.client.next(
        (f) => f[0] === MESSAGE.PATCHES && JSON.stringify(f[3]).includes('hello across processes'),
      );
    }
    // The sender's own view hears it too, back through Redis.
    await sender!.client.next(
      (f) => f[0] === MESSAGE.PATCHES && JSON.stringify(f[3]).includes('hello across processes'),
    );
  });

  it('loses no acknowledged message when a process is killed under load, and its clients come back', async () => {
    const tabs = await chatsOnProcesses(3);
    const single = backends[1]!;
    const senderPid = [...tabs.keys()].find((pid) => single.output().includes(`pid ${pid}`))!;
    const sender = tabs.get(senderPid)!;
    const victimPid = [...tabs.keys()].find((pid) => pid !== senderPid)!;
    const survivors = [...tabs.values()].filter((tab) => tab.pid !== victimPid);
    const victimTab = tabs.get(victimPid)!;

    const acknowledged: string[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) process.kill(Number(victimPid), 'SIGKILL');
      const text = `load message ${i}`;
      await say(sender, text);
      acknowledged.push(text);
    }
    for (const tab of survivors) {
      for (const text of acknowledged) {
        await tab.client.next(
          (f) => f[0] === MESSAGE.PATCHES && JSON.stringify(f[3]).includes(text),
          { timeoutMs: 10_000 },
        );
      }
    }
    expect((await victimTab.client.closed).code).toBe(1006);
    // The primary replaces the dead worker, and a reconnecting client gets a working view.
    await expect
      .poll(() => backends[0]!.output(), { timeout: 20_000 })
      .toMatch(/died \(SIGKILL\); restarting/);
    const back = await openChat();
    await say(back, 'back after the crash');
    await sender.client.next(
      (f) => f[0] === MESSAGE.PATCHES && JSON.stringify(f[3]).includes('back after the crash'),
    );
  });

  it('moves clients to another process on a rolling restart', async () => {
    const tabs = await chatsOnProcesses(3);
    const single = backends[1]!;
    const leavingPid = [...tabs.keys()].find((pid) => single.output().includes(`pid ${pid}`))!;
    const leaving = tabs.get(leavingPid)!;
    single.child.kill('SIGTERM');
    expect((await leaving.client.closed).code).toBe(1012);
    expect(await single.stopped).toBe(0);
    // The client reconnects through nginx and starts its view on a process that is up.
    const again = await openChat();
    expect(again.pid).not.toBe(leavingPid);
    const listener = [...tabs.values()].find((tab) => tab.pid !== leavingPid)!;
    await say(again, 'after the rolling restart');
    await listener.client.next(
      (f) => f[0] === MESSAGE.PATCHES && JSON.stringify(f[3]).includes('after the rolling restart'),
    );
    backends[1] = await startBackend(single.port);
  });

  it('re-attaches a daemon view across processes with the sticky-by-cookie recipe', async () => {
    // Two single processes: `--processes` shares one port, which nginx cannot make sticky.
    const extra = await startBackend(await freePort());
    const sticky = await startNginx([`127.0.0.1:${backends[1]!.port}`, `127.0.0.1:${extra.port}`], {
      stickyCookie: 'sessionid',
    });
    try {
      const user = await sessionCookie(sticky.url, '/pid.json');
      const tabs = [];
      for (let i = 0; i < 4; i++) {
        const client = await connect(sticky.url, { cookie: user });
        clients.push(client);
        client.send([MESSAGE.VIEW_START, `${sticky.url}/shared`]);
        const started = await client.next((f) => f[0] === MESSAGE.VIEW_STARTED);
        tabs.push(started[1]);
      }
      // Every tab of this browser reached the same process, hence the same daemon view.
      expect(new Set(tabs).size).toBe(1);
    } finally {
      await sticky.stop();
      extra.child.kill('SIGKILL');
    }
  });

  it('survives a Redis restart', async () => {
    await redis.stop();
    await redis.start();
    // The brokers reconnect by themselves. A send refused meanwhile fails its click handler
    // (a coded error, the view's 500 view), so each try uses fresh tabs.
    let crossed = false;
    for (let attempt = 0; attempt < 20 && !crossed; attempt++) {
      const [a, b] = [...(await chatsOnProcesses(2)).values()];
      try {
        await say(a!, `after redis restart ${attempt}`);
        crossed = await b!.client
          .next(
            (f) =>
              f[0] === MESSAGE.PATCHES &&
              JSON.stringify(f[3]).includes(`after redis restart ${attempt}`),
            { timeoutMs: 1_000 },
          )
          .then(
            () => true,
            () => false,
          );
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    expect(crossed).toBe(true);
    expect(backends.some((backend) => /Redis reconnected/.test(backend.output()))).toBe(true);
  });
});
