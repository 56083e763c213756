import { z } from 'zod';
import { shortText } from '../model/common';
import { INJECT_MARK_CHANNELS } from '../model/log';
import {
  IncidentTemplateFileSchema,
  LongLocalTextSchema,
  TemplateIdSchema,
  localTextSchema,
} from '../templates/incidentTemplate';

/**
 * Exercise scenarios (chronograms): plain JSON files like incident templates (scenarios/*.json,
 * and SCENARIOS_DIR). A scenario carries a template (the cell's roles and the tasks it starts
 * with) and its injects: what the outside world does to the cell, and when, in exercise time.
 * Texts are French first, English optional, as in templates.
 */
export const INJECT_CHANNELS = INJECT_MARK_CHANNELS;
export const InjectChannelSchema = z.enum(INJECT_CHANNELS);
export type InjectChannel = z.infer<typeof InjectChannelSchema>;

const CLOCK_OFFSET = /^(?:T\+)?(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * When an inject is due after the exercise starts: seconds (`900`), or `"HH:MM"` / `"T+HH:MM"`
 * (`"HH:MM:SS"` too). At most four days.
 */
export const InjectOffsetSchema = z.union([
  z.number().int().min(0).max(345_600),
  z.string().regex(CLOCK_OFFSET, 'expected seconds or "HH:MM" (T+HH:MM, HH:MM:SS)'),
]);
export type InjectOffset = z.infer<typeof InjectOffsetSchema>;

/** Seconds of exercise time of an offset. */
export function injectOffsetSeconds(offset: InjectOffset): number {
  if (typeof offset === 'number') return offset;
  const m = CLOCK_OFFSET.exec(offset);
  if (!m) throw new Error(`bad inject offset ${offset}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

export const ScenarioInjectSchema = z
  .object({
    id: TemplateIdSchema,
    offset: InjectOffsetSchema,
    channel: InjectChannelSchema,
    /** Who it comes from, as the players see it ("Journaliste, Le Parisien", "ARS Île-de-France"). */
    from: localTextSchema(200),
    /** The id of one of the template's roles it is addressed to; absent: the whole cell. */
    to: TemplateIdSchema.optional(),
    /** What the players receive. */
    text: LongLocalTextSchema,
    /** The reaction the evaluators look for: never shown to players. */
    expected: LongLocalTextSchema.default(''),
  })
  .strict();
export type ScenarioInject = z.infer<typeof ScenarioInjectSchema>;

export const ScenarioFileSchema = z
  .object({
    id: TemplateIdSchema,
    name: localTextSchema(200),
    description: LongLocalTextSchema.default(''),
    /** Planned length of the exercise, in minutes of exercise time. */
    durationMinutes: z.number().int().min(1).max(5_760),
    /** The cell's roles and starting tasks, as an incident template. */
    template: IncidentTemplateFileSchema,
    injects: z.array(ScenarioInjectSchema).min(1).max(500),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    const roles = new Set(s.template.roles.map((r) => r.id));
    s.injects.forEach((inject, i) => {
      if (ids.has(inject.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['injects', i, 'id'], message: `inject ${inject.id} is declared twice` });
      ids.add(inject.id);
      if (inject.to !== undefined && !roles.has(inject.to)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['injects', i, 'to'], message: `unknown role ${inject.to} (declare it under "template.roles")` });
    });
  });
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;

const Both = z.object({ fr: z.string(), en: z.string() }).strict();

/**
 * What `GET /api/scenarios` lists to every signed-in user: names, length and counts only. The
 * injects (the chronogram) and their expected reactions are never listed: players may read this.
 */
export const ScenarioSummarySchema = z
  .object({
    id: TemplateIdSchema,
    name: Both,
    description: Both,
    durationMinutes: z.number().int(),
    injectCount: z.number().int().min(0),
    roles: z.array(z.object({ id: TemplateIdSchema, label: Both }).strict()),
  })
  .strict();
export type ScenarioSummary = z.infer<typeof ScenarioSummarySchema>;

/** A scenario file the server could not load: the code, the file and why. */
export const ScenarioProblemSchema = z
  .object({
    code: z.enum(['SCENARIO_INVALID', 'SCENARIO_DUPLICATE', 'SCENARIOS_DIR_UNREADABLE']),
    file: z.string(),
    message: shortText(10_000),
  })
  .strict();
export type ScenarioProblem = z.infer<typeof ScenarioProblemSchema>;

export const ScenarioListSchema = z.object({ scenarios: z.array(ScenarioSummarySchema), problems: z.array(ScenarioProblemSchema) }).strict();
export type ScenarioList = z.infer<typeof ScenarioListSchema>;
