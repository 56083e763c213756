import { io as ioClient } from 'socket.io-client';
import { EVENTS } from '../../shared/protocol/messages';
import { totpCode, totpStep } from '../../server/auth/totp';
import { TEST_ADMIN, TEST_PASSWORD, adminToken, api, cookieOf, login, newToken } from '../helpers/accounts';
import { onTeardown } from '../helpers/testServer';
import { freezeClock } from '../helpers/fakeClock';
import { clientAs, documents, securitySetup, socketAs, whenClosed } from './securityHelpers';

describe('without a valid session or token nothing is served', () => {
  test('REST answers 401 UNAUTHENTICATED on every route but /healthz and the login endpoints, and changes nothing', async () => {
    const ctx = await securitySetup();
    const before = await documents(ctx);
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/incidents'],
      ['GET', `/api/incidents/${ctx.id}`],
      ['POST', '/api/incidents', { title: 'Intrus' }],
      ['POST', `/api/incidents/${ctx.id}/log`, { text: 'forgé' }],
      ['GET', `/api/incidents/${ctx.id}/members`],
      ['PUT', `/api/incidents/${ctx.id}/members/${ctx.nina.id}`, { role: 'director' }],
      ['GET', `/api/incidents/${ctx.id}/audit`],
      ['GET', '/api/audit'],
      ['GET', '/api/users'],
      ['POST', '/api/invites', { email: 'x@crisis.test' }],
      ['GET', '/api/auth/me'],
      ['POST', '/api/auth/tokens', { name: 'x' }],
      ['GET', '/metrics'],
      ['GET', '/api/nothing-here'],
    ];
    for (const [method, path, body] of routes) {
      for (const credentials of [{}, { token: 'x'.repeat(43) }, { cookie: 'crisis_session=' + 'y'.repeat(43) }]) {
        const reply = await api<{ error: { code: string } }>(ctx.url, path, { method, body, ...credentials });
        expect({ path, method, status: reply.status, code: reply.body?.error?.code }).toEqual({ path, method, status: 401, code: 'UNAUTHENTICATED' });
      }
    }
    expect((await api(ctx.url, '/healthz')).status).toBe(200);
    expect((await api<{ setupRequired: boolean }>(ctx.url, '/api/auth/status')).body).toEqual({ setupRequired: false });
    expect(await documents(ctx)).toEqual(before);
  });

  test('a socket without credentials, or with a bad token, is refused at connection and receives no data', async () => {
    const ctx = await securitySetup();
    const before = await documents(ctx);
    for (const auth of [{ protocol: 1 }, { protocol: 1, token: 'not-a-token-but-long-enough-to-look-like-one' }, { name: 'Alice', protocol: 1 }]) {
      const socket = ioClient(ctx.url, { transports: ['websocket'], auth, reconnection: false, forceNew: true });
      onTeardown(() => void socket.close());
      const received: string[] = [];
      socket.onAny((event: string) => received.push(event));
      const err = await new Promise<Error & { data?: unknown }>((resolve) => socket.once('connect_error', resolve));
      expect(err.data).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(socket.connected).toBe(false);
      // Messages sent anyway go nowhere: the namespace never opened.
      socket.emit(EVENTS.join, { doc: ctx.names.log, stateVector: new Uint8Array([0]) });
      expect(received).toEqual([]);
    }
    expect(await documents(ctx)).toEqual(before);
  });
});

describe('origin and cross-site requests', () => {
  test('a WebSocket handshake from a foreign Origin is refused; the own origin and ALLOWED_ORIGINS are accepted', async () => {
    const ctx = await securitySetup({ allowedOrigins: ['https://crise.chu.example'] });
    const before = await documents(ctx);
    const attempt = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = ioClient(ctx.url, { transports: ['websocket'], auth: { protocol: 1, token: ctx.alice.token }, extraHeaders: { origin }, reconnection: false, forceNew: true });
        onTeardown(() => void socket.close());
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (e) => resolve(`refused: ${e.message}`));
      });
    expect(await attempt('https://evil.example')).toMatch(/^refused/);
    expect(await attempt('null')).toMatch(/^refused/);
    expect(await attempt(`http://${new URL(ctx.url).host}`)).toBe('connected');
    expect(await attempt('https://crise.chu.example')).toBe('connected');
    expect(await documents(ctx)).toEqual(before);
  });

  test('cookie-authenticated writes need the CSRF header and our origin; token writes do not need the header', async () => {
    const ctx = await securitySetup();
    const before = await documents(ctx);
    const cookie = await login(ctx.url, ctx.alice.email, TEST_PASSWORD);
    const path = `/api/incidents/${ctx.id}/log`;
    const noHeader = await api<{ error: { code: string } }>(ctx.url, path, { cookie, body: { text: 'sans en-tête' }, csrf: false });
    expect([noHeader.status, noHeader.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const foreign = await api<{ error: { code: string } }>(ctx.url, path, { cookie, body: { text: 'autre site' }, headers: { origin: 'https://evil.example' } });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const loginWithoutHeader = await api(ctx.url, '/api/auth/login', { body: { email: ctx.alice.email, password: TEST_PASSWORD }, csrf: false });
    expect(loginWithoutHeader.status).toBe(403);
    expect(await documents(ctx)).toEqual(before);

    const ok = await api<{ author: string }>(ctx.url, path, { cookie, body: { text: 'avec en-tête' } });
    expect(ok.status).toBe(201);
    expect(ok.body.author).toBe('Alice');
    const byToken = await api<{ author: string }>(ctx.url, path, { token: ctx.bob.token, body: { text: 'script' } });
    expect(byToken.status).toBe(201);
    expect(byToken.body.author).toBe('Bob');
  });
});

describe('sessions', () => {
  test('login sets an HttpOnly SameSite=Strict cookie with an expiry; logout ends it and closes its sockets at once', async () => {
    const ctx = await securitySetup();
    const reply = await api(ctx.url, '/api/auth/login', { body: { email: ctx.alice.email, password: TEST_PASSWORD } });
    expect(reply.status).toBe(200);
    const set = reply.headers.get('set-cookie')!;
    expect(set).toMatch(/^crisis_session=[A-Za-z0-9_-]{43}; /);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).toMatch(/Max-Age=4319\d/);
    expect(set).not.toContain('Secure');
    const cookie = cookieOf(reply);
    expect((await api<{ user: { displayName: string } }>(ctx.url, '/api/auth/me', { cookie })).body.user.displayName).toBe('Alice');

    // A socket authenticated by the cookie (as a browser's would be).
    const socket = ioClient(ctx.url, { transports: ['websocket'], auth: { protocol: 1 }, extraHeaders: { cookie }, reconnection: false, forceNew: true });
    onTeardown(() => void socket.close());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const other = await socketAs(ctx.url, ctx.alice);
    const closed = whenClosed(socket);

    const out = await api(ctx.url, '/api/auth/logout', { method: 'POST', cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^crisis_session=; .*Max-Age=0/);
    expect(await closed).toEqual({ reason: 'io server disconnect', error: expect.objectContaining({ code: 'LOGGED_OUT' }) });
    // Only that session's sockets: the same user's token socket stays.
    expect(other.connected).toBe(true);
    expect((await api(ctx.url, '/api/auth/me', { cookie })).status).toBe(401);
  });

  test('an open socket keeps neither its credential nor the password hash or TOTP secret of its user', async () => {
    const ctx = await securitySetup();
    const cookie = cookieOf(await api(ctx.url, '/api/auth/login', { body: { email: ctx.bob.email, password: TEST_PASSWORD } }));
    const byCookie = ioClient(ctx.url, { transports: ['websocket'], auth: { protocol: 1 }, extraHeaders: { cookie }, reconnection: false, forceNew: true });
    onTeardown(() => void byCookie.close());
    await new Promise<void>((resolve, reject) => {
      byCookie.once('connect', resolve);
      byCookie.once('connect_error', reject);
    });
    await socketAs(ctx.url, ctx.alice);
    const sockets = [...ctx.server.io.of('/').sockets.values()];
    expect(sockets).toHaveLength(2);
    for (const socket of sockets) {
      expect(socket.handshake.auth).toEqual({});
      expect(socket.handshake.headers.cookie).toBeUndefined();
      expect(socket.handshake.headers.authorization).toBeUndefined();
      const { principal } = socket.data as { principal: { user: Record<string, unknown> } };
      expect(Object.keys(principal.user).sort()).toEqual(['disabled', 'displayName', 'email', 'id', 'isAdmin', 'totpEnabled']);
      const held = JSON.stringify({ handshake: socket.handshake, data: socket.data });
      expect(held).not.toContain('argon2');
      expect(held).not.toContain(ctx.alice.token);
      expect(held).not.toContain(cookie.split('=')[1]);
    }
  });

  test('with COOKIE_SECURE the cookie is Secure and __Host- prefixed, and HSTS is sent', async () => {
    const ctx = await securitySetup({ cookieSecure: true });
    const reply = await api(ctx.url, '/api/auth/login', { body: { email: ctx.alice.email, password: TEST_PASSWORD } });
    expect(reply.headers.get('set-cookie')).toMatch(/^__Host-crisis_session=.*; Secure$/);
    expect(reply.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
  });

  test('security headers: a CSP without unsafe-inline, no framing, no sniffing, no referrer', async () => {
    const ctx = await securitySetup();
    const res = await fetch(`${ctx.url}/api/auth/status`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('brute force', () => {
  test('failed logins are throttled per account, exponentially: even the right password is refused while blocked', async () => {
    const ctx = await securitySetup();
    const attempt = (password: string) => api<{ error: { code: string; details?: { retryAfterSeconds: number } } }>(ctx.url, '/api/auth/login', { body: { email: ctx.alice.email, password } });
    // The server (in this process) reads the time from a clock that stands still until moved:
    // every attempt below happens at the same instant, and the block is waited out by moving it.
    const clock = freezeClock();
    onTeardown(() => clock.restore());
    for (let i = 0; i < 5; i++) {
      const r = await attempt(`wrong guess ${i}`);
      expect([r.status, r.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    const blocked = await attempt(TEST_PASSWORD);
    expect([blocked.status, blocked.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const again = await attempt('wrong guess 6');
    expect(again.status).toBe(429);
    // Another account from the same address is not blocked yet (the per-address limit is higher).
    expect((await api(ctx.url, '/api/auth/login', { body: { email: ctx.bob.email, password: TEST_PASSWORD } })).status).toBe(200);
    // The first block lasts 2 s (THROTTLE_POLICIES): a millisecond before its end, still refused;
    // at its end, the right password works.
    expect(Number(blocked.headers.get('retry-after'))).toBe(2);
    clock.advance(1_999);
    expect((await attempt(TEST_PASSWORD)).status).toBe(429);
    clock.advance(1);
    expect((await attempt(TEST_PASSWORD)).status).toBe(200);
    clock.restore();
    const audit = await api<{ events: Array<{ action: string; detail: { email?: string } | null }> }>(ctx.url, '/api/audit?limit=1000', { token: await adminToken(ctx.url) });
    const mine = audit.body.events.filter((e) => e.detail?.email === ctx.alice.email).map((e) => e.action);
    expect(mine.filter((a) => a === 'login.failed')).toHaveLength(5);
    expect(mine).toContain('login.throttled');
  });

  test('unknown accounts take as long and answer the same as wrong passwords', async () => {
    const ctx = await securitySetup();
    const unknown = await api<{ error: unknown }>(ctx.url, '/api/auth/login', { body: { email: 'nobody@crisis.test', password: 'whatever it is' } });
    const wrong = await api<{ error: unknown }>(ctx.url, '/api/auth/login', { body: { email: ctx.alice.email, password: 'whatever it is' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });
});

describe('invitations and tokens', () => {
  test('an invitation works once; an expired one never', async () => {
    const ctx = await securitySetup();
    const admin = await adminToken(ctx.url);
    const invite = await api<{ token: string; url: string }>(ctx.url, '/api/invites', { token: admin, body: { email: 'paul@crisis.test', displayName: 'Paul' } });
    expect(invite.status).toBe(201);
    expect(invite.body.url).toMatch(/\/invite#token=/);
    expect((await api(ctx.url, '/api/invites/describe', { body: { token: invite.body.token } })).body).toMatchObject({ email: 'paul@crisis.test', displayName: 'Paul' });
    expect((await api(ctx.url, '/api/invites/accept', { body: { token: invite.body.token, password: TEST_PASSWORD } })).status).toBe(200);
    const reused = await api<{ error: { code: string } }>(ctx.url, '/api/invites/accept', { body: { token: invite.body.token, password: TEST_PASSWORD } });
    expect(reused.status).toBe(409);

    // Expire one by moving its expiry into the past in the database (the server clock cannot be moved).
    const late = await api<{ token: string }>(ctx.url, '/api/invites', { token: admin, body: { email: 'late@crisis.test', expiresInHours: 1 } });
    const db = (ctx.server.store as unknown as { sharedConnection(): import('better-sqlite3').Database }).sharedConnection();
    expect(db.prepare("UPDATE invitations SET expires_at = ? WHERE email = 'late@crisis.test'").run(Date.now() - 1000).changes).toBe(1);
    const expired = await api<{ error: { code: string } }>(ctx.url, '/api/invites/accept', { body: { token: late.body.token, password: TEST_PASSWORD } });
    expect([expired.status, expired.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await api(ctx.url, '/api/invites/describe', { body: { token: late.body.token } })).status).toBe(404);
    expect((await api(ctx.url, '/api/auth/login', { body: { email: 'late@crisis.test', password: TEST_PASSWORD } })).status).toBe(401);
    // Only administrators invite.
    expect((await api(ctx.url, '/api/invites', { token: ctx.alice.token, body: { email: 'x@crisis.test' } })).status).toBe(403);
  });

  test('an API token is shown once, stored hashed, and a revoked one stops working at once, sockets included', async () => {
    const ctx = await securitySetup();
    const created = await newToken(ctx.url, ctx.alice.cookie, 'monitoring');
    const db = (ctx.server.store as unknown as { sharedConnection(): import('better-sqlite3').Database }).sharedConnection();
    const stored = db.prepare('SELECT hash FROM api_tokens WHERE id = ?').get(created.id) as { hash: string };
    expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(db.prepare('SELECT * FROM api_tokens').all())).not.toContain(created.token);
    const listed = await api<{ tokens: Array<Record<string, unknown>> }>(ctx.url, '/api/auth/tokens', { token: created.token });
    expect(listed.body.tokens.map((t) => t.name)).toContain('monitoring');
    expect(JSON.stringify(listed.body)).not.toContain(created.token);

    const post = (text: string) => api(ctx.url, `/api/incidents/${ctx.id}/log`, { token: created.token, body: { text } });
    expect((await post('avant révocation')).status).toBe(201);
    const socket = await socketAs(ctx.url, { ...ctx.alice, token: created.token });
    const closed = whenClosed(socket);
    const before = await documents(ctx);
    expect((await api(ctx.url, `/api/auth/tokens/${created.id}`, { method: 'DELETE', cookie: ctx.alice.cookie })).status).toBe(204);
    expect(await closed).toEqual({ reason: 'io server disconnect', error: expect.objectContaining({ code: 'TOKEN_REVOKED' }) });
    expect((await post('après révocation')).status).toBe(401);
    const reconnect = clientAs(ctx.url, { ...ctx.alice, token: created.token }, { reconnection: false });
    const refused = await new Promise<Error & { data?: unknown }>((resolve) => reconnect.socket.once('connect_error', resolve));
    expect(refused.data).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await documents(ctx)).toEqual(before);
  });
});

describe('TOTP second factor', () => {
  test('once enabled, login needs a fresh code; a used code is refused', async () => {
    const ctx = await securitySetup();
    const begin = await api<{ secret: string; otpauthUrl: string }>(ctx.url, '/api/auth/totp/setup', { method: 'POST', cookie: ctx.alice.cookie });
    expect(begin.status).toBe(200);
    expect(begin.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const secret = begin.body.secret;
    const step = totpStep(new Date());
    expect((await api(ctx.url, '/api/auth/totp/enable', { cookie: ctx.alice.cookie, body: { code: totpCode(secret, step - 1) } })).status).toBe(204);
    const withoutCode = await api<{ error: { code: string } }>(ctx.url, '/api/auth/login', { body: { email: ctx.alice.email, password: TEST_PASSWORD } });
    expect([withoutCode.status, withoutCode.body.error.code]).toEqual([401, 'TOTP_REQUIRED']);
    const reusedCode = await api<{ error: { code: string } }>(ctx.url, '/api/auth/login', { body: { email: ctx.alice.email, password: TEST_PASSWORD, totp: totpCode(secret, step - 1) } });
    expect([reusedCode.status, reusedCode.body.error.code]).toEqual([401, 'TOTP_REQUIRED']);
    const good = await api(ctx.url, '/api/auth/login', { body: { email: ctx.alice.email, password: TEST_PASSWORD, totp: totpCode(secret, step) } });
    expect(good.status).toBe(200);
    // API tokens cannot touch the second factor.
    expect((await api(ctx.url, '/api/auth/totp/disable', { token: ctx.alice.token, body: { code: totpCode(secret, step + 1) } })).status).toBe(403);
  });

  test('RFC 6238 test vector (SHA-1, 8 digits truncated to 6)', () => {
    // Secret "12345678901234567890" in base32; RFC 6238 at T=59 s gives 94287082 (8 digits) → 287082.
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1)).toBe('287082');
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', Math.floor(1111111109 / 30))).toBe('081804');
  });
});

describe('first start', () => {
  test('without ADMIN_EMAIL a one-time set-up link is printed; it creates the administrator once', async () => {
    const { startTestServer } = await import('../helpers/testServer');
    const server = await startTestServer({ adminEmail: undefined, adminPassword: undefined, setupLinkMinutes: 5 });
    expect(server.setupUrl).toMatch(/\/setup#token=[A-Za-z0-9_-]{43}$/);
    expect((await api<{ setupRequired: boolean }>(server.url, '/api/auth/status')).body).toEqual({ setupRequired: true });
    const token = server.setupUrl!.split('#token=')[1]!;
    const body = { token, email: 'chef@crisis.test', password: TEST_PASSWORD, displayName: 'Cheffe' };
    const done = await api<{ user: { admin: boolean } }>(server.url, '/api/auth/setup', { body });
    expect(done.status).toBe(200);
    expect(done.body.user.admin).toBe(true);
    expect((await api(server.url, '/api/auth/setup', { body: { ...body, email: 'other@crisis.test' } })).status).toBe(401);
    expect((await api(server.url, '/api/auth/login', { body: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } })).status).toBe(401);
  });
});
