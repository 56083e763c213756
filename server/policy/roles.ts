/** The server's view of the shared role table (shared/auth/roles.ts): one import place for policy code. */
export { IncidentRoleSchema, roleAllows as roleAllowsAction } from '../../shared/auth/roles';
export type { IncidentAction, IncidentRole } from '../../shared/auth/roles';
export { MemberBodySchema } from '../../shared/auth/schemas';

import type { DocPart } from '../../shared/model/parts';
import type { IncidentAction } from '../../shared/auth/roles';

/** The action a Yjs update to a part needs: the metadata (title, status: closing) is the director's. */
export function writeActionFor(part: DocPart): IncidentAction {
  return part === 'meta' ? 'writeMeta' : 'write';
}
