import type { z } from 'zod';
import type { TokenCreateBodySchema, TokenView } from '../../shared/auth/schemas';
import { newId } from '../../shared/model/ids';
import { AppError } from '../errors';
import type { AccountStore, TokenRecord } from './accountStore';
import type { AuditSink } from './auditSink';
import type { Principal } from './principal';
import type { Revocations } from './revocations';
import { hashSecret, newSecret } from './secrets';
import { tokenView } from './views';

export type TokenInput = z.infer<typeof TokenCreateBodySchema>;

/** API tokens for scripts: made by their owner, shown once, revoked by the owner or an administrator. */
export class TokenService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly audit: AuditSink,
    private readonly revocations: Revocations,
  ) {}

  async createToken(principal: Principal, input: TokenInput, ip: string | null): Promise<{ token: string; view: TokenView }> {
    const now = new Date();
    const secret = newSecret();
    const record: TokenRecord = {
      id: newId(),
      userId: principal.user.id,
      name: input.name,
      hash: hashSecret(secret),
      createdAt: now,
      expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000),
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.accounts.createToken(record);
    this.audit.record({ actor: principal.user.id, action: 'token.create', ip, detail: { tokenId: record.id, name: record.name } });
    return { token: secret, view: tokenView(record) };
  }

  async listTokens(principal: Principal): Promise<TokenView[]> {
    return (await this.accounts.listTokens(principal.user.id)).map(tokenView);
  }

  /** Revokes one of the caller's tokens (an administrator may revoke anyone's). */
  async revokeToken(principal: Principal, id: string, ip: string | null): Promise<void> {
    const token = await this.accounts.getToken(id);
    if (!token || (token.userId !== principal.user.id && !principal.user.isAdmin)) throw new AppError('NOT_FOUND', `no token ${id}`);
    await this.accounts.revokeToken(id, new Date());
    this.audit.record({ actor: principal.user.id, action: 'token.revoke', ip, detail: { tokenId: id, owner: token.userId } });
    this.revocations.emit({ kind: 'credential', credential: id, code: 'TOKEN_REVOKED', reason: 'token revoked' });
  }
}
