import type { DocumentStore } from '../storage/documentStore';
import { openAccountStore } from '../auth/openAccountStore';
import { describeUsers } from '../auth/describeUsers';
import { membershipSource } from '../audit/membershipSource';
import { incidentRoster } from '../audit/incidentRoster';
import { TimelineService } from '../timeline/timelineService';

/**
 * The timeline as the server builds it, on the CLI's store: the accounts live in the same
 * database (server/auth/openAccountStore.ts), so exports name people and list membership
 * changes exactly as a REST export does. The audit is read from its table (the server may
 * still hold its last 100 ms of entries in memory).
 */
export async function openCliTimeline(store: DocumentStore): Promise<TimelineService> {
  const accounts = await openAccountStore(store);
  const describeAuthors = describeUsers(accounts);
  return new TimelineService(store, {
    sources: [membershipSource((q) => accounts.listAudit(q), describeAuthors)],
    describeAuthors,
    roster: incidentRoster(accounts, (q) => accounts.listAudit(q)),
  });
}
