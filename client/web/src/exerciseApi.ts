import { z } from 'zod';
import {
  type ExerciseInject,
  ExerciseInjectSchema,
  type ExercisePublic,
  ExercisePublicSchema,
  ExerciseStateSchema,
  type ImprovisedInject,
  type Observation,
  ObservationSchema,
} from '../../../shared/exercise/exerciseState';
import { type IncidentMeta, IncidentMetaSchema } from '../../../shared/model/incident';
import { type ScenarioSummary, ScenarioListSchema } from '../../../shared/exercise/scenario';
import type { TemplateLanguage } from '../../../shared/templates/incidentTemplate';
import { OfflineError, request } from './http';

/**
 * The exercise's REST calls (issue 17), every reply parsed with the shared schemas. The
 * animators' and evaluators' state (chronogram, expected reactions, observations) is never in a
 * document players join: it comes from here only, and the server refuses it to players.
 */
const base = (incidentId: string) => `/api/incidents/${encodeURIComponent(incidentId)}/exercise`;

export const ExerciseViewSchema = ExerciseStateSchema.extend({ exerciseSeconds: z.number().min(0) });
export type ExerciseView = z.infer<typeof ExerciseViewSchema>;

/** The clock and who holds which functional role: every member reads it. */
export function getPublicExercise(incidentId: string): Promise<ExercisePublic> {
  return request(`${base(incidentId)}/public`, ExercisePublicSchema);
}

/** The whole state: animators and evaluators only. */
export function getExercise(incidentId: string): Promise<ExerciseView> {
  return request(base(incidentId), ExerciseViewSchema);
}

export type ClockMove = 'start' | 'pause' | 'resume';

export function moveClock(incidentId: string, move: ClockMove): Promise<unknown> {
  return request(`${base(incidentId)}/${move}`, ExerciseStateSchema, { method: 'POST', body: {} });
}

export function setSpeed(incidentId: string, factor: number): Promise<unknown> {
  return request(`${base(incidentId)}/speed`, ExerciseStateSchema, { method: 'PUT', body: { factor } });
}

export function fireInject(incidentId: string, injectId: string): Promise<ExerciseInject> {
  return request(`${base(incidentId)}/injects/${encodeURIComponent(injectId)}/fire`, ExerciseInjectSchema, { method: 'POST' });
}

export function skipInject(incidentId: string, injectId: string): Promise<ExerciseInject> {
  return request(`${base(incidentId)}/injects/${encodeURIComponent(injectId)}/skip`, ExerciseInjectSchema, { method: 'POST' });
}

export function improviseInject(incidentId: string, input: ImprovisedInject): Promise<ExerciseInject> {
  return request(`${base(incidentId)}/injects`, ExerciseInjectSchema, { method: 'POST', body: input });
}

export function setRoleHolders(incidentId: string, roleId: string, userIds: string[]): Promise<ExercisePublic> {
  return request(`${base(incidentId)}/roles/${encodeURIComponent(roleId)}`, ExercisePublicSchema, { method: 'PUT', body: { userIds } });
}

export function recordObservation(incidentId: string, input: { text: string; injectId: string | null }): Promise<Observation> {
  return request(`${base(incidentId)}/observations`, ObservationSchema, { method: 'POST', body: input });
}

/** The server's exercise scenarios (summaries: never an inject); none when it cannot be reached. */
export async function listScenarios(): Promise<ScenarioSummary[]> {
  try {
    return (await request('/api/scenarios', ScenarioListSchema)).scenarios;
  } catch (err) {
    if (err instanceof OfflineError) return [];
    throw err;
  }
}

/** Creates an exercise from a scenario, in its language; the server makes the caller its director. */
export function createExercise(input: { title: string; scenario: string; language: TemplateLanguage }): Promise<IncidentMeta> {
  return request('/api/incidents', IncidentMetaSchema, { method: 'POST', body: input });
}
