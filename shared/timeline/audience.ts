import { z } from 'zod';

/**
 * Who an export is for. `nominative` (default): authorities, insurers, the courts — people by
 * name. `anonymised`: the lessons-learned review — every member's name, e-mail and user id is
 * replaced by a role pseudonym ("Directeur 1", "Membre 2"), stable per person within the export,
 * in every field and inside free text (docs/TIMELINE.md, "Audiences").
 */
export const EXPORT_AUDIENCES = ['nominative', 'anonymised'] as const;
export const ExportAudienceSchema = z.enum(EXPORT_AUDIENCES);
export type ExportAudience = z.infer<typeof ExportAudienceSchema>;
