import { Router } from 'express';
import { z } from 'zod';
import { CreateIncidentSchema } from '../../../../shared/model/incident';
import { LogEntryInputSchema } from '../../../../shared/model/log';
import { IsoTimeSchema } from '../../../../shared/model/common';
import type { IncidentService } from '../../../incidents/incidentService';
import { AppError } from '../../../errors';
import type { MembershipService } from '../../../policy/membershipService';
import type { AuditLog } from '../../../audit/auditLog';
import { journalAuthor } from '../../../auth/principal';
import { HttpAuthSettings, principalOf, requestAddress } from '../authenticate';
import { TemplateIdSchema, TemplateLanguageSchema } from '../../../../shared/templates/incidentTemplate';
import { type TemplateCatalog, templateTasks } from '../../../templates/templateCatalog';
import { withoutReportDrafts } from '../../../reports/readerView';
import { readsReportDrafts } from '../../../reports/publishedView';
import { parseBody, parseParam, parseQuery } from '../parse';
import { LogLatestQuerySchema } from '../../../../shared/protocol/logPage';
import { latestPage } from '../../../parts/log/latestPage';
import type { ExerciseService } from '../../../exercise/exerciseService';
import type { ScenarioCatalog } from '../../../exercise/scenarioCatalog';

/**
 * Who writes comes from the session or token, never from the body. `template` pre-loads the
 * task board from an incident template, in `language` (default French); `scenario` creates an
 * exercise from an exercise scenario (its template's tasks, its chronogram), never a real incident.
 */
const CreateBodySchema = CreateIncidentSchema.extend({ template: TemplateIdSchema.optional(), scenario: TemplateIdSchema.optional(), language: TemplateLanguageSchema.default('fr') })
  .strict()
  .refine((b) => b.template === undefined || b.scenario === undefined, { message: 'give a template or a scenario, not both', path: ['scenario'] });
/** `?exercise=true|false`: only exercises, or only real incidents; absent: both, in separate groups. */
const ListQuerySchema = z.object({ exercise: z.enum(['true', 'false']).optional() }).strict();
const LogBodySchema = LogEntryInputSchema.strict();
/** `?at=<ISO time>`: the incident as it stood then, replayed from the journal. */
const StateQuerySchema = z.object({ at: IsoTimeSchema.optional() }).strict();

export interface IncidentAccess {
  members: MembershipService;
  audit: AuditLog;
  settings: HttpAuthSettings;
}

function requireTemplate(templates: TemplateCatalog | undefined, id: string) {
  if (!templates) throw new AppError('NOT_FOUND', 'no incident templates on this server');
  return templates.get(id);
}

/** Exercise scenarios and the exercises made from them (server/exercise). */
export interface IncidentExercises {
  exercises: ExerciseService;
  scenarios: ScenarioCatalog;
}

export function incidentRoutes(incidents: IncidentService, { members, audit, settings }: IncidentAccess, templates?: TemplateCatalog, exercises?: IncidentExercises): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const principal = principalOf(res);
    const { template: templateId, scenario: scenarioId, language, ...input } = parseBody(CreateBodySchema, req);
    if (scenarioId !== undefined) {
      if (!exercises) throw new AppError('NOT_FOUND', 'no exercise scenarios on this server');
      // An unknown scenario is refused before anything exists.
      const scenario = exercises.scenarios.get(scenarioId);
      const ip = requestAddress(req, settings);
      const meta = await exercises.exercises.create(input, scenario, language, { name: principal.user.displayName, journal: journalAuthor(principal) }, (id) => members.grantCreator(id, principal, ip));
      audit.record({ actor: principal.user.id, action: 'incident.create', incidentId: meta.id, ip, detail: { title: meta.title, exercise: true, scenario: scenario.id } });
      res.status(201).location(`/api/incidents/${meta.id}`).json(meta);
      return;
    }
    // An unknown template is refused before anything exists.
    const template = templateId === undefined ? null : requireTemplate(templates, templateId);
    // A template written for the health sector ticks it, unless the body says otherwise.
    const healthSector = input.healthSector ?? (template?.sectors.includes('health') ? true : undefined);
    const meta = await incidents.create({ ...input, ...(healthSector === undefined ? {} : { healthSector }) }, journalAuthor(principal), (id) => members.grantCreator(id, principal, requestAddress(req, settings)));
    audit.record({ actor: principal.user.id, action: 'incident.create', incidentId: meta.id, ip: requestAddress(req, settings), detail: { title: meta.title, ...(template ? { template: template.id } : {}) } });
    // The template's tasks go through the document like a person's edit: journaled, authored by the creator.
    if (template) await incidents.addTasks(meta.id, templateTasks(template, language, new Date(meta.openedAt)), principal.user.displayName, journalAuthor(principal));
    res.status(201).location(`/api/incidents/${meta.id}`).json(meta);
  });

  /** The incidents the caller is a member of (an administrator sees every one, to manage members). */
  // Exercises and real incidents never share a list: `incidents` holds the real ones (or, with
  // ?exercise=true, the exercises); without the filter the exercises come apart, in `exercises`.
  router.get('/', async (req, res) => {
    const principal = principalOf(res);
    const { exercise } = parseQuery(ListQuerySchema, req);
    const all = await incidents.list();
    const mine = principal.user.isAdmin ? null : await members.incidentsOf(principal.user.id);
    const visible = (mine === null ? all : all.filter((m) => mine.has(m.id))).map((m) => ({ ...m, exercise: m.exercise === true }));
    const real = visible.filter((m) => !m.exercise);
    const drills = visible.filter((m) => m.exercise);
    if (exercise === 'true') res.json({ incidents: drills });
    else if (exercise === 'false') res.json({ incidents: real });
    else res.json({ incidents: real, exercises: drills });
  });

  router.get('/:id', async (req, res) => {
    const id = parseParam(req, 'id');
    await incidents.requireIncident(id);
    const role = await members.require(principalOf(res), id, 'read');
    const { at } = parseQuery(StateQuerySchema, req);
    const state = at ? await incidents.stateAt(id, new Date(at)) : await incidents.state(id);
    res.json(readsReportDrafts(role) ? state : withoutReportDrafts(state));
  });

  /** The newest entries, for a first screen drawn before the log's document arrives (shared/protocol/logPage.ts). */
  router.get('/:id/log/latest', async (req, res) => {
    const id = parseParam(req, 'id');
    const { limit } = parseQuery(LogLatestQuerySchema, req);
    await incidents.requireIncident(id);
    await members.require(principalOf(res), id, 'read');
    res.json(await incidents.readLog(id, (index) => latestPage(id, index, limit)));
  });

  router.post('/:id/log', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    const input = parseBody(LogBodySchema, req);
    await incidents.requireIncident(id);
    await members.require(principal, id, 'write');
    const entry = await incidents.appendLog(id, input, principal.user.displayName, journalAuthor(principal));
    res.status(201).json(entry);
  });

  return router;
}
