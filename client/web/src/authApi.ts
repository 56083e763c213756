import { z } from 'zod';
import {
  AuditViewSchema,
  InvitationViewSchema,
  MeReplySchema,
  MemberViewSchema,
  TokenViewSchema,
  UserViewSchema,
  UsersReplySchema,
} from '../../../shared/auth/schemas';
import type { AuditView, InvitationView, MeReply, MemberView, PersonView, TokenView, UserView } from '../../../shared/auth/schemas';
import type { IncidentRole } from '../../../shared/auth/roles';
import { request } from './http';

/** The REST calls of accounts, sessions, tokens, members and the audit trail (docs/SECURITY.md). */

export const getAuthStatus = () => request('/api/auth/status', z.object({ setupRequired: z.boolean() }), { sessionBound: false });

export const getMe = (): Promise<MeReply> => request('/api/auth/me', MeReplySchema, { sessionBound: false });

export const login = (body: { email: string; password: string; totp?: string }): Promise<MeReply> =>
  request('/api/auth/login', MeReplySchema, { method: 'POST', body, sessionBound: false });

export const logout = (): Promise<void> => request('/api/auth/logout', null, { method: 'POST', sessionBound: false });

export const setupAdmin = (body: { token: string; email: string; password: string; displayName: string }): Promise<MeReply> =>
  request('/api/auth/setup', MeReplySchema, { method: 'POST', body, sessionBound: false });

/** Renames the caller (unique in the deployment: NAME_TAKEN otherwise). */
export const renameMe = (displayName: string): Promise<MeReply> => request('/api/auth/me', MeReplySchema, { method: 'PUT', body: { displayName } });

const InvitationSchema = z.object({ email: z.string(), displayName: z.string().nullable(), expiresAt: z.string() });
export type InvitationInfo = z.infer<typeof InvitationSchema>;

export const describeInvitation = (token: string): Promise<InvitationInfo> =>
  request('/api/invites/describe', InvitationSchema, { method: 'POST', body: { token }, sessionBound: false });

export const acceptInvitation = (body: { token: string; password: string; displayName?: string }): Promise<MeReply> =>
  request('/api/invites/accept', MeReplySchema, { method: 'POST', body, sessionBound: false });

const CreatedInviteSchema = z.object({ url: z.string(), token: z.string(), expiresAt: z.string() });
export type CreatedInvite = z.infer<typeof CreatedInviteSchema>;

export const createInvitation = (body: { email: string; displayName?: string; admin: boolean; expiresInHours?: number; incident?: { id: string; role: IncidentRole } }): Promise<CreatedInvite> =>
  request('/api/invites', CreatedInviteSchema, { method: 'POST', body });

/** Every account, for the administration page (administrators only). */
export const listUsers = (): Promise<UserView[]> => request('/api/users', z.object({ users: z.array(UserViewSchema) })).then((r) => r.users);

/** The people the caller may name: every account for an administrator, the members of their incidents otherwise (id and name). */
export const listPeople = (): Promise<Array<PersonView & { disabled?: boolean; email?: string }>> => request('/api/users', UsersReplySchema).then((r) => r.users);

export const updateUser = (id: string, patch: { disabled?: boolean; admin?: boolean }): Promise<UserView> =>
  request(`/api/users/${encodeURIComponent(id)}`, UserViewSchema, { method: 'PATCH', body: patch });

export const listTokens = (): Promise<TokenView[]> => request('/api/auth/tokens', z.object({ tokens: z.array(TokenViewSchema) })).then((r) => r.tokens);

const CreatedTokenSchema = TokenViewSchema.extend({ token: z.string() });
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;

export const createToken = (body: { name: string; expiresInDays: number | null }): Promise<CreatedToken> =>
  request('/api/auth/tokens', CreatedTokenSchema, { method: 'POST', body });

export const revokeToken = (id: string): Promise<void> => request(`/api/auth/tokens/${encodeURIComponent(id)}`, null, { method: 'DELETE' });

export const beginTotp = () => request('/api/auth/totp/setup', z.object({ secret: z.string(), otpauthUrl: z.string() }), { method: 'POST' });
export const enableTotp = (code: string): Promise<void> => request('/api/auth/totp/enable', null, { method: 'POST', body: { code } });
export const disableTotp = (code: string): Promise<void> => request('/api/auth/totp/disable', null, { method: 'POST', body: { code } });

const membersPath = (incidentId: string, userId?: string) =>
  `/api/incidents/${encodeURIComponent(incidentId)}/members${userId ? `/${encodeURIComponent(userId)}` : ''}`;

export const listMembers = (incidentId: string): Promise<MemberView[]> =>
  request(membersPath(incidentId), z.object({ members: z.array(MemberViewSchema) })).then((r) => r.members);

export const setMember = (incidentId: string, userId: string, role: IncidentRole): Promise<MemberView> =>
  request(membersPath(incidentId, userId), MemberViewSchema, { method: 'PUT', body: { role } });

export const removeMember = (incidentId: string, userId: string): Promise<void> => request(membersPath(incidentId, userId), null, { method: 'DELETE' });

const AuditPageSchema = z.object({ events: z.array(AuditViewSchema) });

/** One page of the audit trail, oldest first, after the event id `after`: an incident's (directors) or the whole one (administrators). */
export const listAudit = (scope: { incidentId: string } | 'all', after: number, limit: number): Promise<AuditView[]> => {
  const base = scope === 'all' ? '/api/audit' : `/api/incidents/${encodeURIComponent(scope.incidentId)}/audit`;
  return request(`${base}?after=${after}&limit=${limit}`, AuditPageSchema).then((r) => r.events);
};

/** Pending invitations (administrators; FORBIDDEN for anyone else). */
export const listInvitations = (): Promise<InvitationView[]> => request('/api/invitations', z.object({ invitations: z.array(InvitationViewSchema) })).then((r) => r.invitations);

export const revokeInvitation = (id: string): Promise<void> => request(`/api/invitations/${encodeURIComponent(id)}`, null, { method: 'DELETE' });
