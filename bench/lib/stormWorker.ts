/**
 * A joiners process of the `storm` bench: at the moment it is given, each of its joiners opens
 * a socket.io connection and joins every part of one incident with an empty state vector (a
 * client with nothing cached: a new shift, a browser whose storage was cleared). A joiner is
 * live once every join is answered with the part's state; it does not apply the bytes to a
 * Y.Doc, so the joiners' own CPU stays out of the server's figures. Reports each joiner's time
 * to live and the bytes it received.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { io, type Socket } from 'socket.io-client';
import { EVENTS, JoinReplySchema, type HandshakeAuth } from '../../shared/protocol/messages';
import { DOC_PARTS, docName } from '../../shared/model/parts';
import { nowMs } from './stats';

export interface StormJob {
  url: string;
  token: string;
  incidentId: string;
  count: number;
  /** Epoch ms at which every joiner of every process starts. */
  startAt: number;
  /** Ask for compressed answers (`accept: ['deflate-raw']`); a compressed answer is inflated before the joiner counts as live. */
  deflate: boolean;
}

export interface StormReport {
  /** Per joiner, ms from startAt until every part was joined and its state received. */
  liveMs: number[];
  bytes: number;
}

const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const inflateRaw = promisify(zlib.inflateRaw);
const sockets: Socket[] = [];

process.on('message', (job: StormJob) => {
  void run(job).then(
    (report) => process.send?.({ report }),
    (err: unknown) => {
      process.send?.({ error: String(err) });
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });

async function run(job: StormJob): Promise<StormReport> {
  await new Promise((r) => setTimeout(r, Math.max(0, job.startAt - nowMs())));
  let bytes = 0;
  const liveMs = await Promise.all(
    Array.from({ length: job.count }, async () => {
      const socket = io(job.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: job.token, protocol: 1 } satisfies HandshakeAuth });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      await Promise.all(
        DOC_PARTS.map(
          (part) =>
            new Promise<void>((resolve, reject) => {
              const accept = job.deflate ? { accept: ['deflate-raw'] } : {};
              socket.emit(EVENTS.join, { doc: docName(job.incidentId, part), stateVector: EMPTY_STATE_VECTOR, ...accept }, (raw: unknown) => {
                const reply = JoinReplySchema.safeParse(raw);
                if (!reply.success || !reply.data.ok) return reject(new Error(`BENCH_JOIN_REFUSED: ${part}: ${JSON.stringify(raw).slice(0, 200)}`));
                for (const u of reply.data.updates) bytes += u.byteLength;
                if (!reply.data.encoding) return resolve();
                inflateRaw(reply.data.updates[0]!, { chunkSize: 1024 * 1024 }).then(() => resolve(), reject);
              });
            }),
        ),
      );
      return nowMs() - job.startAt;
    }),
  );
  return { liveMs, bytes };
}
