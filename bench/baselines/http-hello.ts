/**
 * Baseline of W2: a bare `node:http` server answering every request with the same
 * ~130-byte page as the bench app's /hello. Run as a script it prints `READY <url>`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { HELLO_CONTENT_TYPE, HELLO_PAGE } from './hello-page.js';

const body = Buffer.from(HELLO_PAGE);

export function createHelloServer() {
  return createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': HELLO_CONTENT_TYPE, 'Content-Length': body.length });
    res.end(body);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = createHelloServer();
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`READY http://127.0.0.1:${port}\n`);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
