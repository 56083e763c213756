import type { AccountStore, AuditQuery, AuditRecord } from '../auth/accountStore';
import { describeUsers } from './describeUsers';
import { openAccountStore } from '../auth/openAccountStore';
import { incidentRoster } from '../audit/incidentRoster';
import { membershipSource } from '../audit/membershipSource';
import type { DocumentStore } from '../storage/documentStore';
import type { TimelineSource } from '../timeline/sources';
import { TimelineService } from '../timeline/timelineService';
import { DebriefService } from '../exercise/debrief/debriefService';
import { openExerciseStore } from '../exercise/exerciseStore';
import { ScenarioCatalog, shippedScenariosDir } from '../exercise/scenarioCatalog';

/**
 * The timeline of a server or of the CLI: people named by their accounts, membership changes
 * and the anonymised exports' roster read from the audit trail through `listAudit`.
 */
export function buildTimeline(store: DocumentStore, accounts: AccountStore, listAudit: (q: AuditQuery) => Promise<AuditRecord[]>, extraSources: TimelineSource[] = []): TimelineService {
  const describeAuthors = describeUsers(accounts);
  return new TimelineService(store, {
    sources: [membershipSource(listAudit, describeAuthors), ...extraSources],
    describeAuthors,
    roster: incidentRoster(accounts, listAudit),
  });
}

/**
 * The timeline as the server builds it, on the CLI's store: the accounts live in the same
 * database (server/auth/openAccountStore.ts), so exports name people and list membership
 * changes exactly as a REST export does. The audit is read from its table (the server may
 * still hold its last 100 ms of entries in memory).
 */
export async function openCliTimeline(store: DocumentStore): Promise<TimelineService> {
  const accounts = await openAccountStore(store);
  return buildTimeline(store, accounts, (q) => accounts.listAudit(q));
}

/** The exercise debrief of a server or of the CLI: people named (or pseudonymised) as in the timeline exports, roles by their scenario's labels. */
export function buildDebrief(store: DocumentStore, accounts: AccountStore, listAudit: (q: AuditQuery) => Promise<AuditRecord[]>, scenarios: ScenarioCatalog): DebriefService {
  return new DebriefService({ store, exercises: openExerciseStore(store), describeAuthors: describeUsers(accounts), roster: incidentRoster(accounts, listAudit), scenarios });
}

/** The debrief as the server builds it, on the CLI's store (accounts in the same database, scenarios from the same folders). */
export async function openCliDebrief(store: DocumentStore, scenariosDir: string | undefined): Promise<DebriefService> {
  const accounts = await openAccountStore(store);
  return buildDebrief(store, accounts, (q) => accounts.listAudit(q), new ScenarioCatalog([shippedScenariosDir(), ...(scenariosDir ? [scenariosDir] : [])]));
}
