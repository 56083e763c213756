import { z } from 'zod';
import type { TimelineEvent } from '../../shared/timeline/events';
import type { EventFilter } from '../../shared/timeline/filter';
import type { AuditQuery, AuditRecord } from '../auth/accountStore';
import type { TimelineSource } from '../timeline/sources';
import type { DescribeAuthors } from '../export/authorNames';

/** Audit entries read per query. */
const PAGE = 1_000;

/** The detail of `member.set` / `member.remove` entries, as server/policy/membershipService.ts writes it. */
const MemberDetailSchema = z.object({
  userId: z.string().min(1),
  role: z.string().optional(),
  /** The role before the change; absent for the creator's directorship (never a member before). */
  previous: z.string().nullable().optional(),
});

/**
 * Members joining, changing role and leaving, from the audit trail (the journal does not hold
 * memberships): `member.set` without a previous role is a join, with a different one a role
 * change; `member.remove` is a departure. Time is the audit's server time and the author the
 * director (or administrator) who made the change. Entries of an incident are few next to its
 * journal, so they are read whole, ordered by time (nodes of a cluster append concurrently)
 * and yielded as one batch.
 *
 * `listAudit` must see every entry recorded so far: the server passes its AuditLog's `list`,
 * which writes its buffer first; the CLI reads the table directly.
 */
export function membershipSource(listAudit: (q: AuditQuery) => Promise<AuditRecord[]>, describe?: DescribeAuthors): TimelineSource {
  return {
    name: 'membership audit',
    async *events(incidentId: string, filter: EventFilter): AsyncGenerator<TimelineEvent[]> {
      if (!filter.wantsGroup('member')) return;
      const changes: Array<{ record: AuditRecord; kind: TimelineEvent['kind']; memberId: string; role: string | null; previousRole: string | null }> = [];
      for (let afterId = 0; ; ) {
        const page = await listAudit({ incidentId, afterId, limit: PAGE });
        for (const record of page) {
          if (record.action !== 'member.set' && record.action !== 'member.remove') continue;
          const detail = MemberDetailSchema.safeParse(record.detail);
          // The server writes these entries itself; one it cannot read is not shown half-read.
          if (!detail.success) continue;
          const { userId, role, previous } = detail.data;
          if (record.action === 'member.remove') changes.push({ record, kind: 'member.left', memberId: userId, role: previous ?? null, previousRole: previous ?? null });
          else if (previous === undefined || previous === null) changes.push({ record, kind: 'member.joined', memberId: userId, role: role ?? null, previousRole: null });
          else if (previous !== role) changes.push({ record, kind: 'member.role_changed', memberId: userId, role: role ?? null, previousRole: previous });
        }
        if (page.length < PAGE) break;
        afterId = page[page.length - 1]!.id;
      }
      changes.sort((a, b) => a.record.at.getTime() - b.record.at.getTime() || a.record.id - b.record.id);
      const names = describe ? await describe([...new Set(changes.map((c) => c.memberId))]) : new Map<string, { name: string }>();
      const out: TimelineEvent[] = [];
      for (const c of changes) {
        const actor = c.record.actor ?? 'server';
        const event = {
          id: `audit:${c.record.id}`,
          at: c.record.at.toISOString(),
          eventAt: null,
          author: actor,
          authorId: actor,
          ref: null,
          kind: c.kind,
          data: { member: names.get(c.memberId)?.name ?? c.memberId, memberId: c.memberId, role: c.role, previousRole: c.previousRole },
        } as TimelineEvent;
        if (filter.accepts(event)) out.push(event);
      }
      if (out.length > 0) yield out;
    },
  };
}
