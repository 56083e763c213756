import fs from 'node:fs';
import path from 'node:path';
import {
  type IncidentTemplateFile,
  IncidentTemplateFileSchema,
  type TemplateLanguage,
  type TemplateList,
  type TemplateProblem,
  type TemplateSummary,
  dueOffsetMs,
  localText,
} from '../../shared/templates/incidentTemplate';
import type { TaskInput } from '../../shared/model/tasks';
import { AppError } from '../errors';

/** The tasks a template pre-loads, in the chosen language, due relative to the opening. */
export function templateTasks(t: IncidentTemplateFile, lang: TemplateLanguage, openedAt: Date): TaskInput[] {
  const roleLabel = new Map(t.roles.map((r) => [r.id, localText(r.label, lang)]));
  return t.tasks.map((task) => ({
    title: localText(task.title, lang),
    description: localText(task.description, lang),
    priority: task.priority,
    status: 'todo',
    assignee: task.role === undefined ? null : roleLabel.get(task.role)!,
    dueAt: task.due === undefined ? null : new Date(openedAt.getTime() + dueOffsetMs(task.due)).toISOString(),
  }));
}

function summary(t: IncidentTemplateFile): TemplateSummary {
  const both = (v: Parameters<typeof localText>[0]) => ({ fr: localText(v, 'fr'), en: localText(v, 'en') });
  return { id: t.id, name: both(t.name), description: both(t.description), severity: t.severity, sectors: t.sectors, roles: t.roles.map((r) => ({ id: r.id, label: both(r.label) })), taskCount: t.tasks.length };
}

/**
 * The incident templates, read once at start from the shipped `templates/` folder and then from
 * TEMPLATES_DIR (whose templates replace shipped ones of the same id: an organisation adapts
 * ours). A file that does not parse is left out with a problem naming its code and file — logged
 * at start and listed by `GET /api/templates` — and never stops the server.
 */
export class TemplateCatalog {
  private readonly byId = new Map<string, IncidentTemplateFile>();
  readonly problems: TemplateProblem[] = [];

  constructor(dirs: string[]) {
    for (const dir of dirs) this.loadDir(dir);
  }

  list(): TemplateList {
    return { templates: [...this.byId.values()].map(summary).sort((a, b) => a.name.fr.localeCompare(b.name.fr)), problems: this.problems };
  }

  get(id: string): IncidentTemplateFile {
    const t = this.byId.get(id);
    if (!t) throw new AppError('NOT_FOUND', `no incident template ${id} (GET /api/templates lists them)`);
    return t;
  }

  private loadDir(dir: string): void {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch (err) {
      this.problems.push({ code: 'TEMPLATES_DIR_UNREADABLE', file: dir, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    const seen = new Map<string, string>();
    for (const name of names) {
      const file = path.join(dir, name);
      const loaded = this.loadFile(file);
      if (!loaded) continue;
      const twin = seen.get(loaded.id);
      if (twin) {
        this.problems.push({ code: 'TEMPLATE_DUPLICATE', file, message: `template id ${loaded.id} is already used by ${twin}; this file is ignored` });
        continue;
      }
      seen.set(loaded.id, file);
      this.byId.set(loaded.id, loaded);
    }
  }

  private loadFile(file: string): IncidentTemplateFile | null {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      this.problems.push({ code: 'TEMPLATE_INVALID', file, message: `not readable JSON: ${err instanceof Error ? err.message : String(err)}` });
      return null;
    }
    const parsed = IncidentTemplateFileSchema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      this.problems.push({ code: 'TEMPLATE_INVALID', file, message: why });
      return null;
    }
    return parsed.data;
  }
}

/**
 * The shipped `templates/` folder: at the package root, found from this file whether it runs
 * from the sources (server/templates) or the build (dist/server/templates).
 */
export function shippedTemplatesDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'templates');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve('templates');
}
