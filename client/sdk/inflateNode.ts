import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Inflater } from './inflate';

const inflateRaw = promisify(zlib.inflateRaw);

/**
 * Raw DEFLATE with Node's zlib, on libuv's threadpool: for Node programs (scripts, the benches),
 * given as `CrisisClientOptions.inflater`. Never imported by the SDK itself, so the browser
 * bundle does not pull node:zlib.
 */
export const nodeInflater: Inflater = async (deflated) => {
  // 1 MB output chunks: zlib's default 16 KB costs an event-loop turn per 16 KB (400 for a 6.5 MB log).
  const out = await inflateRaw(deflated, { chunkSize: 1024 * 1024 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};
