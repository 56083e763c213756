import type { Request } from 'express';
import type { z } from 'zod';
import { IdSchema } from '../../../shared/model/common';
import { badInput } from '../../errors';

/**
 * The one way a route reads its input: through a zod schema, or BAD_REQUEST with the field
 * errors (`{ error: { code: 'BAD_REQUEST', message: 'invalid input: …', details } }`), before
 * anything is done. After it the route trusts the types.
 */
export function parseValue<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw badInput(result.error);
  return result.data;
}

/** The JSON body. */
export function parseBody<T extends z.ZodTypeAny>(schema: T, req: Request): z.infer<T> {
  return parseValue(schema, req.body);
}

/** The query string (`?a=…&b=…`). */
export function parseQuery<T extends z.ZodTypeAny>(schema: T, req: Request): z.infer<T> {
  return parseValue(schema, req.query);
}

/** One path parameter, an id unless another schema is given (`:id`, `:draftId`…). */
export function parseParam<T extends z.ZodTypeAny = typeof IdSchema>(req: Request, name: string, schema?: T): z.infer<T> {
  return parseValue(schema ?? IdSchema, req.params[name]);
}
