import { Router, type Response } from 'express';
import { z } from 'zod';
import { ExerciseSpeedBodySchema, ImprovisedInjectBodySchema, ObservationBodySchema, RoleHoldersBodySchema } from '../../../../shared/exercise/exerciseState';
import { TemplateIdSchema } from '../../../../shared/templates/incidentTemplate';
import type { IncidentAction } from '../../../../shared/auth/roles';
import type { ExerciseService } from '../../../exercise/exerciseService';
import type { ScenarioCatalog } from '../../../exercise/scenarioCatalog';
import type { IncidentService } from '../../../incidents/incidentService';
import type { MembershipService } from '../../../policy/membershipService';
import { journalAuthor } from '../../../auth/principal';
import { principalOf } from '../authenticate';
import { parseBody, parseParam } from '../parse';
import { AppError } from '../../../errors';

export interface ExerciseRoutesDeps {
  exercises: ExerciseService;
  scenarios: ScenarioCatalog;
  incidents: IncidentService;
  members: MembershipService;
}

const EmptyBodySchema = z.union([z.object({}).strict(), z.undefined()]);

/**
 * Exercises (issue 17), mounted under /api: the scenario list (any signed-in user: summaries
 * only), and per exercise the clock and injects (animators), the chronogram and the observations
 * (animators and evaluators). A player's role allows none of these: FORBIDDEN, checked before
 * anything is read; a real incident answers NOT_AN_EXERCISE to those who may ask. Every member
 * reads the public view (the clock, who holds which functional role): never an inject to come.
 */
export function exerciseRoutes({ exercises, scenarios, incidents, members }: ExerciseRoutesDeps): Router {
  const router = Router();

  router.get('/scenarios', (_req, res) => {
    principalOf(res);
    res.json(scenarios.list());
  });

  async function allowed(req: Parameters<Parameters<Router['get']>[1]>[0], res: Response, action: IncidentAction): Promise<string> {
    const id = parseParam(req, 'id');
    await incidents.requireIncident(id);
    await members.require(principalOf(res), id, action);
    return id;
  }

  router.get('/incidents/:id/exercise/public', async (req, res) => {
    const id = await allowed(req, res, 'read');
    res.json(await exercises.publicView(id));
  });

  router.put('/incidents/:id/exercise/roles/:roleId', async (req, res) => {
    const id = await allowed(req, res, 'animate');
    const roleId = parseParam(req, 'roleId', TemplateIdSchema);
    const { userIds } = parseBody(RoleHoldersBodySchema, req);
    for (const userId of userIds) {
      if ((await members.roleOf(id, userId)) === null) throw new AppError('NOT_FOUND', `user ${userId} is not a member of this exercise`);
    }
    res.json(await exercises.setRoleHolders(id, roleId, userIds));
  });

  router.get('/incidents/:id/exercise', async (req, res) => {
    const id = await allowed(req, res, 'readExercise');
    res.json(await exercises.state(id));
  });

  const clockMoves = { start: 'start', pause: 'pause', resume: 'resume' } as const;
  for (const move of Object.values(clockMoves)) {
    router.post(`/incidents/:id/exercise/${move}`, async (req, res) => {
      const id = await allowed(req, res, 'animate');
      parseBody(EmptyBodySchema, req);
      res.json(await exercises[move](id));
    });
  }

  router.put('/incidents/:id/exercise/speed', async (req, res) => {
    const id = await allowed(req, res, 'animate');
    const { factor } = parseBody(ExerciseSpeedBodySchema, req);
    res.json(await exercises.setSpeed(id, factor));
  });

  router.post('/incidents/:id/exercise/injects/:injectId/fire', async (req, res) => {
    const id = await allowed(req, res, 'animate');
    const injectId = parseParam(req, 'injectId', TemplateIdSchema);
    res.json(await exercises.fire(id, injectId, journalAuthor(principalOf(res))));
  });

  router.post('/incidents/:id/exercise/injects/:injectId/skip', async (req, res) => {
    const id = await allowed(req, res, 'animate');
    const injectId = parseParam(req, 'injectId', TemplateIdSchema);
    res.json(await exercises.skip(id, injectId));
  });

  router.post('/incidents/:id/exercise/injects', async (req, res) => {
    const id = await allowed(req, res, 'animate');
    const input = parseBody(ImprovisedInjectBodySchema, req);
    res.status(201).json(await exercises.improvise(id, input, journalAuthor(principalOf(res))));
  });

  router.post('/incidents/:id/exercise/observations', async (req, res) => {
    const id = await allowed(req, res, 'observe');
    const input = parseBody(ObservationBodySchema, req);
    res.status(201).json(await exercises.observe(id, input, principalOf(res).user.displayName));
  });

  router.get('/incidents/:id/exercise/observations', async (req, res) => {
    const id = await allowed(req, res, 'readExercise');
    res.json({ observations: await exercises.observations(id) });
  });

  return router;
}
