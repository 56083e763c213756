import type { ExportAudience } from '../../../../shared/timeline/audience';
import type { Lang } from '../i18n';
import { ApiError, OfflineError } from '../http';

/** The formats offered by the export menu (the SVG picture is the view itself). */
export const MENU_FORMATS = ['json', 'csv', 'md', 'html', 'pdf'] as const;
export type MenuFormat = (typeof MENU_FORMATS)[number];

export interface ExportChoice {
  format: MenuFormat;
  audience: ExportAudience;
  lang: Lang;
  tz: string;
  keyOnly: boolean;
}

/** The REST export route (server/transport/http/routes/timelineRoutes.ts) with the menu's choices. */
export function exportUrl(incidentId: string, c: ExportChoice): string {
  const q = new URLSearchParams({ format: c.format, audience: c.audience, lang: c.lang, tz: c.tz });
  if (c.keyOnly) q.set('keyOnly', 'true');
  return `/api/incidents/${encodeURIComponent(incidentId)}/timeline?${q.toString()}`;
}

/** Whether the browser knows the zone (the server checks it again). */
export function knownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.trim() !== '';
  } catch {
    return false;
  }
}

export interface Progress {
  received: number;
  /** From Content-Length when the server sent one (a streamed PDF has none). */
  total: number | null;
}

export interface Downloaded {
  blob: Blob;
  fileName: string;
}

function fileNameOf(disposition: string | null, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(disposition ?? '');
  return m ? m[1]! : fallback;
}

/**
 * Fetches an export as a stream, reporting every chunk received, so a large PDF shows its
 * progress and can be cancelled (`signal`). The file is only handed over once complete: a cut
 * response (the server destroys it on a failure mid-stream) ends in an error, never half a file.
 */
export async function fetchExport(url: string, onProgress: (p: Progress) => void, signal: AbortSignal): Promise<Downloaded> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', signal, headers: { accept: '*/*' } });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new OfflineError('offline');
  }
  // A cancel that crossed the answer on its way still cancels.
  signal.throwIfAborted();
  if (!res.ok) {
    let code = 'INTERNAL';
    let message = `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code === 'string' && typeof body.error.message === 'string') ({ code, message } = body.error as { code: string; message: string });
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(res.status, code, message);
  }
  const lengthHeader = Number(res.headers.get('content-length'));
  const total = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  onProgress({ received, total });
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (signal.aborted) {
        await reader.cancel().catch(() => undefined);
        signal.throwIfAborted();
      }
      chunks.push(value);
      received += value.byteLength;
      onProgress({ received, total });
    }
  }
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  return { blob: new Blob(chunks as BlobPart[], { type }), fileName: fileNameOf(res.headers.get('content-disposition'), 'timeline') };
}

/** Hands a finished file to the browser's downloads. */
export function saveFile({ blob, fileName }: Downloaded): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL is released once the browser has it.
  window.setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** "1.2 MB" / "1,2 Mo", in the reader's language and number format. */
export function byteSize(n: number, locale: string, lang: Lang): string {
  const [b, kb, mb] = lang === 'fr' ? ['o', 'ko', 'Mo'] : ['B', 'kB', 'MB'];
  const fmt = (v: number, unit: string) => `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v)}\u00a0${unit}`;
  if (n < 1_000) return fmt(n, b!);
  if (n < 1_000_000) return fmt(n / 1_000, kb!);
  return fmt(n / 1_000_000, mb!);
}
