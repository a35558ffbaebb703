// The reliability suite's two modes: `bounded` (the default, what CI runs: minutes) and `full`
// (SLAB5_RELIABILITY=full: thousands of fuzz cases, the PostgreSQL outage, the load runs).
export type ReliabilityMode = 'bounded' | 'full';

export function reliabilityMode(): ReliabilityMode {
  const mode = process.env.SLAB5_RELIABILITY ?? 'bounded';
  if (mode !== 'bounded' && mode !== 'full') throw new Error(`SLAB5_RELIABILITY must be bounded or full, not ${mode}`);
  return mode;
}
