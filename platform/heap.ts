// V8's old space for a server process that holds many requests in flight. Each request's objects
// live for its whole round trip, long enough to be promoted out of the young generation, and then
// die; by default V8 lets the old space grow to up to four times what the last full collection
// kept before collecting again. With 200 connections the API's heap went from 77 to 201 MB of
// mostly dead objects between two collections (--trace-gc), and its RSS to 334-403 MB. Measured
// by the http bench (creates, 20 and 200 connections): growing by 25% at a time kept RSS at
// 176-189 MB but cost ~30% more CPU per create (more full collections); 60% keeps it at ~200 MB
// with CPU per create within the default's noise (keyed create 1.89 ms against 1.96-1.99); 100%:
// 227 MB. An operator's own --heap-growing-percent on the command line wins.
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 60;

export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return false;
  // Read by V8 at every collection when it sets the next limit, so setting it at start applies.
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
