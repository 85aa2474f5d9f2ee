/**
 * Baselines of W1 and W5: a bare `ws` server that answers each JSON text frame with one
 * JSON text frame (parse, then stringify what it got): the floor for any click round trip
 * on Node, one frame in, one frame out, no framework. A frame `["broadcast", …]` is instead
 * sent to every other client: the floor for a channel fan-out to K sockets. Same `ws`
 * options as lona-ts (no compression). GET /_bench/gc forces a GC and answers the memory
 * use (W3's floor: a bare WebSocket). Run as a script it prints `READY <url>`; tests call
 * `startEchoServer()`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';

export interface EchoServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startEchoServer(port = 0): Promise<EchoServer> {
  const server = createServer((req, res) => {
    if (req.url !== '/_bench/gc') return void res.writeHead(404).end();
    // For W3's floor: memory per bare socket, after two full GCs (with --expose-gc).
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ gc: gc !== undefined, memory: process.memoryUsage() }));
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: true });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(String(data)) as unknown;
      if (Array.isArray(frame) && frame[0] === 'broadcast') {
        for (const client of wss.clients) if (client !== ws) client.send(JSON.stringify(frame));
        return;
      }
      ws.send(JSON.stringify(frame));
    });
    ws.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const echo = await startEchoServer(Number(process.env.PORT ?? 0));
  process.stdout.write(`READY ${echo.url}\n`);
  process.once('SIGTERM', () => void echo.close().finally(() => process.exit(0)));
}
