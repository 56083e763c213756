import { AppError } from '../errors';
import type { BudgetConfig } from '../env/budgetEnv';

interface Window {
  start: number;
  bytes: number;
  records: number;
}

const MINUTE = 60_000;

/**
 * Bytes and records per minute, per member and per incident, on each part (issue 13, item 5),
 * in fixed one-minute windows kept in memory (one node's share: several nodes each allow it,
 * which is still a bound). The bytes are checked before the update is even decoded, so a flood
 * of large updates is refused for the price of a map lookup; the records once the guard has
 * counted them. A refusal is QUOTA_EXCEEDED and the update changes nothing; what an accepted
 * update spends is charged only once it is admitted.
 */
export class UpdateBudgets {
  private readonly windows = new Map<string, Window>();
  private sweepAt = 0;

  constructor(private readonly config: Pick<BudgetConfig, 'budgetMemberBytesPerMinute' | 'budgetMemberRecordsPerMinute' | 'budgetIncidentBytesPerMinute' | 'budgetIncidentRecordsPerMinute' | 'budgetRecordBytes'>) {}

  /** Before decoding: would these bytes overspend the sender's or the incident's budget on this document? */
  checkBytes(doc: string, userId: string, bytes: number, now = Date.now()): void {
    const member = this.window(`${doc}\u0000${userId}`, now);
    const all = this.window(doc, now);
    if (member.bytes + bytes > this.config.budgetMemberBytesPerMinute) refuse(`your budget of ${this.config.budgetMemberBytesPerMinute} bytes a minute on ${doc} is spent`);
    if (all.bytes + bytes > this.config.budgetIncidentBytesPerMinute) refuse(`the incident's budget of ${this.config.budgetIncidentBytesPerMinute} bytes a minute on ${doc} is spent`);
  }

  /** After the guard counted the records: refuses, or charges bytes and records to both budgets. */
  charge(doc: string, userId: string, bytes: number, records: number, largestRecordBytes: number, now = Date.now()): void {
    if (largestRecordBytes > this.config.budgetRecordBytes) refuse(`a record may take at most ${this.config.budgetRecordBytes} bytes (this edit brings ${largestRecordBytes} to one)`);
    const member = this.window(`${doc}\u0000${userId}`, now);
    const all = this.window(doc, now);
    this.checkBytes(doc, userId, bytes, now);
    if (member.records + records > this.config.budgetMemberRecordsPerMinute) refuse(`your budget of ${this.config.budgetMemberRecordsPerMinute} records a minute on ${doc} is spent`);
    if (all.records + records > this.config.budgetIncidentRecordsPerMinute) refuse(`the incident's budget of ${this.config.budgetIncidentRecordsPerMinute} records a minute on ${doc} is spent`);
    member.bytes += bytes;
    member.records += records;
    all.bytes += bytes;
    all.records += records;
  }

  private window(key: string, now: number): Window {
    if (now >= this.sweepAt) {
      // Old windows go once a minute: the map holds only who wrote in the last two minutes.
      for (const [k, w] of this.windows) if (now - w.start >= MINUTE) this.windows.delete(k);
      this.sweepAt = now + MINUTE;
    }
    let w = this.windows.get(key);
    if (!w || now - w.start >= MINUTE) {
      w = { start: now, bytes: 0, records: 0 };
      this.windows.set(key, w);
    }
    return w;
  }
}

function refuse(message: string): never {
  throw new AppError('QUOTA_EXCEEDED', `${message}: this edit is refused for good (not later); write less at a time`);
}
