import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PersonSchema } from '../model/common';
import { IncidentRoleSchema } from './roles';

/**
 * Bodies and replies of the authentication and membership REST API. See docs/SECURITY.md for
 * the flows (login, set-up link, invitations, API tokens, TOTP, members).
 */

/** Header a browser must send on every cookie-authenticated write (and on login): a cross-site form cannot set it. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'crisis-cell';

export const EmailSchema = z.string().trim().toLowerCase().max(254).email();
/** Long passphrases are welcome; the cap only bounds hashing work. */
export const NewPasswordSchema = z.string().min(12, 'at least 12 characters').max(256);
export const TotpCodeSchema = z.string().regex(/^\d{6}$/, 'six digits');
/** Secrets handed out in links and to scripts: base64url, 43 characters for 32 bytes. */
export const SecretSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'malformed token');

export const LoginBodySchema = z
  .object({
    email: EmailSchema,
    password: z.string().min(1).max(256),
    totp: TotpCodeSchema.optional(),
  })
  .strict();
export type LoginBody = z.input<typeof LoginBodySchema>;

/**
 * The name of an administrator created from ADMIN_EMAIL without ADMIN_NAME: a placeholder, which
 * the web client asks them to replace with their own at their first sign-in.
 */
export const DEFAULT_ADMIN_NAME = 'Administrator';

export const SetupBodySchema = z
  .object({
    token: SecretSchema,
    email: EmailSchema,
    password: NewPasswordSchema,
    displayName: PersonSchema,
  })
  .strict();

export const InviteCreateBodySchema = z
  .object({
    email: EmailSchema,
    displayName: PersonSchema.optional(),
    /** Whether the invited user becomes an administrator (accounts, invitations). */
    admin: z.boolean().default(false),
    /** Validity of the link; default INVITE_TTL_HOURS. */
    expiresInHours: z.number().int().min(1).max(24 * 14).optional(),
    /** The incident the person joins on accepting, with this role (invited from its Members tab). */
    incident: z.object({ id: IdSchema, role: IncidentRoleSchema }).strict().optional(),
  })
  .strict();

/** A pending invitation, as `GET /api/invitations` lists it (administrators). `id` names it for `DELETE /api/invitations/:id`. */
export const InvitationViewSchema = z
  .object({
    id: z.string().regex(/^[0-9a-f]{64}$/),
    email: z.string(),
    displayName: z.string().nullable(),
    admin: z.boolean(),
    incident: z.object({ id: IdSchema, role: IncidentRoleSchema }).nullable(),
    createdBy: z.string().nullable(),
    createdAt: IsoTimeSchema,
    expiresAt: IsoTimeSchema,
  })
  .strict();
export type InvitationView = z.infer<typeof InvitationViewSchema>;
export const InvitationIdSchema = InvitationViewSchema.shape.id;

export const InviteAcceptBodySchema = z
  .object({
    token: SecretSchema,
    password: NewPasswordSchema,
    displayName: PersonSchema.optional(),
  })
  .strict();

export const TokenCreateBodySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
  })
  .strict();

export const TotpCodeBodySchema = z.object({ code: TotpCodeSchema }).strict();

export const MemberBodySchema = z.object({ role: IncidentRoleSchema }).strict();

export const UserUpdateBodySchema = z.object({ disabled: z.boolean().optional(), admin: z.boolean().optional() }).strict();

export const UserViewSchema = z.object({
  id: IdSchema,
  email: z.string(),
  displayName: PersonSchema,
  admin: z.boolean(),
  disabled: z.boolean(),
  totpEnabled: z.boolean(),
});
export type UserView = z.infer<typeof UserViewSchema>;

/** What a user who is not an administrator learns of an account (a member of one of their incidents): id and name. */
export const PersonViewSchema = z.object({ id: IdSchema, displayName: PersonSchema });
export type PersonView = z.infer<typeof PersonViewSchema>;

/** GET /api/users: every account for an administrator, the people of the caller's incidents otherwise. */
export const UsersReplySchema = z.object({ users: z.array(z.union([UserViewSchema, PersonViewSchema])) });

export const MeReplySchema = z.object({ user: UserViewSchema, via: z.enum(['session', 'token']), expiresAt: IsoTimeSchema.nullable() });
export type MeReply = z.infer<typeof MeReplySchema>;

export const MemberViewSchema = z.object({
  userId: IdSchema,
  email: z.string(),
  displayName: PersonSchema,
  role: IncidentRoleSchema,
  grantedBy: z.string().nullable(),
  grantedAt: IsoTimeSchema,
});
export type MemberView = z.infer<typeof MemberViewSchema>;

export const TokenViewSchema = z.object({
  id: IdSchema,
  name: z.string(),
  createdAt: IsoTimeSchema,
  expiresAt: IsoTimeSchema.nullable(),
  revokedAt: IsoTimeSchema.nullable(),
  lastUsedAt: IsoTimeSchema.nullable(),
});
export type TokenView = z.infer<typeof TokenViewSchema>;

export const AuditViewSchema = z.object({
  id: z.number().int(),
  at: IsoTimeSchema,
  actor: z.string().nullable(),
  action: z.string(),
  incidentId: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.unknown()).nullable(),
});
export type AuditView = z.infer<typeof AuditViewSchema>;

export const AuditQuerySchema = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
