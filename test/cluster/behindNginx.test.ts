import http from 'node:http';
import { io } from 'socket.io-client';
import { freePort, startServerProcess } from '../helpers/serverProcess';
import { onTeardown, tempDir } from '../helpers/testServer';
import { TEST_ADMIN } from '../helpers/accounts';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../shared/auth/schemas';
import { startNginx } from './helpers/nginx';
import { nginxSuite } from './helpers/nginxSuite';

/**
 * One node configured as docker-compose.yml configures them (TRUST_PROXY, PUBLIC_URL), behind
 * the shipped deploy/nginx.conf: the node sees each client's own address and the host the
 * browser asked for, port included.
 */

interface Reply {
  status: number;
  body: string;
}

/** A login POSTed through nginx from a loopback address of our choosing (127.0.0.x): nginx sees it as the client's address. */
function loginFrom(localAddress: string, port: number, email: string, password: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ email, password });
    const req = http.request(
      { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json', [CSRF_HEADER]: CSRF_HEADER_VALUE, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Whether a websocket handshake through nginx with this Origin is accepted (connect) or refused (connect_error). */
function handshake(url: string, origin: string): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin }, auth: { protocol: 1 } });
    socket.on('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.on('connect_error', (err) => {
      socket.close();
      resolve(`refused: ${err.message}`);
    });
  });
}

nginxSuite('a node configured as in docker-compose.yml, behind deploy/nginx.conf', () => {
  it('login throttling counts each client address, not nginx\'s: 20 failures from one address lock out that address only', async () => {
    const nginxPort = await freePort();
    const node = await startServerProcess({ dataDir: tempDir('crisis-behind-nginx-'), port: await freePort(), env: { TRUST_PROXY: 'true', PUBLIC_URL: `http://127.0.0.1:${nginxPort}` }, startTimeoutMs: 45_000 });
    const nginx = await startNginx([node.port, node.port, node.port], { listenPort: nginxPort });
    onTeardown(() => nginx.stop());

    // Twenty failed logins from 127.0.0.2, each for another (unknown) account: only the address is counted up.
    for (let i = 0; i < 20; i++) expect((await loginFrom('127.0.0.2', nginx.port, `nobody${i}@crisis.test`, 'not a password at all')).status).toBe(401);
    const blocked = await loginFrom('127.0.0.2', nginx.port, TEST_ADMIN.email, TEST_ADMIN.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toContain('RATE_LIMITED');
    // Someone else, at another address, logs in as usual.
    expect((await loginFrom('127.0.0.3', nginx.port, TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(200);
  });

  it('a browser page at nginx\'s address passes the websocket Origin check; another origin does not', async () => {
    const nginxPort = await freePort();
    const node = await startServerProcess({ dataDir: tempDir('crisis-behind-nginx-'), port: await freePort(), env: { TRUST_PROXY: 'true', PUBLIC_URL: `http://127.0.0.1:${nginxPort}` }, startTimeoutMs: 45_000 });
    const nginx = await startNginx([node.port, node.port, node.port], { listenPort: nginxPort });
    onTeardown(() => nginx.stop());

    // No credentials: past the Origin check the handshake is refused for authentication, not for its origin.
    const same = await handshake(nginx.url, nginx.url);
    const other = await handshake(nginx.url, 'http://evil.example');
    expect(same).toMatch(/^refused: .*log in first$/);
    // Refused at the HTTP handshake, before authentication is even asked.
    expect(other).toMatch(/^refused: /);
    expect(other).not.toBe(same);
  });
});
