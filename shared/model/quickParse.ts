import { type z, datetimeRegex } from 'zod';

/**
 * A faster `schema.safeParse` with the same answers, for the records read in bulk (the 100,000
 * entries of a large log on a cold start: zod's own walk costs ~7 µs each, most of a second).
 * The schema stays the one source: this walks the same zod definition, once compiled into plain
 * checks, and answers only when the value certainly passes, with the value zod would return (new
 * objects in the shape's order, trimmed strings, no unknown keys); anything else, a doubt, or a
 * construct it does not know, goes to zod itself, which gives the verdict and the issues. So the
 * quick path can only be slower, never different (test/model/quickParse.test.ts compares both).
 */
type Check = (value: unknown) => { value: unknown } | null;

/** Refinement and transform contexts: an issue means "not certain", zod decides. */
function effectContext(): { ctx: z.RefinementCtx; failed: () => boolean } {
  let failed = false;
  const ctx = { addIssue: () => void (failed = true), path: [] } as unknown as z.RefinementCtx;
  return { ctx, failed: () => failed };
}

interface Def {
  typeName?: string;
  checks?: Array<{ kind: string; value?: unknown; regex?: RegExp; inclusive?: boolean; offset?: boolean; local?: boolean; precision?: number | null }>;
  coerce?: boolean;
  innerType?: z.ZodTypeAny;
  schema?: z.ZodTypeAny;
  in?: z.ZodTypeAny;
  out?: z.ZodTypeAny;
  type?: z.ZodTypeAny;
  values?: readonly unknown[];
  shape?: () => Record<string, z.ZodTypeAny>;
  unknownKeys?: string;
  catchall?: z.ZodTypeAny;
  exactLength?: { value: number } | null;
  minLength?: { value: number } | null;
  maxLength?: { value: number } | null;
  effect?: { type: string; refinement?: (v: unknown, ctx: z.RefinementCtx) => unknown; transform?: (v: unknown, ctx: z.RefinementCtx) => unknown };
  defaultValue?: () => unknown;
}

function compileString(def: Def): Check | null {
  if (def.coerce) return null;
  const steps: Array<(s: string) => string | null> = [];
  for (const c of def.checks ?? []) {
    const n = c.value as number;
    if (c.kind === 'min') steps.push((s) => (s.length < n ? null : s));
    else if (c.kind === 'max') steps.push((s) => (s.length > n ? null : s));
    else if (c.kind === 'length') steps.push((s) => (s.length !== n ? null : s));
    else if (c.kind === 'trim') steps.push((s) => s.trim());
    else if (c.kind === 'regex' && c.regex && !c.regex.global && !c.regex.sticky) {
      const re = c.regex;
      steps.push((s) => (re.test(s) ? s : null));
    } else if (c.kind === 'datetime') {
      // The regex zod builds for this check at every call, built once.
      const re = datetimeRegex({ offset: c.offset ?? false, local: c.local ?? false, precision: c.precision ?? null });
      steps.push((s) => (re.test(s) ? s : null));
    } else return null;
  }
  return (v) => {
    if (typeof v !== 'string') return null;
    let s: string | null = v;
    for (const step of steps) if ((s = step(s)) === null) return null;
    return { value: s };
  };
}

function compileNumber(def: Def): Check | null {
  if (def.coerce) return null;
  const tests: Array<(x: number) => boolean> = [];
  for (const c of def.checks ?? []) {
    const n = c.value as number;
    if (c.kind === 'int') tests.push((x) => Number.isInteger(x));
    else if (c.kind === 'finite') tests.push((x) => Number.isFinite(x));
    else if (c.kind === 'min') tests.push(c.inclusive ? (x) => x >= n : (x) => x > n);
    else if (c.kind === 'max') tests.push(c.inclusive ? (x) => x <= n : (x) => x < n);
    else return null;
  }
  return (v) => (typeof v === 'number' && !Number.isNaN(v) && tests.every((t) => t(v)) ? { value: v } : null);
}

function compileObject(def: Def): Check | null {
  if (!def.shape || (def.unknownKeys !== 'strict' && def.unknownKeys !== 'strip') || def.catchall?._def.typeName !== 'ZodNever') return null;
  const fields: Array<[string, Check]> = [];
  for (const [key, field] of Object.entries(def.shape())) {
    const check = compile(field);
    if (!check) return null;
    fields.push([key, check]);
  }
  const known = new Set(fields.map(([k]) => k));
  const strict = def.unknownKeys === 'strict';
  return (v) => {
    // What zod calls an object (not an array, a date, a map, a set or a promise).
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date || v instanceof Map || v instanceof Set || typeof (v as { then?: unknown }).then === 'function') return null;
    const input = v as Record<string, unknown>;
    if (strict) for (const k in input) if (!known.has(k)) return null;
    const out: Record<string, unknown> = {};
    for (const [key, check] of fields) {
      const r = check(input[key]);
      if (!r) return null;
      // As zod: a key is set when the input has it or its value is defined.
      if (r.value !== undefined || key in input) out[key] = r.value;
    }
    return { value: out };
  };
}

function compileEffects(def: Def): Check | null {
  const inner = def.schema ? compile(def.schema) : null;
  const effect = def.effect;
  if (!inner || !effect) return null;
  if (effect.type === 'refinement' && effect.refinement) {
    const refinement = effect.refinement;
    return (v) => {
      const r = inner(v);
      if (!r) return null;
      const { ctx, failed } = effectContext();
      const result = refinement(r.value, ctx);
      return result instanceof Promise || failed() ? null : r;
    };
  }
  if (effect.type === 'transform' && effect.transform) {
    const transform = effect.transform;
    return (v) => {
      const r = inner(v);
      if (!r) return null;
      const { ctx, failed } = effectContext();
      const value = transform(r.value, ctx);
      return value instanceof Promise || failed() ? null : { value };
    };
  }
  return null;
}

/** The plain check of one zod definition, or null when it uses something not handled here. */
function compile(schema: z.ZodTypeAny): Check | null {
  const def = schema._def as Def;
  switch (def.typeName) {
    case 'ZodString':
      return compileString(def);
    case 'ZodNumber':
      return compileNumber(def);
    case 'ZodBoolean':
      return def.coerce ? null : (v) => (typeof v === 'boolean' ? { value: v } : null);
    case 'ZodEnum': {
      const values = new Set(def.values);
      return (v) => (typeof v === 'string' && values.has(v) ? { value: v } : null);
    }
    case 'ZodDefault': {
      // As zod: an undefined value (an absent key included) is replaced by the default, asked for at each parse, then checked.
      const inner = def.innerType ? compile(def.innerType) : null;
      const fallback = def.defaultValue;
      return inner && fallback ? (v) => inner(v === undefined ? fallback() : v) : null;
    }
    case 'ZodNullable':
    case 'ZodOptional': {
      const inner = def.innerType ? compile(def.innerType) : null;
      const empty = def.typeName === 'ZodNullable' ? null : undefined;
      return inner ? (v) => (v === empty ? { value: v } : inner(v)) : null;
    }
    case 'ZodArray': {
      const element = def.type ? compile(def.type) : null;
      if (!element) return null;
      const { exactLength, minLength, maxLength } = def;
      return (v) => {
        if (!Array.isArray(v)) return null;
        if ((exactLength && v.length !== exactLength.value) || (minLength && v.length < minLength.value) || (maxLength && v.length > maxLength.value)) return null;
        const out: unknown[] = [];
        for (const item of v) {
          const r = element(item);
          if (!r) return null;
          out.push(r.value);
        }
        return { value: out };
      };
    }
    case 'ZodAny':
    case 'ZodUnknown':
      return (v) => ({ value: v });
    case 'ZodUnion': {
      // zod answers the first option that passes, in order.
      const options = ((def as { options?: z.ZodTypeAny[] }).options ?? []).map(compile);
      if (options.length === 0 || options.some((o) => o === null)) return null;
      const checks = options as Check[];
      return (v) => {
        for (const check of checks) {
          const r = check(v);
          if (r) return r;
        }
        return null;
      };
    }
    case 'ZodObject':
      return compileObject(def);
    case 'ZodEffects':
      return compileEffects(def);
    case 'ZodPipeline': {
      const first = def.in ? compile(def.in) : null;
      const then = def.out ? compile(def.out) : null;
      return first && then ? (v) => { const r = first(v); return r ? then(r.value) : null; } : null;
    }
    default:
      return null;
  }
}

/** `schema.safeParse`, answered by the compiled checks when the value certainly passes, by zod otherwise. */
export function quickParser<T extends z.ZodTypeAny>(schema: T): (value: unknown) => z.SafeParseReturnType<z.input<T>, z.output<T>> {
  const check = compile(schema);
  if (!check) return (value) => schema.safeParse(value);
  return (value) => {
    const r = check(value);
    return r ? { success: true, data: r.value as z.output<T> } : schema.safeParse(value);
  };
}

const cached = new WeakMap<z.ZodTypeAny, (value: unknown) => z.SafeParseReturnType<unknown, unknown>>();

/**
 * `schema.safeParse(value)` through the schema's quick parser, compiled on first use: for the
 * values checked once each on a hot path (every socket message, every value a client update
 * inserts), where zod's own walk allocates some kilobytes per value.
 */
export function quickSafeParse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.SafeParseReturnType<z.input<T>, z.output<T>> {
  let parse = cached.get(schema);
  if (!parse) {
    parse = quickParser(schema);
    cached.set(schema, parse);
  }
  return parse(value) as z.SafeParseReturnType<z.input<T>, z.output<T>>;
}

/** `schema.parse(value)` through the quick parser: the same value, or the same ZodError thrown. */
export function quickParse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.output<T> {
  const result = quickSafeParse(schema, value);
  if (result.success) return result.data;
  throw result.error;
}
