import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PersonSchema, SeveritySchema, jsonStringOf, longText, shortText } from './common';
import { quickParse } from './quickParse';

export const LOG_CATEGORIES = ['information', 'action', 'decision', 'alert', 'communication'] as const;
export const LogCategorySchema = z.enum(LOG_CATEGORIES);
export type LogCategory = z.infer<typeof LogCategorySchema>;

export const VERIFICATION_STATES = ['to_check', 'being_checked', 'confirmed', 'refuted'] as const;
export const VerificationSchema = z.enum(VERIFICATION_STATES);
export type Verification = z.infer<typeof VerificationSchema>;

/**
 * An entry transcribed from paper (written by hand during an outage, typed in later): who wrote
 * it on paper and, optionally, which sheet. The entry's `author` stays the person who typed it
 * (the sender); `eventAt` carries the time written on the paper.
 */
export const PaperSchema = z
  .object({
    writer: PersonSchema,
    sheet: shortText(60).optional(),
  })
  .strict();
export type Paper = z.infer<typeof PaperSchema>;

/** Longest text of one log entry (characters); the web client refuses longer text before posting, with this number. */
export const MAX_ENTRY_TEXT_CHARS = 10_000;

/** Where an exercise's injects come from (shared/exercise/scenario.ts lists the same). */
export const INJECT_MARK_CHANNELS = ['phone', 'email', 'press', 'authority', 'internal', 'technical'] as const;

/**
 * The mark of an exercise inject: the server alone writes it (server/exercise), when an inject
 * reaches the players; `exerciseSeconds` is the exercise time then, beside the entry's real
 * `recordedAt`, so the evidence never confuses the two.
 */
export const InjectMarkSchema = z
  .object({
    id: z.string().min(1).max(64),
    channel: z.enum(INJECT_MARK_CHANNELS),
    from: shortText(200),
    /** The role id it is addressed to; null: the whole cell. */
    to: z.string().max(64).nullable(),
    exerciseSeconds: z.number().min(0),
  })
  .strict();
export type InjectMark = z.infer<typeof InjectMarkSchema>;

/**
 * One line of the main courante. Immutable once appended: a correction is a new entry
 * whose `amends` names the original, and the UI shows both.
 */
export const LogEntrySchema = z
  .object({
    id: IdSchema,
    /** When it happened, as the writer says; may be well before it was written down. */
    eventAt: IsoTimeSchema.nullable(),
    /** When it was written, on the server's clock (clients correct their clock by the server's offset). */
    recordedAt: IsoTimeSchema,
    author: PersonSchema,
    /** Who reported it, or on whose behalf it is logged: a person, a service, a monitoring tool. */
    source: shortText(200).nullable(),
    category: LogCategorySchema,
    severity: SeveritySchema,
    verification: VerificationSchema,
    key: z.boolean(),
    text: longText(MAX_ENTRY_TEXT_CHARS).min(1),
    tags: z.array(shortText(60)).max(30),
    amends: IdSchema.nullable(),
    /** Present only on entries transcribed from paper (optional: older entries have none). */
    paper: PaperSchema.optional(),
    /** Present only on an exercise inject, written by the server (optional: older entries have none). */
    inject: InjectMarkSchema.optional(),
    /**
     * The entry this one answers, typically an exercise inject (one keystroke from the log); the
     * debrief pairs each inject with the first entry, task (`logLinks`) or decision (`basedOn`)
     * that refers to it. Absent on a plain entry.
     */
    replyTo: IdSchema.optional(),
  })
  .strict();
export type LogEntry = z.infer<typeof LogEntrySchema>;

/** Longest encoded entry the log accepts: text, tags and fields with room to spare. */
export const MAX_ENCODED_ENTRY_CHARS = 24_000;

/**
 * How an entry sits in the log document: one JSON string per entry. Entries are immutable, and
 * Yjs decodes one string far faster than an object of twelve keys (measured on 100,000 entries:
 * 180 ms instead of 500 ms to apply), which is what keeps a new client's first sync fast.
 */
export const EncodedLogEntrySchema = jsonStringOf(LogEntrySchema, MAX_ENCODED_ENTRY_CHARS);

export function encodeLogEntry(entry: LogEntry): string {
  return JSON.stringify(quickParse(LogEntrySchema, entry));
}

/** What a writer supplies; the rest (id, author, recorded time) is filled in by whoever appends. */
export const LogEntryInputSchema = z
  .object({
    text: longText(MAX_ENTRY_TEXT_CHARS).trim().min(1),
    eventAt: IsoTimeSchema.nullable().optional(),
    source: shortText(200).nullable().optional(),
    category: LogCategorySchema.default('information'),
    severity: SeveritySchema.default('low'),
    verification: VerificationSchema.default('to_check'),
    key: z.boolean().default(false),
    tags: z.array(shortText(60)).max(30).default([]),
    amends: IdSchema.nullable().optional(),
    paper: PaperSchema.optional(),
    replyTo: IdSchema.optional(),
  })
  .strict();
export type LogEntryInput = z.input<typeof LogEntryInputSchema>;
