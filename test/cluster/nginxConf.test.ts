import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { onTeardown, tempDir } from '../helpers/testServer';
import { SHIPPED_NGINX_CONF, freeLoopbackPort, renderNginxConf, startNginx, testNginxConf } from './helpers/nginx';
import { nginxSuite } from './helpers/nginxSuite';

/** What an upstream saw of one request. */
interface Seen {
  backend: number;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A stand-in node: answers every request with 200 and notes its headers; `status` overrides the answer for some paths. */
async function echoBackend(backend: number, seen: Seen[], status: (url: string) => number = () => 200): Promise<number> {
  const server = http.createServer((req, res) => {
    seen.push({ backend, url: req.url ?? '', headers: req.headers });
    res.writeHead(status(req.url ?? ''), { 'content-type': 'text/plain' }).end(`backend ${backend}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  onTeardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.unref();
  return (server.address() as AddressInfo).port;
}

const SOURCE = fs.readFileSync(SHIPPED_NGINX_CONF, 'utf8');

describe('the shipped deploy/nginx.conf, rendered for loopback', () => {
  it('the rendering changes only the upstream addresses, the listen port and the paths', () => {
    const dir = tempDir('crisis-nginx-render-');
    const rendered = renderNginxConf(SOURCE, { upstreamPorts: [41001, 41002, 41003], listenPort: 42000, dir });
    const before = SOURCE.split('\n');
    const after = rendered.split('\n');
    expect(after).toHaveLength(before.length);
    const kinds: string[] = [];
    before.forEach((line, i) => {
      const now = after[i]!;
      if (now === line) return;
      const upstream = /^(\s*server\s+)node-(\d):3000( .*)?$/.exec(line);
      if (upstream) {
        expect(now).toBe(`${upstream[1]}127.0.0.1:4100${upstream[2]}${upstream[3] ?? ''}`);
        kinds.push('upstream');
      } else if (/^\s*listen 8080;$/.test(line)) {
        expect(now).toBe(line.replace('8080', '127.0.0.1:42000'));
        kinds.push('listen');
      } else {
        // A path, and only the path: the directive and its other words are the shipped ones.
        const asShipped = now.replace(path.join(dir, 'access.log'), '/dev/stdout').replace(path.join(dir, 'error.log'), '/dev/stderr').replaceAll(`${dir}/`, '/tmp/');
        expect(asShipped).toBe(line);
        expect(line.trimStart().startsWith('#')).toBe(false);
        kinds.push('path');
      }
    });
    expect(kinds.filter((k) => k === 'upstream')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'listen')).toHaveLength(1);
    // pid, five temporary folders, two logs.
    expect(kinds.filter((k) => k === 'path')).toHaveLength(8);
    // Nothing of the rendered file points outside its directory any more.
    const paths = rendered.split('\n').filter((l) => !/^\s*(#|location\s)/.test(l)).flatMap((l) => l.match(/(?<=\s)\/[^\s;]+/g) ?? []);
    expect(paths).toHaveLength(8);
    expect(paths.filter((p) => !p.startsWith(`${dir}/`))).toEqual([]);
  });

  it('refuses to render a file whose upstream no longer has the expected shape', () => {
    const dir = tempDir('crisis-nginx-render-');
    expect(() => renderNginxConf(SOURCE, { upstreamPorts: [1, 2], listenPort: 3, dir })).toThrow(/names node-3/);
    expect(() => renderNginxConf(SOURCE.replace('listen 8080;', 'listen 80;'), { upstreamPorts: [1, 2, 3], listenPort: 3, dir })).toThrow(/listen 8080/);
  });
});

nginxSuite('deploy/nginx.conf run by nginx', () => {
  it('passes the configuration test', () => {
    const dir = tempDir('crisis-nginx-t-');
    fs.chmodSync(dir, 0o755);
    const file = path.join(dir, 'nginx.conf');
    fs.writeFileSync(file, renderNginxConf(SOURCE, { upstreamPorts: [41001, 41002, 41003], listenPort: 42000, dir }));
    const verdict = testNginxConf(file);
    expect(verdict.output).toMatch(/test is successful/);
    expect(verdict.ok).toBe(true);
  });

  it('every location forwards Host with its port, X-Forwarded-For, -Proto and -Host', async () => {
    const seen: Seen[] = [];
    const ports = [await echoBackend(1, seen), await echoBackend(2, seen), await echoBackend(3, seen)];
    const nginx = await startNginx(ports);
    onTeardown(() => nginx.stop());
    const host = `127.0.0.1:${nginx.port}`;
    for (const p of ['/api/auth/status', '/', '/socket.io/?EIO=4&transport=websocket']) {
      // A client claiming an address of its own: nginx appends the real one after it.
      const res = await fetch(`${nginx.url}${p}`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(res.status).toBe(200);
    }
    expect(seen.map((s) => s.url)).toEqual(['/api/auth/status', '/', '/socket.io/?EIO=4&transport=websocket']);
    for (const s of seen) {
      expect({ url: s.url, host: s.headers.host, xfh: s.headers['x-forwarded-host'], xff: s.headers['x-forwarded-for'], xfp: s.headers['x-forwarded-proto'] }).toEqual({
        url: s.url,
        host,
        xfh: host,
        xff: '203.0.113.9, 127.0.0.1',
        xfp: 'http',
      });
    }
    // Node figures are not exposed through the balancer.
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
  });

  it('a websocket handshake answered 503 by a failing node, or refused by a dead node, goes to the next one', async () => {
    const status = 503;
    const seen: Seen[] = [];
    // node-1 refuses every handshake, node-2 is down (nothing listens), node-3 is fine.
    const refusing = await echoBackend(1, seen, (url) => (url.startsWith('/socket.io/') ? status : 200));
    const dead = await freeLoopbackPort();
    const live = await echoBackend(3, seen);
    const nginx = await startNginx([refusing, dead, live]);
    onTeardown(() => nginx.stop());
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${nginx.url}/socket.io/?EIO=4&transport=websocket&i=${i}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('backend 3');
    }
    // A 503 counts as a failure: nginx leaves the node out for fail_timeout (5 s) after the first.
    expect(seen.filter((s) => s.backend === 1).length).toBe(1);
  });

  it('a REST answer of 503 reaches the client as it is (STORAGE_UNAVAILABLE with Retry-After), never retried elsewhere', async () => {
    const seen: Seen[] = [];
    const unavailable = await echoBackend(1, seen, () => 503);
    const nginx = await startNginx([unavailable, unavailable, unavailable]);
    onTeardown(() => nginx.stop());
    const res = await fetch(`${nginx.url}/api/incidents/x/log`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    expect(seen).toHaveLength(1);
  });
});
