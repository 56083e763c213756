/**
 * What inflates a compressed join answer (docs/PROTOCOL.md, "Compressed join answers"). The SDK
 * advertises `accept: ['deflate-raw']` only when it has one. The default uses the web's
 * `DecompressionStream`, present in browsers (Chromium 80+, Firefox 113+, Safari 16.4+) and in
 * Node 18+, so this file imports nothing from Node and the browser bundle stays free of it;
 * Node programs may inject `nodeInflater` (inflateNode.ts, zlib) instead.
 */
export type Inflater = (deflated: Uint8Array) => Promise<Uint8Array>;

/** Raw DEFLATE through `DecompressionStream('deflate-raw')`; null where the runtime lacks it (older browsers throw on the format). */
export function streamInflater(): Inflater | null {
  if (typeof DecompressionStream === 'undefined' || typeof Blob === 'undefined' || typeof Response === 'undefined') return null;
  try {
    new DecompressionStream('deflate-raw');
  } catch {
    return null;
  }
  return async (deflated) => {
    const stream = new Blob([deflated as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
}

let chosen: Inflater | null | undefined;

/** The inflater a DocSync uses when given none: the stream one, looked up once. */
export function defaultInflater(): Inflater | null {
  if (chosen === undefined) chosen = streamInflater();
  return chosen;
}
