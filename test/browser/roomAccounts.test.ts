import { until } from '../helpers/poll';
import { createIncident, startTestServer } from '../helpers/testServer';
import { TEST_ADMIN, TEST_PASSWORD, api, createUser } from '../helpers/accounts';
import { getIncidentState } from '../helpers/sessions';
import { totpCode, totpStep } from '../../server/auth/totp';
import type { RunningServer } from '../../server/createServer';
import { expectClean, loginThroughPage, openRoom, postEntry, signIn, waitLive } from './harness';
import { roomSuite } from './roomSuite';

/** Accounts in the browser: login, invitation and membership, logout, the second factor, the first start. */

/** The server's sockets opened by a user. */
function socketsOf(server: RunningServer, userId: string): number {
  let n = 0;
  for (const socket of server.io.of('/').sockets.values()) {
    if ((socket.data as { principal?: { user: { id: string } } }).principal?.user.id === userId) n += 1;
  }
  return n;
}

jest.setTimeout(120_000);

roomSuite('browser client: accounts', ({ webRoot, serve, stranger, person }) => {
  test('login: a wrong password shows an error and lets nobody in; the right one enters', async () => {
    const server = await serve();
    const claire = await createUser(server.url, 'Claire Dubois');
    const w = await stranger();
    await w.page.goto(`${server.url}/#/`);
    await w.page.getByTestId('login-page').waitFor();
    await expect(w.page.locator('#login-email')).toBeFocusedSoon();

    await loginThroughPage(w.page, claire.email, 'not the right passphrase');
    const error = w.page.getByTestId('form-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Adresse e-mail ou mot de passe incorrect.');
    expect(await w.page.locator('#login-password').inputValue()).toBe('');
    await expect(w.page.locator('#login-password')).toBeFocusedSoon();
    expect((await w.context.cookies()).map((c) => c.name)).toEqual([]);
    expect(await w.page.getByTestId('me').count()).toBe(0);

    await w.page.locator('#login-password').fill(TEST_PASSWORD);
    await w.page.locator('#login-password').press('Enter');
    await w.page.getByTestId('me').waitFor();
    expect(await w.page.getByTestId('me').textContent()).toBe('Claire Dubois');
    // The session cookie is out of reach of scripts and of other sites.
    const cookies = await w.context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['crisis_session', true, 'Strict']]);
    expect(await w.page.evaluate(() => document.cookie)).toBe('');
    // A reload keeps the session.
    await w.page.reload();
    await w.page.getByTestId('me').waitFor();
    await expectClean(w);
  });

  test('an invitation link accepted in the browser makes a user who sees only the incidents they are a member of; a director adds, demotes and removes them', async () => {
    const server = await serve();
    const mine = await createIncident(server.url, 'Panne du standard');
    const other = await createIncident(server.url, 'Incident confidentiel');

    // The administrator invites from the administration page and gets the one-time link.
    const admin = await stranger();
    await signIn(admin, server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    await admin.page.goto(`${server.url}/#/admin`);
    await admin.page.locator('#invite-email').fill('dr.kerouac@chu.test');
    await admin.page.locator('#invite-display-name').fill('Dr Yann Kerouac');
    await admin.page.getByRole('button', { name: 'Créer le lien' }).click();
    const link = await admin.page.getByTestId('invite-link').inputValue();
    const match = /^(http:\/\/[^/]+)\/invite#token=([A-Za-z0-9_-]{43})$/.exec(link);
    expect(match).not.toBeNull();
    const [, origin, token] = match as unknown as [string, string, string];

    // The invited person opens it on their own computer.
    const yann = await stranger();
    await yann.page.goto(link);
    await yann.page.getByTestId('invite-page').waitFor();
    await yann.page.getByTestId('invite-email').waitFor();
    expect(await yann.page.getByTestId('invite-email').textContent()).toBe('dr.kerouac@chu.test');
    expect(await yann.page.locator('#invite-name').inputValue()).toBe('Dr Yann Kerouac');
    await yann.page.locator('#new-password').fill('une phrase de passe assez longue');
    await yann.page.locator('#confirm-password').fill('une phrase de passe assez longue');
    await yann.page.locator('#confirm-password').press('Enter');
    await yann.page.getByTestId('me').waitFor();
    expect(await yann.page.getByTestId('me').textContent()).toBe('Dr Yann Kerouac');
    // The secret left the address bar, and the link works only once.
    expect(yann.page.url()).toBe(`${origin}/#/`);
    expect((await api(server.url, '/api/invites/describe', { body: { token } })).status).toBe(404);
    // A member of nothing yet: an empty list, and the server agrees.
    await yann.page.getByText('Aucun incident pour vous').waitFor();
    expect(await yann.page.getByTestId('incident-item').count()).toBe(0);
    const session = (await yann.context.cookies(origin)).find((c) => c.name === 'crisis_session');
    const yannCookie = `crisis_session=${session!.value}`;

    // The director (the administrator made both incidents) adds them to one, from the members panel.
    await openRoom(admin.page, server.url, mine, 'members');
    await admin.page.locator('#add-member-user').selectOption({ label: 'Dr Yann Kerouac — dr.kerouac@chu.test' });
    await admin.page.locator('#add-member-role').selectOption('member');
    await admin.page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    const row = admin.page.locator('[data-testid="member"]', { hasText: 'Dr Yann Kerouac' });
    await row.waitFor();
    expect(await row.getAttribute('data-role')).toBe('member');

    await yann.page.reload();
    await yann.page.getByTestId('incident-item').first().waitFor();
    expect(await yann.page.locator('[data-testid="incident-item"] .incident-name').allTextContents()).toEqual(['Panne du standard']);
    const listed = await api<{ incidents: Array<{ id: string }> }>(server.url, '/api/incidents', { cookie: yannCookie });
    expect(listed.body.incidents.map((m) => m.id)).toEqual([mine]);
    expect((await api(server.url, `/api/incidents/${other}`, { cookie: yannCookie })).status).toBe(403);

    // They write in it, under their account's name.
    await openRoom(yann.page, origin, mine, 'log');
    await waitLive(yann.page);
    await postEntry(yann.page, 'Standard basculé sur les lignes de secours');
    await yann.page.waitForSelector('[data-testid="connection"][data-pending="0"]');
    expect((await getIncidentState(server.url, mine)).log.map((e) => [e.author, e.text])).toEqual([['Dr Yann Kerouac', 'Standard basculé sur les lignes de secours']]);

    // Demoted to observer: the room becomes read only.
    await row.getByTestId('member-role').selectOption('observer');
    await admin.page.locator('[data-testid="member"][data-role="observer"]', { hasText: 'Dr Yann Kerouac' }).waitFor();
    await yann.page.reload();
    await yann.page.getByTestId('read-only').waitFor();
    expect(await yann.page.getByTestId('quick-entry').count()).toBe(0);

    // Removed: the open socket is closed and the incident leaves the page.
    await row.getByTestId('member-remove').click();
    await row.waitFor({ state: 'detached' });
    await yann.page.getByTestId('not-member').waitFor();
    expect(await yann.page.locator('[data-testid="log-entry"]').count()).toBe(0);
    await expectClean(admin);
    await expectClean(yann);
  });

  test('logout returns to the login page, closes the socket and ends the session on the server', async () => {
    const server = await serve();
    const id = await createIncident(server.url);
    const alice = await person(server, 'Alice Martin');
    await openRoom(alice.page, server.url, id, 'log');
    await waitLive(alice.page);
    await postEntry(alice.page, 'Avant de partir');
    await alice.page.waitForSelector('[data-testid="connection"][data-pending="0"]');
    expect(socketsOf(server, alice.user.id)).toBe(1);

    await alice.page.locator('a.back').click();
    await alice.page.getByTestId('logout').click();
    await alice.page.getByTestId('login-page').waitFor();
    expect(await alice.page.getByRole('status').first().textContent()).toBe('Vous êtes déconnecté.');
    await until(() => socketsOf(server, alice.user.id) === 0, 'the socket to close');
    expect(await alice.context.cookies()).toEqual([]);
    expect((await api(server.url, '/api/auth/me', { cookie: alice.cookie })).status).toBe(401);

    // A reload stays out, and this browser keeps no trace of who was here or of the incident list.
    await alice.page.reload();
    await alice.page.getByTestId('login-page').waitFor();
    expect(await alice.page.evaluate(() => Object.keys(localStorage).filter((k) => k === 'crisis.me' || k.startsWith('crisis.incidents')))).toEqual([]);
    expect(socketsOf(server, alice.user.id)).toBe(0);
    await expectClean(alice);
  });

  test('second factor: turned on from the account page, then asked for at login after the password', async () => {
    const server = await serve();
    const anne = await createUser(server.url, 'Dr Anne Martin');
    const w = await stranger();
    await signIn(w, server.url, anne.email);
    await w.page.goto(`${server.url}/#/account`);
    await w.page.getByRole('button', { name: 'Activer le second facteur' }).click();
    const secret = (await w.page.getByTestId('totp-secret').inputValue()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const step = totpStep(new Date());
    await w.page.locator('#totp-code').fill(totpCode(secret, step - 1));
    await w.page.getByRole('button', { name: 'Confirmer et activer' }).click();
    await w.page.getByText('Activé', { exact: true }).waitFor();

    await w.page.getByTestId('logout').click();
    await w.page.getByTestId('login-page').waitFor();
    await loginThroughPage(w.page, anne.email, TEST_PASSWORD);
    // The password was right: the code field appears, focused.
    await expect(w.page.locator('#login-totp')).toBeFocusedSoon();
    expect(await w.page.getByTestId('me').count()).toBe(0);
    await w.page.locator('#login-totp').fill(totpCode(secret, step + 5));
    await w.page.locator('#login-totp').press('Enter');
    await w.page.getByTestId('form-error').waitFor();
    expect(await w.page.getByTestId('form-error').textContent()).toBe('Code incorrect ou déjà utilisé\u202F: attendez le suivant.');
    expect(await w.page.getByTestId('me').count()).toBe(0);
    await w.page.locator('#login-totp').fill(totpCode(secret, totpStep(new Date())));
    await w.page.locator('#login-totp').press('Enter');
    await w.page.getByTestId('me').waitFor();
    expect(await w.page.getByTestId('me').textContent()).toBe('Dr Anne Martin');
    await expectClean(w);
  });

  test('first start without ADMIN_PASSWORD: the set-up link from the log creates the administrator, logged in at once', async () => {
    const server = await startTestServer({ webRoot: webRoot(), adminEmail: undefined, adminPassword: undefined });
    const link = server.setupUrl ?? '';
    const match = /^(http:\/\/[^/]+)\/setup#token=([A-Za-z0-9_-]{43})$/.exec(link);
    expect(match).not.toBeNull();
    const [, origin, token] = match as unknown as [string, string, string];
    const w = await stranger();
    // Without the link, the page says where to find it.
    await w.page.goto(`${origin}/`);
    await w.page.getByTestId('setup-required').waitFor();

    await w.page.goto(link);
    await w.page.getByTestId('setup-page').waitFor();
    await w.page.locator('#setup-name').fill('Cellule de crise du CHU');
    await w.page.locator('#setup-email').fill('cellule@chu.test');
    await w.page.locator('#new-password').fill('trop court');
    await w.page.locator('#confirm-password').fill('trop court');
    await w.page.locator('#confirm-password').press('Enter');
    expect(await w.page.getByTestId('form-error').textContent()).toBe('Le mot de passe doit faire au moins 12 caractères.');
    await w.page.locator('#new-password').fill('une phrase de passe pour la cellule');
    await w.page.locator('#confirm-password').fill('une phrase de passe pour la cellule');
    await w.page.locator('#confirm-password').press('Enter');
    await w.page.getByTestId('me').waitFor();
    expect(await w.page.getByTestId('me').textContent()).toBe('Cellule de crise du CHU');
    expect(w.page.url()).toBe(`${origin}/#/`);
    await w.page.getByRole('link', { name: 'Administration' }).waitFor();
    // The link worked once.
    const again = await api(server.url, '/api/auth/setup', { body: { token, email: 'other@chu.test', password: 'another long passphrase', displayName: 'Other' } });
    expect(again.status).toBe(401);
    await expectClean(w);
  });
});
