import type { ExerciseState } from '../../shared/exercise/exerciseState';
import type { LogEntry } from '../../shared/model/log';
import type { IncidentSession } from '../../client/sdk/incidentSession';
import { api, adminToken, setRole, testUser } from '../helpers/accounts';
import { connectClient, waitFor } from '../helpers/testServer';
import { sessionChanges } from '../helpers/sessions';

export type ExerciseView = ExerciseState & { exerciseSeconds: number };

/** An exercise from `scenario` with a player (member), an animator and an evaluator. */
export async function exerciseWorld(url: string, scenario = 'hospital-ransomware') {
  const admin = await adminToken(url);
  const created = await api<{ id: string; exercise: boolean }>(url, '/api/incidents', { token: admin, body: { title: 'Exercice CaRE', scenario, language: 'fr' } });
  if (created.status !== 201) throw new Error(`exercise not created: ${JSON.stringify(created.body)}`);
  const id = created.body.id;
  // testUser: the helpers' accounts, so connectClient(url, name) signs in as the same person.
  const [player, animator, evaluator] = await Promise.all([testUser(url, 'Joueuse'), testUser(url, 'Animateur'), testUser(url, 'Évaluatrice')]);
  for (const [user, role] of [[player, 'member'], [animator, 'animator'], [evaluator, 'evaluator']] as const) {
    const reply = await setRole(url, id, user.id, role);
    if (reply.status !== 200) throw new Error(`role ${role} not given: ${JSON.stringify(reply.body)}`);
  }
  /** The animator's REST calls on this exercise. */
  const animate = <T = ExerciseView>(path: string, body: unknown = {}, method = 'POST') => api<T>(url, `/api/incidents/${id}/exercise${path}`, { token: animator.token, method, body });
  const view = async () => (await api<ExerciseView>(url, `/api/incidents/${id}/exercise`, { token: animator.token })).body;
  return { id, admin, player, animator, evaluator, animate, view };
}

/** The player's live session on the exercise (the SDK over a socket, as the browser uses). */
export async function playerSession(url: string, id: string): Promise<IncidentSession> {
  const session = await connectClient(url, 'Joueuse').openIncident(id);
  await session.whenSynced();
  return session;
}

export function injectEntries(session: IncidentSession): LogEntry[] {
  return session.log.entries().filter((e) => e.inject !== undefined);
}

/** Resolves once the player's log holds the inject `injectId`. */
export async function waitForInject(session: IncidentSession, injectId: string, timeoutMs = 60_000): Promise<LogEntry> {
  const find = () => injectEntries(session).find((e) => e.inject!.id === injectId);
  await waitFor(() => find() !== undefined, sessionChanges(session), `inject ${injectId} in the player's log`, timeoutMs);
  return find()!;
}
