import type { InvitationView, MemberView } from '../../shared/auth/schemas';
import { createIncident, startTestServer } from '../helpers/testServer';
import { TEST_PASSWORD, adminToken, api, testUser } from '../helpers/accounts';
import { poll } from '../browser/harness';

test('an invitation made for an incident grants its role on acceptance; pending invitations are listed and revocable by administrators only', async () => {
  const server = await startTestServer();
  const url = server.url;
  const admin = await adminToken(url);
  const id = await createIncident(url, 'Inondation sous-sol');
  const other = await createIncident(url, 'Panne téléphonie');

  // Bad input changes nothing: an unknown incident, a role that does not exist.
  expect((await api(url, '/api/invites', { token: admin, body: { email: 'x@chu.test', incident: { id: 'zzzzzzzzzzzz', role: 'member' } } })).status).toBe(404);
  expect((await api(url, '/api/invites', { token: admin, body: { email: 'x@chu.test', incident: { id, role: 'boss' } } })).status).toBe(400);

  const invite = await api<{ token: string; url: string }>(url, '/api/invites', { token: admin, body: { email: 'iris@chu.test', displayName: 'Iris Nguyen', incident: { id, role: 'observer' } } });
  expect(invite.status).toBe(201);
  const plain = await api<{ token: string }>(url, '/api/invites', { token: admin, body: { email: 'jules@chu.test' } });
  expect(plain.status).toBe(201);
  const toRevoke = await api<{ token: string }>(url, '/api/invites', { token: admin, body: { email: 'karim@chu.test', incident: { id: other, role: 'director' } } });
  expect(toRevoke.status).toBe(201);

  // Listed: who, into which incident with which role. Nobody but an administrator sees the list.
  const listed = await api<{ invitations: InvitationView[] }>(url, '/api/invitations', { token: admin });
  expect(listed.status).toBe(200);
  expect(listed.body.invitations.map((i) => [i.email, i.displayName, i.incident])).toEqual([
    ['iris@chu.test', 'Iris Nguyen', { id, role: 'observer' }],
    ['jules@chu.test', null, null],
    ['karim@chu.test', null, { id: other, role: 'director' }],
  ]);
  const member = await testUser(url, 'Alice Martin');
  expect((await api(url, '/api/invitations', { token: member.token })).status).toBe(403);
  const karim = listed.body.invitations.find((i) => i.email === 'karim@chu.test')!;
  expect((await api(url, `/api/invitations/${karim.id}`, { method: 'DELETE', token: member.token })).status).toBe(403);

  // Revoked: gone from the list, its link refused, a second revocation is NOT_FOUND.
  expect((await api(url, `/api/invitations/${karim.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
  expect((await api(url, `/api/invitations/${karim.id}`, { method: 'DELETE', token: admin })).status).toBe(404);
  expect((await api(url, `/api/invitations/not-an-id`, { method: 'DELETE', token: admin })).status).toBe(400);
  expect((await api(url, '/api/invites/accept', { body: { token: toRevoke.body.token, password: TEST_PASSWORD } })).status).toBe(401);

  // Accepted: a member of the incident at once, with the role chosen; no longer pending.
  const accepted = await api<{ user: { id: string } }>(url, '/api/invites/accept', { body: { token: invite.body.token, password: TEST_PASSWORD } });
  expect(accepted.status).toBe(200);
  const members = await api<{ members: MemberView[] }>(url, `/api/incidents/${id}/members`, { token: admin });
  expect(members.body.members.find((m) => m.userId === accepted.body.user.id)).toMatchObject({ displayName: 'Iris Nguyen', role: 'observer' });
  const otherMembers = await api<{ members: MemberView[] }>(url, `/api/incidents/${other}/members`, { token: admin });
  expect(otherMembers.body.members.some((m) => m.userId === accepted.body.user.id)).toBe(false);
  expect((await api<{ invitations: InvitationView[] }>(url, '/api/invitations', { token: admin })).body.invitations.map((i) => i.email)).toEqual(['jules@chu.test']);

  // The grant is in the incident's audit trail like a Members tab change.
  // (The audit trail is written in batches: read until the batch is in.)
  const granted = (events: Array<{ action: string; detail: Record<string, unknown> | null }>) => events.some((r) => r.action === 'member.set' && r.detail?.userId === accepted.body.user.id && r.detail?.role === 'observer');
  const trail = await poll(async () => (await api<{ events: Array<{ action: string; detail: Record<string, unknown> | null }> }>(url, `/api/incidents/${id}/audit`, { token: admin })).body.events, granted);
  expect(granted(trail)).toBe(true);
});
