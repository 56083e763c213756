import { z } from 'zod';
import { SeveritySchema, longText, shortText } from '../model/common';
import { PrioritySchema } from '../model/tasks';

/**
 * Incident templates: plain JSON files an organisation edits (templates/*.json, and TEMPLATES_DIR).
 * A template pre-loads the task board of a new incident and names the cell's functional roles;
 * until a person is chosen, a task's `assignee` holds the label of the role that owns it.
 * Texts are French first, English optional: `"texte"` or `{ "fr": "texte", "en": "text" }`.
 */
export const TEMPLATE_LANGUAGES = ['fr', 'en'] as const;
export const TemplateLanguageSchema = z.enum(TEMPLATE_LANGUAGES);
export type TemplateLanguage = z.infer<typeof TemplateLanguageSchema>;

export const TemplateIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and -, at most 64');

const text = (max: number, min = 1) => z.union([shortText(max).min(min), z.object({ fr: shortText(max).min(min), en: shortText(max).min(min).optional() }).strict()]);
const longLocalText = z.union([longText(10_000), z.object({ fr: longText(10_000), en: longText(10_000).optional() }).strict()]);
export type LocalText = z.infer<ReturnType<typeof text>> | z.infer<typeof longLocalText>;
/** The same bilingual texts, for files built on templates (shared/exercise/scenario.ts). */
export const localTextSchema = text;
export const LongLocalTextSchema = longLocalText;

/** "+1h", "+30m", "+3d", "+0m": how long after the incident's opening a task is due. */
export const DueOffsetSchema = z.string().regex(/^\+?\d{1,5}\s*[mhd]$/, 'expected an offset like +30m, +1h or +3d');

export const TemplateRoleSchema = z
  .object({
    id: TemplateIdSchema,
    /** The label written as a task's assignee until a person is chosen (a task assignee is at most 120 characters). */
    label: text(120),
  })
  .strict();

/**
 * Sectors a template is written for. `health`: a health establishment, whose incidents are
 * declared to the ARS / CERT Santé (the incident's `healthSector`, ticked at creation).
 */
export const TEMPLATE_SECTORS = ['health'] as const;
export const TemplateSectorSchema = z.enum(TEMPLATE_SECTORS);

export const TemplateTaskSchema = z
  .object({
    title: text(300),
    description: longLocalText.default(''),
    priority: PrioritySchema.default('normal'),
    /** Due this long after the incident's opening; absent: no due time. */
    due: DueOffsetSchema.optional(),
    /** The id of one of the template's roles: its label becomes the task's assignee. */
    role: TemplateIdSchema.optional(),
  })
  .strict();

export const IncidentTemplateFileSchema = z
  .object({
    id: TemplateIdSchema,
    name: text(200),
    description: longLocalText.default(''),
    /** The severity proposed for a new incident from this template. */
    severity: SeveritySchema.default('high'),
    /** The sectors it is written for (`["health"]`): a new incident from it starts with their regulatory facts ticked. */
    sectors: z.array(TemplateSectorSchema).max(TEMPLATE_SECTORS.length).default([]),
    roles: z.array(TemplateRoleSchema).max(50).default([]),
    tasks: z.array(TemplateTaskSchema).min(1).max(500),
  })
  .strict()
  .superRefine((t, ctx) => {
    const roles = new Set<string>();
    t.roles.forEach((r, i) => {
      if (roles.has(r.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['roles', i, 'id'], message: `role ${r.id} is declared twice` });
      roles.add(r.id);
    });
    t.tasks.forEach((task, i) => {
      if (task.role !== undefined && !roles.has(task.role)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tasks', i, 'role'], message: `unknown role ${task.role} (declare it under "roles")` });
    });
  });
export type IncidentTemplateFile = z.infer<typeof IncidentTemplateFileSchema>;

const Both = z.object({ fr: z.string(), en: z.string() }).strict();

/** What `GET /api/templates` lists: each template in both languages (English falls back to French). */
export const TemplateSummarySchema = z
  .object({
    id: TemplateIdSchema,
    name: Both,
    description: Both,
    severity: SeveritySchema,
    sectors: z.array(TemplateSectorSchema),
    roles: z.array(z.object({ id: TemplateIdSchema, label: Both }).strict()),
    taskCount: z.number().int().min(0),
  })
  .strict();
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;

/** A template file the server could not load: the code, the file and why. */
export const TemplateProblemSchema = z
  .object({
    code: z.enum(['TEMPLATE_INVALID', 'TEMPLATE_DUPLICATE', 'TEMPLATES_DIR_UNREADABLE']),
    file: z.string(),
    message: z.string(),
  })
  .strict();
export type TemplateProblem = z.infer<typeof TemplateProblemSchema>;

export const TemplateListSchema = z.object({ templates: z.array(TemplateSummarySchema), problems: z.array(TemplateProblemSchema) }).strict();
export type TemplateList = z.infer<typeof TemplateListSchema>;

export function localText(value: LocalText, lang: TemplateLanguage): string {
  if (typeof value === 'string') return value;
  return lang === 'en' ? (value.en ?? value.fr) : value.fr;
}

/** Offset in milliseconds of "+1h" and the like. */
export function dueOffsetMs(offset: string): number {
  const m = /^\+?(\d+)\s*([mhd])$/.exec(offset);
  if (!m) throw new Error(`bad offset ${offset}`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}
