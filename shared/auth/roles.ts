import { z } from 'zod';
import type { DocPart } from '../model/parts';

/**
 * Roles a user holds in one incident. A director manages members and roles and closes the
 * incident; a member writes the log, the task board and decisions; an observer (management)
 * reads and is shown as present, but never writes.
 */
export const INCIDENT_ROLES = ['director', 'member', 'observer'] as const;
export const IncidentRoleSchema = z.enum(INCIDENT_ROLES);
export type IncidentRole = z.infer<typeof IncidentRoleSchema>;

/** What a role may do. The server decides with this table; the client only uses it to grey out buttons. */
export const ROLE_ALLOWS = {
  /** Join the documents, read REST state, send presence. */
  read: ['director', 'member', 'observer'],
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
} as const satisfies Record<string, readonly IncidentRole[]>;
export type IncidentAction = keyof typeof ROLE_ALLOWS;

export function roleAllows(role: IncidentRole | null, action: IncidentAction): boolean {
  return role !== null && (ROLE_ALLOWS[action] as readonly IncidentRole[]).includes(role);
}

/** The action a Yjs update to a part needs: the metadata (title, status: closing) is the director's. */
export function writeActionFor(part: DocPart): IncidentAction {
  return part === 'meta' ? 'writeMeta' : 'write';
}
