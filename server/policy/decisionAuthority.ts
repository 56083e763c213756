import { type IncidentRole, roleAllows } from '../../shared/auth/roles';

/**
 * Who decides: a member proposes; a director approves, rejects, supersedes or revokes. An
 * incident may let its members decide too (meta `membersMayApprove`, set by a director).
 * Observers never write at all (roles.ts), so they never reach this. What a sender who may not
 * decide can still write is the decisions part's rule (server/parts/decisions/authority.ts).
 */
export function mayDecide(role: IncidentRole | null, membersMayApprove: boolean): boolean {
  return roleAllows(role, 'decide') || (role === 'member' && membersMayApprove);
}
