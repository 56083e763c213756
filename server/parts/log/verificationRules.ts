import * as Y from 'yjs';
import { ROOTS } from '../../../shared/model/parts';
import { parseJsonObject } from '../../../shared/model/common';
import { CLOCK_SKEW_MS } from '../../../shared/model/reportCadence';
import type { Refusal } from '../partModule';

/**
 * What a verification record claims must hold, since the current state of an entry is the latest
 * record by `at`: its `at` is not later than the server clock (plus the clock skew; earlier is
 * fine, an offline client sends late), and its `entryId` names an entry of the log, in the live
 * document or anywhere in the same update. One instance per update: an offline client's resync is
 * one update whose items come grouped by client id, so a record may come before the entry it
 * names (made in an earlier session, under another client id); those are settled by `finish`,
 * once the whole update has been read.
 */
export class VerificationRules {
  private readonly inserted = new Set<string>();
  private readonly awaited = new Set<string>();

  constructor(private readonly now: Date) {}

  /** Remembers a log entry this update inserts. */
  noteEntry(id: string): void {
    this.inserted.add(id);
  }

  /** One record, parsed; `live` is the server's verifications array (its document holds the log beside it). */
  check(record: Record<string, unknown>, live: Y.AbstractType<unknown> | null): Refusal | null {
    const atMs = typeof record.at === 'string' ? Date.parse(record.at) : NaN;
    if (!Number.isFinite(atMs) || atMs > this.now.getTime() + CLOCK_SKEW_MS) {
      return { code: 'UPDATE_INVALID_CONTENT', message: `a verification record's time may not be in the future (server clock, ± ${CLOCK_SKEW_MS / 60_000} min)` };
    }
    const entryId = record.entryId;
    if (typeof entryId !== 'string') return notAnEntry(entryId);
    if (!this.inserted.has(entryId) && !inLiveLog(live?.doc ?? null, entryId)) this.awaited.add(entryId);
    return null;
  }

  /** After the whole update was read: every entry a record names must have turned up. */
  finish(): Refusal | null {
    for (const entryId of this.awaited) if (!this.inserted.has(entryId)) return notAnEntry(entryId);
    return null;
  }
}

function notAnEntry(entryId: unknown): Refusal {
  return { code: 'UPDATE_INVALID_CONTENT', message: `a verification record must name an entry of the log (${JSON.stringify(entryId)} is not one)` };
}

/** Whether the live log holds an entry with this id: a cheap substring test first, parsing only candidates. */
function inLiveLog(doc: Y.Doc | null, entryId: string): boolean {
  const log = doc?.share.get(ROOTS.log);
  if (!(log instanceof Y.Array)) return false;
  for (const raw of log.toArray() as unknown[]) {
    if (typeof raw === 'string' && raw.includes(entryId) && parseJsonObject(raw)?.id === entryId) return true;
  }
  return false;
}

