/** The server's view of the shared role table (shared/auth/roles.ts): one import place for policy code. */
export { IncidentRoleSchema, roleAllows as roleAllowsAction, writeActionFor } from '../../shared/auth/roles';
export type { IncidentAction, IncidentRole } from '../../shared/auth/roles';
