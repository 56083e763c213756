import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { I18n } from '../../client/web/src/i18n';
import { LANGS, type Lang } from '../../shared/i18n/lang';
import { SEVERITIES } from '../../shared/model/common';
import { LOG_CATEGORIES, VERIFICATION_STATES } from '../../shared/model/log';
import { PRIORITIES, TASK_STATUSES } from '../../shared/model/tasks';
import { DECISION_STATUSES } from '../../shared/model/decisions';
import { INCIDENT_ROLES } from '../../shared/auth/roles';
import { DRAFT_KINDS, RegulatoryDraftSchema } from '../../shared/model/regulatory';
import { IncidentMetaSchema } from '../../shared/model/incident';
import { TIMELINE_KINDS, type TimelineEvent, TimelineEventSchema } from '../../shared/timeline/events';
import { describeEvent, kindLabel } from '../../shared/timeline/describe';
import { regulatoryClocks } from '../../shared/timeline/deadlines';
import { buildExportHeader } from '../../server/export/exportInput';
import { writeMarkdown } from '../../server/export/writers/markdownWriter';
import { kitWords } from '../../server/kit/kitLabels';
import { reportMarkdown } from '../../server/reports/reportExport';
import { draftMarkdown } from '../../server/export/regulatory/draftExport';
import { ReportSchema } from '../../shared/model/reports';
import { TimelineFilterSchema } from '../../shared/timeline/filter';
import { DOC_PARTS, docName } from '../../shared/model/parts';

/**
 * Issue 16 item 4: one label per enum value and language. For every value, what the screens
 * show (the client's I18n) is what the exports print (rendered here by the real writers), in
 * both languages.
 */
const ID = 'abcdefgh12345678';
const AT = '2026-03-12T10:00:00.000Z';
const META = IncidentMetaSchema.parse({ id: ID, title: 'X-1', status: 'open', severity: 'high', detectedAt: AT, openedAt: AT, closedAt: null, breachAwareAt: null, nis2: true, healthSector: true });

function ev(kind: TimelineEvent['kind'], data: Record<string, unknown>): TimelineEvent {
  return TimelineEventSchema.parse({ id: `${kind}-1`, at: AT, eventAt: null, author: 'A-1', authorId: 'A-1', ref: null, kind, data });
}
const logData = (o: Record<string, unknown> = {}) => ({ entryId: ID, category: 'information', severity: 'low', verification: 'to_check', key: false, text: 'T-1', source: null, tags: [], amends: null, writtenBy: 'A-1', ...o });
const decisionData = (status: string) => ({ decisionId: ID, title: 'D-1', status, statement: 'S-1', by: 'A-1', note: null, supersedes: null, supersededBy: null });
const regData = (draftKind: string) => ({ draftId: ID, draftKind, complements: null, sentAt: null, sentBy: null, sentVia: null, reference: null });
const member = { member: 'M-1', memberId: 'M-1', role: 'member', previousRole: null };

/** One event of every kind, for the writers to label. */
function oneOfEach(): TimelineEvent[] {
  const data: Record<TimelineEvent['kind'], Record<string, unknown>> = {
    'incident.opened': { title: 'X-1', severity: 'high', detectedAt: null },
    'incident.updated': { changes: { title: { from: 'a', to: 'b' } } },
    'incident.closed': { closedAt: AT },
    'incident.reopened': {},
    'log.entry': logData(),
    'log.amendment': logData({ amends: ID }),
    'log.verification': { entryId: ID, state: 'confirmed', from: 'to_check', by: 'A-1', note: null, key: false, text: 'T-1' },
    'task.created': { taskId: ID, title: 'K-1', status: 'todo', assignee: null, priority: 'normal', dueAt: null },
    'task.assigned': { taskId: ID, title: 'K-1', from: null, to: 'A-1' },
    'task.moved': { taskId: ID, title: 'K-1', from: 'todo', to: 'in_progress' },
    'task.done': { taskId: ID, title: 'K-1', from: 'in_progress' },
    'task.updated': { taskId: ID, title: 'K-1', changes: { priority: { from: 'low', to: 'high' } } },
    'decision.proposed': decisionData('proposed'),
    'decision.approved': decisionData('approved'),
    'decision.rejected': decisionData('rejected'),
    'decision.superseded': decisionData('superseded'),
    'decision.revoked': decisionData('revoked'),
    'decision.updated': { decisionId: ID, title: 'D-1', changes: { title: { from: 'a', to: 'b' } } },
    'regulatory.drafted': regData('cnil_initial'),
    'regulatory.sent': regData('cnil_initial'),
    'report.published': { reportId: ID, number: 1, windowFrom: AT, windowTo: AT, publishedBy: 'A-1', nextReportAt: null, conditions: 'C-1' },
    'member.joined': member,
    'member.role_changed': { ...member, previousRole: 'observer' },
    'member.left': member,
  };
  return TIMELINE_KINDS.map((k) => ev(k, data[k]));
}

async function markdownOf(events: TimelineEvent[], lang: Lang): Promise<string> {
  const heads = DOC_PARTS.map((p) => ({ doc: docName(ID, p), seq: 0, hash: '0'.repeat(64) }));
  const header = buildExportHeader({ meta: META, heads, filter: TimelineFilterSchema.parse({}), producedAt: new Date(AT), producedBy: 'A-1', timeZone: 'Europe/Paris', lang, legacySeals: [] });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  async function* batches() {
    yield events;
  }
  await writeMarkdown({ header, events: batches(), trailer: () => ({ eventCount: events.length, integrity: { intact: true, problems: [] } }) }, out);
  return Buffer.concat(chunks).toString('utf8');
}

describe.each(LANGS.map((l) => [l]))('labels in %s', (lang) => {
  const ui = new I18n(lang);
  const said = (e: TimelineEvent) => describeEvent(e, lang, 'Europe/Paris');

  test('severity: the log, the timeline exports, the situation report and the paper kit', () => {
    for (const v of SEVERITIES) {
      expect(said(ev('incident.opened', { title: 'X-1', severity: v, detectedAt: null }))).toContain(ui.enums.severity[v]);
      expect(said(ev('log.entry', logData({ severity: v })))).toContain(ui.enums.severity[v]);
      const report = ReportSchema.parse({ id: ID, number: 1, status: 'published', windowFrom: AT, windowTo: AT, createdBy: 'A-1', createdAt: AT, publishedAt: AT, publishedBy: 'A-1', nextReportAt: null, sections: { conditions: '', actionsInProgress: '', actionsDone: '', decisions: '', needs: '' } });
      expect(reportMarkdown({ meta: { ...META, severity: v }, report, lang, timeZone: 'Europe/Paris' })).toContain(ui.enums.severity[v]);
      expect(kitWords(lang).severity[v]).toBe(ui.enums.severity[v]);
    }
  });

  test('log category and verification state', () => {
    for (const v of LOG_CATEGORIES) {
      expect(said(ev('log.entry', logData({ category: v })))).toContain(ui.enums.category[v]);
      expect(kitWords(lang).category[v]).toBe(ui.enums.category[v]);
    }
    for (const v of VERIFICATION_STATES) {
      expect(said(ev('log.verification', { entryId: ID, state: v, from: null, by: 'A-1', note: null, key: false, text: 'T-1' }))).toContain(ui.enums.verification[v]);
      expect(kitWords(lang).verification[v]).toBe(ui.enums.verification[v]);
    }
  });

  test('task status and priority', () => {
    for (const v of TASK_STATUSES) {
      expect(said(ev('task.moved', { taskId: ID, title: 'K-1', from: v, to: v }))).toContain(ui.enums.status[v]);
      expect(said(ev('task.created', { taskId: ID, title: 'K-1', status: v, assignee: null, priority: 'normal', dueAt: null }))).toContain(ui.enums.status[v]);
      expect(kitWords(lang).taskStatus[v]).toBe(ui.enums.status[v]);
    }
    for (const v of PRIORITIES) {
      expect(said(ev('task.created', { taskId: ID, title: 'K-1', status: 'todo', assignee: null, priority: v, dueAt: null }))).toContain(ui.enums.priority[v]);
      expect(kitWords(lang).priorities[v]).toBe(ui.enums.priority[v]);
    }
  });

  test('decision status and incident role', () => {
    for (const v of DECISION_STATUSES) expect(said(ev('decision.approved', decisionData(v)))).toContain(ui.enums.decision[v]);
    for (const v of INCIDENT_ROLES) {
      expect(said(ev('member.joined', { ...member, role: v }))).toContain(ui.enums.role[v]);
      expect(kitWords(lang).roles[v]).toBe(ui.enums.role[v]);
    }
  });

  test('timeline kinds: the timeline tab (kindLabel) and the exports', async () => {
    const md = await markdownOf(oneOfEach(), lang);
    for (const kind of TIMELINE_KINDS) {
      expect(kindLabel(kind, lang)).toBe(ui.enums.kind[kind]);
      expect(md).toContain(`*${ui.enums.kind[kind]}*`);
    }
  });

  test('regulatory kinds and deadlines: the regulatory view, the timeline exports and the exported draft', async () => {
    const md = await markdownOf(DRAFT_KINDS.map((k) => ev('regulatory.sent', regData(k))), lang);
    const uiClocks = regulatoryClocks(META, [], lang);
    const exported = buildExportHeader({ meta: META, heads: DOC_PARTS.map((p) => ({ doc: docName(ID, p), seq: 0, hash: '0'.repeat(64) })), filter: TimelineFilterSchema.parse({}), producedAt: new Date(AT), producedBy: 'A-1', timeZone: 'Europe/Paris', lang, legacySeals: [] }).deadlines;
    expect(exported.map((d) => [d.label, d.basis])).toEqual(uiClocks.map((c) => [c.label, c.basis]));
    for (const kind of DRAFT_KINDS) {
      expect(md).toContain(ui.t.reg.kinds[kind]);
      const draft = RegulatoryDraftSchema.parse({ id: ID, kind, status: 'draft', createdBy: 'A-1', createdAt: AT });
      const clock = uiClocks.find((c) => c.kinds.includes(kind)) ?? null;
      const doc = draftMarkdown({ view: { draft, deadline: clock, missing: [], complete: true }, meta: META, headRef: 'H-1', producedAt: new Date(AT), producedBy: 'A-1', lang, timeZone: 'Europe/Paris' });
      expect(doc).toContain(`# ${ui.t.reg.kinds[kind]}`);
      if (clock) expect(doc).toContain(clock.label);
    }
  });
});

/** Source files of the application (not the tables themselves, not tests). */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return p.endsWith(path.join('shared', 'i18n')) ? [] : sources(p);
    return /\.tsx?$/.test(d.name) ? [p] : [];
  });
}

test('no second table: no source file outside shared/i18n spells three labels of one enum', () => {
  const root = path.join(__dirname, '..', '..');
  const files = ['server', 'client', 'shared'].flatMap((d) => sources(path.join(root, d)));
  const found: string[] = [];
  for (const lang of LANGS) {
    const enums = new I18n(lang).enums;
    const groups = { severity: enums.severity, status: enums.status, priority: enums.priority, decision: enums.decision, verification: enums.verification, role: enums.role, kind: enums.kind };
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const [name, table] of Object.entries(groups)) {
        const spelled = new Set(Object.values(table).filter((label) => text.includes(`'${label}'`)));
        if (spelled.size >= 3) found.push(`${path.relative(root, file)}: ${lang} ${name} (${[...spelled].join(', ')})`);
      }
    }
  }
  expect(found).toEqual([]);
});
