import { z } from 'zod';
import type { DocPart } from '../model/parts';

/**
 * Roles a user holds in one incident. A director manages members and roles and closes the
 * incident; a member writes the log, the task board and decisions; an observer (management)
 * reads and is shown as present, but never writes. In an exercise only (issue 17; refused on a
 * real incident, NOT_AN_EXERCISE): an animator runs the exercise clock and its injects, an
 * evaluator records observations; both read the chronogram, which players never see.
 */
export const INCIDENT_ROLES = ['director', 'member', 'observer', 'animator', 'evaluator'] as const;
/** The roles an exercise alone may grant. */
export const EXERCISE_ROLES = ['animator', 'evaluator'] as const satisfies readonly IncidentRole[];
export function isExerciseRole(role: IncidentRole): boolean {
  return (EXERCISE_ROLES as readonly IncidentRole[]).includes(role);
}
export const IncidentRoleSchema = z.enum(INCIDENT_ROLES);
export type IncidentRole = z.infer<typeof IncidentRoleSchema>;

/** What a role may do. The server decides with this table; the client only uses it to grey out buttons. */
export const ROLE_ALLOWS = {
  /** Join the documents, read REST state, send presence. */
  read: ['director', 'member', 'observer', 'animator', 'evaluator'],
  /** Send Yjs updates to the log, tasks and decisions; post to the log over REST. */
  write: ['director', 'member'],
  /** Write the incident's metadata (title, severity, status: closing it). */
  writeMeta: ['director'],
  /** Add, change and remove members; read the incident's audit trail. */
  manage: ['director'],
  /**
   * Approve, reject, supersede or revoke a decision (members propose). An incident's director may
   * extend it to members (meta `membersMayApprove`): server/policy/decisionAuthority.ts.
   */
  decide: ['director'],
  /** Start, pause, resume and pace the exercise clock; fire, skip or improvise an inject. */
  animate: ['animator'],
  /** Read the chronogram, the expected reactions and the observations of an exercise. */
  readExercise: ['animator', 'evaluator'],
  /** Record an observation on the exercise. */
  observe: ['animator', 'evaluator'],
} as const satisfies Record<string, readonly IncidentRole[]>;
export type IncidentAction = keyof typeof ROLE_ALLOWS;

export function roleAllows(role: IncidentRole | null, action: IncidentAction): boolean {
  return role !== null && (ROLE_ALLOWS[action] as readonly IncidentRole[]).includes(role);
}

/** The action a Yjs update to a part needs: the metadata (title, status: closing) is the director's. */
export function writeActionFor(part: DocPart): IncidentAction {
  return part === 'meta' ? 'writeMeta' : 'write';
}
