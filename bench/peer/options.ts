import { z } from 'zod';

export const PEER_WORKLOADS = ['latency', 'latency2', 'serial', 'watchers', 'bigdoc'] as const;
export type PeerWorkload = (typeof PEER_WORKLOADS)[number];

/**
 * Flags of `npm run bench -- peer`. The defaults make a quick run (minutes); the shape is
 * `--writers 50 --seconds 20 --watchers 5000 --entries 100000 --rounds 3`.
 */
export const PeerOptionsSchema = z
  .object({
    /** Writers of the latency workloads (each writes `rate` entries a second; all read). */
    writers: z.coerce.number().int().min(2).max(2000).default(10),
    seconds: z.coerce.number().min(1).max(600).default(5),
    rate: z.coerce.number().min(0.1).max(100).default(1),
    /** Client processes holding the clients or watchers of one side. */
    procs: z.coerce.number().int().min(1).max(16).default(2),
    /** How long the serial writer writes. */
    serialSeconds: z.coerce.number().min(1).max(600).default(3),
    watchers: z.coerce.number().int().min(1).max(20_000).default(200),
    decisions: z.coerce.number().int().min(1).max(1_000).default(5),
    /** Seconds each side settles before its memory is read and before the timed decisions (watchers). */
    settleSeconds: z.coerce.number().min(0).max(60).default(1),
    entries: z.coerce.number().int().min(1).max(1_000_000).default(5_000),
    rounds: z.coerce.number().int().min(1).max(20).default(2),
    /** Comma-separated subset of the workloads, in the order given. */
    workloads: z
      .string()
      .default(PEER_WORKLOADS.join(','))
      .transform((s) => s.split(',').map((w) => w.trim()))
      .pipe(z.array(z.enum(PEER_WORKLOADS)).min(1)),
    /** Whether the floor relay (bench/floor.ts) runs every workload but `bigdoc` too. */
    floor: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  })
  .strict();

export type PeerOptions = z.output<typeof PeerOptionsSchema>;
