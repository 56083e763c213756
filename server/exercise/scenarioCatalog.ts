import {
  type ScenarioFile,
  ScenarioFileSchema,
  type ScenarioList,
  type ScenarioProblem,
  type ScenarioSummary,
} from '../../shared/exercise/scenario';
import { localText } from '../../shared/templates/incidentTemplate';
import { AppError } from '../errors';
import { JsonFileCatalog, shippedDir } from '../templates/jsonFileCatalog';

function summary(s: ScenarioFile): ScenarioSummary {
  const both = (v: Parameters<typeof localText>[0]) => ({ fr: localText(v, 'fr'), en: localText(v, 'en') });
  return {
    id: s.id,
    name: both(s.name),
    description: both(s.description),
    durationMinutes: s.durationMinutes,
    injectCount: s.injects.length,
    roles: s.template.roles.map((r) => ({ id: r.id, label: both(r.label) })),
  };
}

/**
 * The exercise scenarios, read once at start from the shipped `scenarios/` folder and then from
 * SCENARIOS_DIR (whose scenarios replace shipped ones of the same id), as the template catalog
 * does: a file that does not parse is left out with a problem naming its code and file — logged
 * at start and listed by `GET /api/scenarios` — and never stops the server.
 */
export class ScenarioCatalog {
  private readonly files: JsonFileCatalog<ScenarioFile, ScenarioProblem['code']>;

  constructor(dirs: string[]) {
    this.files = new JsonFileCatalog(dirs, ScenarioFileSchema, { unreadable: 'SCENARIOS_DIR_UNREADABLE', duplicate: 'SCENARIO_DUPLICATE', invalid: 'SCENARIO_INVALID', noun: 'scenario' });
  }

  get problems(): ScenarioProblem[] {
    return this.files.problems;
  }

  /** Summaries only: the chronogram is the animators' (served per exercise, server/exercise/exerciseService.ts). */
  list(): ScenarioList {
    return { scenarios: [...this.files.byId.values()].map(summary).sort((a, b) => a.name.fr.localeCompare(b.name.fr)), problems: this.problems };
  }

  get(id: string): ScenarioFile {
    const s = this.files.byId.get(id);
    if (!s) throw new AppError('NOT_FOUND', `no exercise scenario ${id} (GET /api/scenarios lists them)`);
    return s;
  }
}

/** The shipped `scenarios/` folder at the package root. */
export function shippedScenariosDir(): string {
  return shippedDir('scenarios');
}
