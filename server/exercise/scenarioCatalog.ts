import fs from 'node:fs';
import path from 'node:path';
import {
  type ScenarioFile,
  ScenarioFileSchema,
  type ScenarioList,
  type ScenarioProblem,
  type ScenarioSummary,
} from '../../shared/exercise/scenario';
import { localText } from '../../shared/templates/incidentTemplate';
import { AppError } from '../errors';

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
  private readonly byId = new Map<string, ScenarioFile>();
  readonly problems: ScenarioProblem[] = [];

  constructor(dirs: string[]) {
    for (const dir of dirs) this.loadDir(dir);
  }

  /** Summaries only: the chronogram is the animators' (served per exercise, server/exercise/exerciseService.ts). */
  list(): ScenarioList {
    return { scenarios: [...this.byId.values()].map(summary).sort((a, b) => a.name.fr.localeCompare(b.name.fr)), problems: this.problems };
  }

  get(id: string): ScenarioFile {
    const s = this.byId.get(id);
    if (!s) throw new AppError('NOT_FOUND', `no exercise scenario ${id} (GET /api/scenarios lists them)`);
    return s;
  }

  private loadDir(dir: string): void {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch (err) {
      this.problems.push({ code: 'SCENARIOS_DIR_UNREADABLE', file: dir, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    const seen = new Map<string, string>();
    for (const name of names) {
      const file = path.join(dir, name);
      const loaded = this.loadFile(file);
      if (!loaded) continue;
      const twin = seen.get(loaded.id);
      if (twin) {
        this.problems.push({ code: 'SCENARIO_DUPLICATE', file, message: `scenario id ${loaded.id} is already used by ${twin}; this file is ignored` });
        continue;
      }
      seen.set(loaded.id, file);
      this.byId.set(loaded.id, loaded);
    }
  }

  private loadFile(file: string): ScenarioFile | null {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      this.problems.push({ code: 'SCENARIO_INVALID', file, message: `not readable JSON: ${err instanceof Error ? err.message : String(err)}` });
      return null;
    }
    const parsed = ScenarioFileSchema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      this.problems.push({ code: 'SCENARIO_INVALID', file, message: why });
      return null;
    }
    return parsed.data;
  }
}

/** The shipped `scenarios/` folder at the package root, from the sources or the build. */
export function shippedScenariosDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'scenarios');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve('scenarios');
}
