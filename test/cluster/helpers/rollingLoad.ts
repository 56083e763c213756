import type { CrisisClient } from '../../../client/sdk/crisisClient';
import type { IncidentSession } from '../../../client/sdk/incidentSession';
import { pace } from '../../helpers/poll';

/**
 * The writers of the rolling-upgrade scenario: SDK clients over a websocket and REST posters,
 * each writing one log entry at a time at a steady pace and noting when the server
 * acknowledged it (durable in PostgreSQL). Every attempt has a text of its own, so an entry
 * written twice would show in the log as two entries with one text. No jest in here.
 */

export interface Ack {
  id: string;
  text: string;
  /** Date.now() when the acknowledgement arrived. */
  at: number;
}

export interface LoadWriter {
  name: string;
  kind: 'sdk' | 'rest';
  acks: Ack[];
  /** Texts of every entry attempted, acknowledged or not. */
  attempts: string[];
  /** REST posts whose outcome is unknown (connection cut, 502/503/504): not acknowledged, never retried as such. */
  unacknowledged: string[];
  /** Answers that should never happen (a 4xx, a refused edit): the test asserts there are none. */
  errors: string[];
  /** Resolves when the loop has ended after stop() (an SDK writer's last entry acknowledged). */
  done: Promise<void>;
  finished: boolean;
}

export interface SdkMember {
  name: string;
  client: CrisisClient;
  session: IncidentSession;
}

/** Backoff of a REST poster after an answer that says "not now": 200–400 ms. */
const REST_RETRY_MS = 200;

export class WriterLoad {
  readonly writers: LoadWriter[] = [];
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly opts: {
      /** Pause between one acknowledgement and the next entry. */
      paceMs: number;
      /** Distinguishes this run's texts from any other's. */
      tag: string;
    },
  ) {}

  /** Called after every acknowledgement: a `subscribe` for waiting on progress. */
  readonly onProgress = (notify: () => void): (() => void) => {
    this.listeners.add(notify);
    return () => this.listeners.delete(notify);
  };

  addSdk(member: SdkMember): LoadWriter {
    const w = this.writer(member.name, 'sdk');
    member.session.onRejected((e) => w.errors.push(`refused: ${e.code} ${e.message}`));
    w.done = this.sdkLoop(w, member.session).finally(() => (w.finished = true));
    return w;
  }

  /** A poster to `POST /api/incidents/:id/log` at `baseUrl` with an API token. */
  addRest(name: string, baseUrl: string, incidentId: string, token: string): LoadWriter {
    const w = this.writer(name, 'rest');
    w.done = this.restLoop(w, `${baseUrl}/api/incidents/${incidentId}/log`, token).finally(() => (w.finished = true));
    return w;
  }

  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  acknowledged(): Ack[] {
    return this.writers.flatMap((w) => w.acks);
  }

  private writer(name: string, kind: 'sdk' | 'rest'): LoadWriter {
    const w: LoadWriter = { name, kind, acks: [], attempts: [], unacknowledged: [], errors: [], done: Promise.resolve(), finished: false };
    this.writers.push(w);
    return w;
  }

  private acked(w: LoadWriter, ack: Ack): void {
    w.acks.push(ack);
    for (const notify of [...this.listeners]) notify();
  }

  private text(w: LoadWriter): string {
    const text = `${w.name} #${w.attempts.length} ${this.opts.tag}`;
    w.attempts.push(text);
    return text;
  }

  private async sdkLoop(w: LoadWriter, session: IncidentSession): Promise<void> {
    while (!this.stopped) {
      const text = this.text(w);
      const entry = session.appendLog({ text });
      // Kept until the server has it durably: across disconnects and reconnects to other nodes.
      await session.whenAcknowledged();
      this.acked(w, { id: entry.id, text, at: Date.now() });
      await pace(this.opts.paceMs);
    }
  }

  private async restLoop(w: LoadWriter, url: string, token: string): Promise<void> {
    while (!this.stopped) {
      const text = this.text(w);
      let wait = this.opts.paceMs;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text }),
          signal: AbortSignal.timeout(20_000),
        });
        const body = await res.text();
        if (res.status === 201) {
          this.acked(w, { id: (JSON.parse(body) as { id: string }).id, text, at: Date.now() });
        } else if (res.status >= 500 || res.status === 429) {
          // Maybe written, maybe not: a REST call has no idempotency key, so the text is not
          // posted again (a new entry follows), and it is not counted as acknowledged.
          w.unacknowledged.push(text);
          wait = REST_RETRY_MS + Math.random() * REST_RETRY_MS;
        } else {
          w.errors.push(`POST log: ${res.status} ${body.slice(0, 200)}`);
          wait = REST_RETRY_MS;
        }
      } catch {
        w.unacknowledged.push(text);
        wait = REST_RETRY_MS + Math.random() * REST_RETRY_MS;
      }
      await pace(wait);
    }
  }
}

/**
 * A writer's longest time without service around a restart begun at `t0`: from its last
 * acknowledgement before t0 to its first after it (null when it has none after).
 */
export function ackGap(acks: Ack[], t0: number): number | null {
  let before: number | null = null;
  for (const a of acks) {
    if (a.at < t0) before = a.at;
    else return a.at - (before ?? t0);
  }
  return null;
}
