import { adminToken, api } from '../helpers/accounts';
import { documents, type SecurityCtx } from './securityHelpers';

/** Lines of an export that say when it was produced (they change with every request). */
const VOLATILE = /produced|produit|période|period|#range|"to":|^\s*$/i;

async function exportText(ctx: Pick<SecurityCtx, 'url' | 'id'>, format: string, token: string): Promise<string> {
  const res = await fetch(`${ctx.url}/api/incidents/${ctx.id}/timeline?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`export ${format}: ${res.status} ${await res.text()}`);
  return (await res.text())
    .split('\n')
    .filter((line) => !VOLATILE.test(line))
    .join('\n');
}

/**
 * Everything a record can end up in: each part's document (content, state vector, journal head),
 * the incident list, the REST state, and the JSON, CSV and Markdown exports (minus their time of
 * production). Two snapshots are equal when a refused request changed nothing anyone can see.
 */
export async function evidenceSnapshot(ctx: Pick<SecurityCtx, 'server' | 'url' | 'id'>): Promise<Record<string, unknown>> {
  const token = await adminToken(ctx.url);
  const list = await api<unknown>(ctx.url, '/api/incidents', { token });
  const state = await api<unknown>(ctx.url, `/api/incidents/${ctx.id}`, { token });
  return {
    documents: await documents(ctx),
    list: list.body,
    state: state.body,
    json: await exportText(ctx, 'json', token),
    csv: await exportText(ctx, 'csv', token),
    markdown: await exportText(ctx, 'md', token),
  };
}
