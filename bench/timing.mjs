// Timing helpers shared by the benchmarks: the median of `rounds` runs.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * The median wall time of `fn` over `rounds` runs, in ms. Under `node
 * --expose-gc` the JS heap is collected before each run, so a run pays
 * for the garbage it makes, not for what was made before it (a million
 * scorecards just built leave a collection of ~1 s due).
 */
export function time(fn, rounds) {
  const t = [];
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}
