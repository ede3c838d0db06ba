// Timing helpers shared by the benchmarks: the median of `rounds` runs.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** The median wall time of `fn` over `rounds` runs, in ms. */
export function time(fn, rounds) {
  const t = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}
