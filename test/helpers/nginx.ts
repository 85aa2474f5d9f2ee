/**
 * Starts a real nginx (Debian's package) in front of lona-ts processes for a test: a
 * generated config in a temporary folder, the same proxy settings docs/deployment.md
 * recommends (WebSocket upgrade headers, long read timeout), and a clean stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

export interface Nginx {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The upstream + server block of docs/deployment.md, for the given backends. */
export function nginxSite(
  listenPort: number,
  backends: string[],
  options: { stickyCookie?: string } = {},
): string {
  const balance = options.stickyCookie ? `hash $cookie_${options.stickyCookie} consistent;` : '';
  return `
  upstream lona {
    ${balance}
    ${backends.map((b) => `server ${b} max_fails=1 fail_timeout=2s;`).join('\n    ')}
  }
  map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
  }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://lona;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
    }
  }`;
}

export async function startNginx(
  backends: string[],
  options: { stickyCookie?: string } = {},
): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx is not installed (apt-get install nginx)');
  const dir = mkdtempSync(join(tmpdir(), 'lona-nginx-'));
  const port = await freePort();
  const config = `
daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${nginxSite(port, backends, options)}
}`;
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config);
  const check = spawnSync(NGINX, ['-t', '-c', file, '-p', dir], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx config invalid: ${check.stderr}`);
  const child: ChildProcess = spawn(NGINX, ['-c', file, '-p', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    port,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
