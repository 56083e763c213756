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
import { JsonFileCatalog, shippedDir } from './jsonFileCatalog';

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
  private readonly files: JsonFileCatalog<IncidentTemplateFile, TemplateProblem['code']>;

  constructor(dirs: string[]) {
    this.files = new JsonFileCatalog(dirs, IncidentTemplateFileSchema, { unreadable: 'TEMPLATES_DIR_UNREADABLE', duplicate: 'TEMPLATE_DUPLICATE', invalid: 'TEMPLATE_INVALID', noun: 'template' });
  }

  get problems(): TemplateProblem[] {
    return this.files.problems;
  }

  list(): TemplateList {
    return { templates: [...this.files.byId.values()].map(summary).sort((a, b) => a.name.fr.localeCompare(b.name.fr)), problems: this.problems };
  }

  get(id: string): IncidentTemplateFile {
    const t = this.files.byId.get(id);
    if (!t) throw new AppError('NOT_FOUND', `no incident template ${id} (GET /api/templates lists them)`);
    return t;
  }
}

/** The shipped `templates/` folder at the package root. */
export function shippedTemplatesDir(): string {
  return shippedDir('templates');
}
