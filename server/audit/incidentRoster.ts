import { z } from 'zod';
import type { AccountStore, AuditQuery, AuditRecord } from '../auth/accountStore';
import type { AudiencePerson, IncidentRoster } from '../export/anonymise';

const PAGE = 1_000;
const MemberDetail = z.object({ userId: z.string().min(1) });

/**
 * Everyone who is or was a member of an incident, for anonymised exports: current members in
 * the order they were granted their role (the creator first), then former members found in the
 * audit trail's membership entries (role null), so their names are also found in text.
 */
export function incidentRoster(accounts: AccountStore, listAudit: (q: AuditQuery) => Promise<AuditRecord[]>): IncidentRoster {
  return async (incidentId) => {
    const members = (await accounts.listMembers(incidentId)).sort((a, b) => a.grantedAt.getTime() - b.grantedAt.getTime());
    const ids: Array<{ id: string; role: AudiencePerson['role'] }> = members.map((m) => ({ id: m.userId, role: m.role }));
    const seen = new Set(ids.map((x) => x.id));
    for (let afterId = 0; ; ) {
      const page = await listAudit({ incidentId, afterId, limit: PAGE });
      for (const r of page) {
        if (r.action !== 'member.set' && r.action !== 'member.remove') continue;
        const detail = MemberDetail.safeParse(r.detail);
        if (detail.success && !seen.has(detail.data.userId)) {
          seen.add(detail.data.userId);
          ids.push({ id: detail.data.userId, role: null });
        }
      }
      if (page.length < PAGE) break;
      afterId = page[page.length - 1]!.id;
    }
    const users = await Promise.all(ids.map((x) => accounts.getUser(x.id)));
    const out: AudiencePerson[] = [];
    users.forEach((u, i) => {
      if (u) out.push({ id: u.id, name: u.displayName, email: u.email, role: ids[i]!.role });
    });
    return out;
  };
}
