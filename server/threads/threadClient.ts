import { Worker, type TransferListItem } from 'node:worker_threads';

/** What a thread answers to each request: its id, whether it worked, and why not. */
export interface ThreadReply {
  id: number;
  ok: boolean;
  message?: string;
  code?: string;
}

/**
 * One worker thread that answers requests, one message each way: `{ id, ...request }` in,
 * `{ id, ok, ... }` out, in order; `{ close: true }` asks it to finish and exit. The thread runs
 * `source` (plain CommonJS, evaluated: it runs as given under jest, tsx and the compiled server
 * alike, and finds its modules through `workerData`). It is started on the first request,
 * referenced only while a request is in flight, so an idle thread never keeps the process alive,
 * and started again after it dies.
 */
export class ThreadClient<Answer extends ThreadReply> {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { worker: Worker; resolve: (answer: Answer) => void; reject: (err: Error) => void }>();

  constructor(
    private readonly name: string,
    private readonly source: string,
    private readonly workerData: Record<string, unknown>,
  ) {}

  /** The thread's answer if it worked; its message (and `code`) as an error if not, or if the thread died meanwhile. */
  request(message: Record<string, unknown>, transfer: readonly TransferListItem[] = []): Promise<Answer> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      // Posted first: a message that cannot be sent (not cloneable) leaves no waiter behind to hold the thread referenced.
      worker.postMessage({ ...message, id }, transfer);
      this.waiting.set(id, { worker, resolve, reject });
      worker.ref();
    });
  }

  /** Resolves once the thread has answered what was asked before and exited. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Held until it has exited (a commit thread closes its connection first): nothing else may keep the process up meanwhile.
    worker.ref();
    worker.postMessage({ close: true });
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(this.source, { eval: true, workerData: this.workerData });
    worker.unref();
    worker.on('message', (m: Answer) => {
      const waiter = this.waiting.get(m.id);
      if (!waiter) return;
      this.waiting.delete(m.id);
      // A thread being closed stays referenced until it has exited.
      if (this.worker === worker && ![...this.waiting.values()].some((w) => w.worker === worker)) worker.unref();
      if (m.ok) waiter.resolve(m);
      else waiter.reject(Object.assign(new Error(m.message ?? `${this.name} failed`), { code: m.code }));
    });
    // A thread that dies takes its answers with it: its requests fail, and the next one starts a new thread.
    const died = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, waiter] of this.waiting) {
        if (waiter.worker !== worker) continue;
        this.waiting.delete(id);
        waiter.reject(err);
      }
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`${this.name} exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}
