// The model several tests share (as tests/common's `a_and_b` in Rust): one
// category of two 0..10 scales, `a` (weight 1) and `b` (weight 3), so the
// score is (a + 3b) / 4 × 10 and `a` alone is a coverage of 0.25; bands red
// 0, amber 50, green above 75; minCoverage 0.2. `extra` adds or replaces
// top-level fields.
export const aAndB = (extra = {}) => ({
  version: 1, id: 'a-and-b', minCoverage: 0.2,
  bands: [
    { id: 'red', label: 'Red', color: '#d55e00', from: 0 },
    { id: 'amber', label: 'Amber', color: '#e69f00', from: 50 },
    { id: 'green', label: 'Green', color: '#009e73', above: 75 },
  ],
  categories: [{ id: 'usage', weight: 1, measures: [
    { id: 'a', weight: 1, rule: { type: 'scale', min: 0, max: 10 } },
    { id: 'b', weight: 3, rule: { type: 'scale', min: 0, max: 10 } },
  ] }],
  ...extra,
});
