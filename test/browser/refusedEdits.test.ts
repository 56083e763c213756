import * as Y from 'yjs';
import type { Browser, Page } from 'playwright-core';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { docName } from '../../shared/model/parts';
import type { RunningServer } from '../../server/createServer';
import { connectClient, createIncident, onTeardown, startTestServer } from '../helpers/testServer';
import { TestUser, adminToken, api, createUser, setRole, testUser } from '../helpers/accounts';
import { getIncidentState } from '../helpers/sessions';
import { Watched, browserSuite, closeSuiteBrowser, entryLocator, expectClean, openContext, openRoom, openSuiteBrowser, poll, postEntry, signIn, waitLive } from './harness';

jest.setTimeout(120_000);

let webRoot = '';
let browser: Browser;

interface Person extends Watched {
  user: TestUser;
}

async function personOf(server: RunningServer, user: TestUser): Promise<Person> {
  const w = await openContext(browser);
  onTeardown(() => w.context.close().catch(() => undefined));
  await signIn(w, server.url, user.email);
  return { ...w, user };
}

interface AuditRow {
  id: number;
  action: string;
  actor: string | null;
  detail: Record<string, unknown> | null;
}

async function auditRows(url: string): Promise<AuditRow[]> {
  const reply = await api<{ events: AuditRow[] }>(url, '/api/audit?limit=1000', { token: await adminToken(url) });
  expect(reply.status).toBe(200);
  return reply.body.events;
}

/**
 * The audit trail up to now: an audited act made after everything else (a new account) is
 * awaited there, so that rows written before it (in batches) are in too.
 */
async function auditUpToNow(url: string): Promise<AuditRow[]> {
  const marker = await createUser(url, `Repère ${Date.now()}`);
  return poll(
    () => auditRows(url),
    (rows) => rows.some((r) => JSON.stringify(r).includes(marker.id)),
    20_000,
  );
}

/** A log entry under someone else's name, made on a copy of the server's log: the server refuses it. */
async function forgedUpdate(server: RunningServer, incidentId: string, text: string): Promise<number[]> {
  const room = await server.rooms.get(docName(incidentId, 'log'));
  const replica = new Y.Doc();
  Y.applyUpdate(replica, room.read((doc) => Y.encodeStateAsUpdate(doc)));
  const before = Y.encodeStateVector(replica);
  new LogDoc(replica).append(buildLogEntry({ text }, 'Mallory', new Date()));
  return [...Y.encodeStateAsUpdate(replica, before)];
}

/** Adds an update to the browser's own copy of a document (y-indexeddb's store), as if made there. */
async function addToBrowserCopy(page: Page, dbName: string, update: number[]): Promise<void> {
  await page.evaluate(
    ({ name, bytes }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('updates', 'readwrite');
          tx.objectStore('updates').add(new Uint8Array(bytes));
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { name: dbName, bytes: update },
  );
}

browserSuite('refused edits and read-only screens', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });

  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test('a refused entry followed by three valid ones: the three land, the user sees the refusal with their text, a reload does not bring it back', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Panne du DPI');
    const alice = await personOf(server, await testUser(server.url, 'Alice Martin'));
    const bob = await personOf(server, await testUser(server.url, 'Bob Le Goff'));
    await openRoom(alice.page, server.url, id, 'log');
    await openRoom(bob.page, server.url, id, 'log');
    await Promise.all([waitLive(alice.page), waitLive(bob.page)]);
    await postEntry(alice.page, 'Première entrée');
    await entryLocator(bob.page, 'Première entrée').waitFor();

    // The browser's copy of the log holds an entry the server refuses (the case: kept in
    // IndexedDB, it used to block every later entry of this member).
    await alice.page.goto(`${server.url}/#/`);
    await addToBrowserCopy(alice.page, `crisis-cell:${alice.user.id}:${id}:log`, await forgedUpdate(server, id, 'Texte refusé, à reprendre'));
    await openRoom(alice.page, server.url, id, 'log');

    const notice = alice.page.getByTestId('refusal');
    await notice.waitFor();
    expect(await notice.getAttribute('data-code')).toBe('UPDATE_FORBIDDEN_AUTHOR');
    expect(await notice.textContent()).toContain('Votre entrée a été refusée');
    expect(await alice.page.getByTestId('refused-text').inputValue()).toBe('Texte refusé, à reprendre');
    // The text is back in the entry line, to be corrected and posted again.
    expect(await alice.page.getByTestId('quick-entry').inputValue()).toBe('Texte refusé, à reprendre');

    for (const text of ['Valide un', 'Valide deux', 'Valide trois']) await postEntry(alice.page, text);
    for (const text of ['Valide un', 'Valide deux', 'Valide trois']) await entryLocator(bob.page, text).waitFor();
    const state = await poll(
      () => getIncidentState(server.url, id),
      (s) => s.log.length === 4,
    );
    expect(state.log.map((e) => e.text)).toEqual(['Première entrée', 'Valide un', 'Valide deux', 'Valide trois']);
    await poll(
      () => alice.page.locator('[data-testid="connection"]').getAttribute('data-pending'),
      (v) => v === null || v === '0',
    );
    expect(await entryLocator(alice.page, 'Texte refusé').count()).toBe(0);

    // A reload starts from the browser's copy, which no longer has it: no new refusal.
    await alice.page.reload();
    await waitLive(alice.page);
    await postEntry(alice.page, 'Après rechargement');
    await entryLocator(bob.page, 'Après rechargement').waitFor();
    expect(await entryLocator(alice.page, 'Texte refusé').count()).toBe(0);
    expect(await alice.page.getByTestId('refusal').count()).toBe(0);
    const refused = (await auditUpToNow(server.url)).filter((r) => r.action === 'update.refused' && r.actor === alice.user.id);
    expect(refused).toHaveLength(1);
    await expectClean(alice);
  });

  test('an observer who browses every tab, and the management view, cause no refused write in the audit trail', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Cyberattaque');
    // Records whose fields were overwritten (moves, status changes, edits): every copy of them holds deletions.
    const alice = await connectClient(server.url, 'Alice').openIncident(id);
    await alice.whenSynced();
    alice.appendLog({ text: 'Alerte' });
    const task = alice.createTask({ title: 'Isoler le réseau' });
    alice.moveTask(task.id, 'in_progress');
    alice.assignTask(task.id, 'Alice');
    const decision = alice.recordDecision({ title: 'Couper Internet', statement: 'Tout couper' });
    alice.setDecisionStatus(decision.id, 'approved');
    const report = alice.createReport({ windowFrom: new Date(Date.now() - 3_600_000).toISOString(), windowTo: new Date().toISOString() });
    alice.setReportSection(report.id, 'conditions', 'Première version');
    alice.setReportSection(report.id, 'conditions', 'Seconde version');
    alice.publishReport(report.id);
    const draft = alice.createDraft({ kind: 'cnil_initial' });
    alice.updateDraft(draft.id, { description: 'Fuite' });
    alice.updateDraft(draft.id, { description: 'Fuite de données' });
    await alice.whenAcknowledged();
    for (const breachAwareAt of [new Date(Date.now() - 7_200_000), new Date(Date.now() - 3_600_000)]) {
      const reply = await api(server.url, `/api/incidents/${id}/regulatory/clocks`, { method: 'PUT', token: await adminToken(server.url), body: { breachAwareAt: breachAwareAt.toISOString() } });
      expect(reply.status).toBe(200);
    }

    const user = await createUser(server.url, 'Directrice générale');
    expect((await setRole(server.url, id, user.id, 'observer')).status).toBe(200);
    const dg = await personOf(server, user);
    await openRoom(dg.page, server.url, id, 'log');
    await waitLive(dg.page);
    await dg.page.getByTestId('read-only').waitFor();
    for (const tab of ['tasks', 'decisions', 'reports', 'regulatory', 'timeline', 'members', 'log']) {
      await dg.page.getByTestId(`tab-${tab}`).click();
      await dg.page.locator(`[data-testid="tab-${tab}"][aria-selected="true"]`).waitFor();
    }
    // A reload joins again from the browser's copy, which has everything.
    await dg.page.reload();
    await waitLive(dg.page);
    await openRoom(dg.page, server.url, id, 'management');
    await waitLive(dg.page);

    // A member's wall screen sends nothing either.
    const member = await personOf(server, await testUser(server.url, 'Bob Le Goff'));
    await openRoom(member.page, server.url, id, 'management');
    await waitLive(member.page);

    const rows = await auditUpToNow(server.url);
    expect(rows.filter((r) => r.action === 'join' && r.actor === user.id).length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.action === 'update.refused')).toEqual([]);
    await expectClean(dg);
  });
});
