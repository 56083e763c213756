import { z } from 'zod';

/** A predicate for the shape of a value: its types and enumerations, not its formats. */
export type ShapeCheck = (value: unknown) => boolean;

/**
 * The shape a zod schema describes, as a plain predicate: strings, numbers and booleans by type,
 * enumerations by value, null and absence where the schema allows them, arrays and objects field
 * by field. Formats, lengths and refinements are left out: it reads back what was already checked
 * against the full schema on the way in (the journal replay), at a fraction of the cost. Derived
 * from the schema, so the two cannot disagree on which fields exist and of what type; a zod kind
 * it does not know throws when the predicate is built (at load), not when a value is read.
 */
export function shapeOf(schema: z.ZodTypeAny): ShapeCheck {
  if (schema instanceof z.ZodString) return (v) => typeof v === 'string';
  if (schema instanceof z.ZodNumber) return (v) => typeof v === 'number';
  if (schema instanceof z.ZodBoolean) return (v) => typeof v === 'boolean';
  if (schema instanceof z.ZodEnum) {
    const values = new Set<unknown>(schema.options as unknown[]);
    return (v) => values.has(v);
  }
  if (schema instanceof z.ZodEffects) return shapeOf(schema.innerType() as z.ZodTypeAny);
  if (schema instanceof z.ZodNullable) {
    const inner = shapeOf(schema.unwrap() as z.ZodTypeAny);
    return (v) => v === null || inner(v);
  }
  if (schema instanceof z.ZodOptional) {
    const inner = shapeOf(schema.unwrap() as z.ZodTypeAny);
    return (v) => v === undefined || inner(v);
  }
  if (schema instanceof z.ZodArray) {
    const item = shapeOf(schema.element as z.ZodTypeAny);
    return (v) => Array.isArray(v) && v.every(item);
  }
  if (schema instanceof z.ZodObject) {
    const fields = Object.entries(schema.shape as z.ZodRawShape).map(([key, field]) => [key, shapeOf(field)] as const);
    return (v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
      const record = v as Record<string, unknown>;
      for (const [key, check] of fields) if (!check(record[key])) return false;
      return true;
    };
  }
  throw new Error(`shapeOf: no shape check for ${schema.constructor.name}`);
}
