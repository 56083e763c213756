import { z } from 'zod';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../../shared/auth/schemas';

/** The server could not be reached (network down, server stopped, timeout). */
export class OfflineError extends Error {}

/** The server answered with an error: its code (ERROR_CODES), message, and Retry-After when throttled. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

let sessionEnded: (() => void) | null = null;

/** Called when a request made with a session gets 401: the session expired or was ended elsewhere. */
export function onSessionEnded(handler: () => void): void {
  sessionEnded = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** False for calls that are expected to answer 401 (login, who am I on load): no "session ended". */
  sessionBound?: boolean;
  timeoutMs?: number;
}

/**
 * One same-origin call to /api. The session cookie goes along by itself; every write carries
 * the CSRF header the server requires. The reply is parsed with `schema` (null: no body).
 */
export async function request<S extends z.ZodTypeAny>(path: string, schema: S | null, options: RequestOptions = {}): Promise<z.infer<S>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers[CSRF_HEADER] = CSRF_HEADER_VALUE;
    headers['content-type'] = 'application/json';
  }
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), options.timeoutMs ?? 10_000);
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      signal: ctrl.signal,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new OfflineError('offline');
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) {
    let code = 'INTERNAL';
    let message = `HTTP ${res.status}`;
    try {
      const body = ErrorBodySchema.safeParse(await res.json());
      if (body.success) ({ code, message } = body.data.error);
    } catch {
      // not JSON: keep the status
    }
    const retry = Number(res.headers.get('retry-after'));
    if (res.status === 401 && code === 'UNAUTHENTICATED' && options.sessionBound !== false) sessionEnded?.();
    throw new ApiError(res.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  if (schema === null || res.status === 204) return undefined as z.infer<S>;
  const parsed = schema.safeParse(await res.json());
  if (!parsed.success) throw new ApiError(res.status, 'BAD_MESSAGE', 'unexpected reply from the server');
  return parsed.data;
}
