import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { adminToken, api } from '../helpers/accounts';
import { entryLocator, expectClean, openRoom, signIn, waitLive } from './harness';
import { seedDecision, seedLog, seedTask } from './seed';
import { roomSuite } from './roomSuite';

/** The pictures of docs/screenshots, taken of a realistic incident (UPDATE_SCREENSHOTS=1 refreshes the committed ones). */

jest.setTimeout(120_000);

roomSuite('browser client: screenshots', ({ serve, stranger, withRole }) => {
  test('screenshots of a realistic incident (docs/screenshots)', async () => {
    const server = await serve();
    const detected = new Date(Date.now() - (5 * 60 + 32) * 60_000);
    const created = await api<{ id: string }>(server.url, '/api/incidents', {
      token: await adminToken(server.url),
      body: { title: 'Cyberattaque — rançongiciel sur le SI du CHU', detectedAt: detected.toISOString(), severity: 'critical' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const at = (minutesAfter: number) => new Date(detected.getTime() + minutesAfter * 60_000);
    const entries = await seedLog(server, id, [
      { at: at(2), author: 'Cédric Le Goff (DSI)', input: { text: 'Chiffrement en cours sur les serveurs de fichiers et le PACS ; message de rançon affiché sur plusieurs postes.', category: 'alert', severity: 'critical', source: 'Supervision DSI', key: true, eventAt: at(-8).toISOString() } },
      { at: at(6), author: 'Dr Anne Martin', input: { text: 'Cellule de crise activée en salle 2.14. Main courante ouverte.', category: 'action', severity: 'medium' } },
      { at: at(9), author: 'Cédric Le Goff (DSI)', input: { text: 'Coupure de l’accès internet et des interconnexions GHT pour contenir la propagation.', category: 'action', severity: 'high', source: 'DSI' } },
      { at: at(14), author: 'Sophie Bernard (cadre)', input: { text: 'Urgences : bascule en procédures dégradées papier, imprimantes locales OK.', category: 'information', severity: 'medium', source: 'Cadre des urgences' } },
      { at: at(21), author: 'Dr Anne Martin', input: { text: 'Appel à l’ARS Bretagne et au CERT Santé : déclaration d’incident faite.', category: 'communication', severity: 'medium', source: 'Direction' } },
      { at: at(33), author: 'Cédric Le Goff (DSI)', input: { text: 'Téléphonie IP hors service au bloc opératoire, bascule sur les DECT de secours.', category: 'alert', severity: 'high', source: 'Standard' } },
      { at: at(47), author: 'Sophie Bernard (cadre)', input: { text: 'Laboratoire : résultats transmis par coursier, délai moyen 45 min.', category: 'information', severity: 'low', source: 'Laboratoire' } },
      { at: at(61), author: 'Marc Rivière (direction)', input: { text: 'Plan blanc déclenché par le directeur de garde.', category: 'decision', severity: 'high', key: true } },
      { at: at(78), author: 'Dr Anne Martin', input: { text: 'Régulation SAMU : déprogrammation des transferts non urgents vers le CHU.', category: 'action', severity: 'medium', source: 'SAMU 35' } },
      { at: at(95), author: 'Cédric Le Goff (DSI)', input: { text: 'Sauvegardes hors ligne intactes (bandes du 12), restauration possible du DPI.', category: 'information', severity: 'medium', source: 'DSI', key: true } },
      { at: at(120), author: 'Marc Rivière (direction)', input: { text: 'Point presse à 10 h, éléments de langage validés avec l’ARS.', category: 'communication', severity: 'low', source: 'Communication' } },
      { at: at(151), author: 'Sophie Bernard (cadre)', input: { text: 'Pharmacie : dispensation nominative sur ordonnances papier pour tous les services.', category: 'information', severity: 'low', source: 'Pharmacie' } },
    ]);
    await seedLog(server, id, [
      { at: at(158), author: 'Sophie Bernard (cadre)', input: { text: 'Pharmacie : dispensation sur ordonnances papier, sauf réanimation (armoire sécurisée autonome).', category: 'information', severity: 'low', source: 'Pharmacie', amends: entries[11]! } },
      { at: at(172), author: 'Cédric Le Goff (DSI)', input: { text: 'Deux postes de la radiologie encore connectés au VLAN compromis : isolés physiquement.', category: 'alert', severity: 'high', source: 'DSI' } },
    ]);
    const soon = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
    await seedTask(server, id, { title: 'Isoler le VLAN imagerie', status: 'done', priority: 'urgent', assignee: 'Cédric Le Goff (DSI)', logLinks: [entries[0]!] }, 'Dr Anne Martin', at(10));
    await seedTask(server, id, { title: 'Restaurer le DPI depuis les sauvegardes hors ligne', status: 'in_progress', priority: 'urgent', assignee: 'Cédric Le Goff (DSI)', dueAt: soon(95), logLinks: [entries[9]!] }, 'Dr Anne Martin', at(96));
    await seedTask(server, id, { title: 'Recenser les postes chiffrés par service', status: 'in_progress', priority: 'high', assignee: 'Équipe DSI', dueAt: soon(-25) }, 'Cédric Le Goff (DSI)', at(30));
    await seedTask(server, id, { title: 'Rappeler les cadres de nuit', status: 'todo', priority: 'normal', assignee: 'Sophie Bernard (cadre)', dueAt: soon(40) }, 'Dr Anne Martin', at(62));
    await seedTask(server, id, { title: 'Préparer le point presse de 10 h', status: 'todo', priority: 'high', assignee: 'Marc Rivière (direction)', dueAt: soon(150), logLinks: [entries[10]!] }, 'Dr Anne Martin', at(121));
    await seedTask(server, id, { title: 'Obtenir le contrat d’assistance de l’éditeur du DPI', status: 'blocked', priority: 'normal', assignee: null, description: 'En attente du numéro d’astreinte' }, 'Marc Rivière (direction)', at(100));
    await seedTask(server, id, { title: 'Tester les DECT de secours au bloc', status: 'cancelled', priority: 'low' }, 'Dr Anne Martin', at(40));
    const cut = await seedDecision(server, id, { title: 'Couper l’accès internet et les interconnexions GHT', statement: 'Coupure immédiate de tous les flux sortants du CHU.', rationale: 'Chiffrement en cours, exfiltration possible.', status: 'approved' }, 'Dr Anne Martin', at(8));
    await seedDecision(server, id, { title: 'Déclencher le plan blanc', statement: 'Plan blanc niveau 2 : rappel du personnel, déprogrammation.', rationale: 'Urgences et bloc en mode dégradé pour plusieurs jours.', status: 'approved' }, 'Marc Rivière (direction)', at(60));
    await seedDecision(server, id, { title: 'Rétablir un accès internet filtré pour la messagerie sécurisée', statement: 'Seule la messagerie MSSanté via le proxy de secours.', rationale: 'Besoin d’échanger avec l’ARS et les laboratoires.', status: 'approved', supersedes: cut }, 'Dr Anne Martin', at(140));
    await seedDecision(server, id, { title: 'Payer la rançon', statement: 'Refus de principe.', rationale: 'Position nationale, sauvegardes intactes.', status: 'proposed' }, 'Cédric Le Goff (DSI)', at(90), [{ status: 'rejected', by: 'Marc Rivière (direction)', at: at(97), note: 'Doctrine nationale : aucun paiement' }]);

    // The committed pictures are refreshed on request (UPDATE_SCREENSHOTS=1); other runs write to a temp folder.
    const shots = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-shots-'));
    fs.mkdirSync(shots, { recursive: true });
    // The login page, as everyone first sees it.
    const visitor = await stranger();
    await visitor.page.goto(`${server.url}/`);
    await visitor.page.getByTestId('login-page').waitFor();
    await visitor.page.screenshot({ path: path.join(shots, 'login.png') });

    // The incident was made outside the helpers: give its people their roles.
    const sophie = await withRole(server, 'Sophie Bernard (cadre)', id, 'member');
    const cedric = await withRole(server, 'Cédric Le Goff (DSI)', id, 'member');
    await openRoom(sophie.page, server.url, id, 'tasks');
    await openRoom(cedric.page, server.url, id, 'decisions');
    const anne = await withRole(server, 'Dr Anne Martin', id, 'director', { viewport: { width: 1440, height: 900 } });
    await openRoom(anne.page, server.url, id, 'log');
    await waitLive(anne.page);
    await anne.page.locator('[data-testid="presence"] [data-view="tasks"]').waitFor();
    await anne.page.locator('[data-testid="presence"] [data-view="decisions"]').waitFor();
    await entryLocator(anne.page, 'Deux postes de la radiologie').waitFor();
    await anne.page.getByTestId('quick-entry').fill('#alerte !! @Standard ~07:40 Standard saturé, renfort de deux agents demandé');
    await anne.page.mouse.move(0, 0);
    // Transitions (the hover just left) are finished at once for the shot.
    await anne.page.screenshot({ path: path.join(shots, 'incident-room.png'), animations: 'disabled' });

    await anne.page.getByTestId('quick-entry').fill('');
    await anne.page.getByTestId('tab-tasks').click();
    await anne.page.locator('[data-testid="task-card"]').first().waitFor();
    await anne.page.mouse.move(0, 0);
    await anne.page.screenshot({ path: path.join(shots, 'tasks.png') });
    await anne.page.getByTestId('tab-decisions').click();
    await anne.page.locator('[data-testid="decision"]').first().waitFor();
    await anne.page.screenshot({ path: path.join(shots, 'decisions.png') });
    const night = await stranger({ colorScheme: 'dark' });
    await signIn(night, server.url, anne.user.email);
    await openRoom(night.page, server.url, id, 'log');
    await entryLocator(night.page, 'Deux postes de la radiologie').waitFor();
    await night.page.getByTestId('quick-entry').fill('#alerte !! @Standard Standard saturé, renfort de deux agents demandé');
    await night.page.screenshot({ path: path.join(shots, 'incident-room-dark.png') });
    const wall = await withRole(server, 'Direction générale', id, 'observer', { viewport: { width: 1920, height: 1080 } });
    await openRoom(wall.page, server.url, id, 'management');
    await waitLive(wall.page);
    await wall.page.locator('[data-testid="mgmt-decision"]').first().waitFor();
    await wall.page.screenshot({ path: path.join(shots, 'management.png') });
    for (const w of [visitor, anne, sophie, cedric, night, wall]) await expectClean(w);
  });
});
