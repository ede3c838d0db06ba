// Facts the core owns and the JS side needs: limits, the band codes of
// columnar results, the insufficient-data band, the typing policy's texts,
// and how a path is written. Read once from the scoring module
// (`constantsJson`, `fieldPath`), never written out a second time in JS.

/**
 * @param {object} rt the scoring module's runtime
 * @param {object} codec the boundary codec (`call`, `parse`, `error`)
 */
export function makeFacts(rt, { call, parse, error }) {
  let constants;
  /** The core's constants (see `constantsJson` in src/wasm/mod.rs). */
  const facts = () => (constants ??= call(() => parse(rt.bindings.constantsJson())));

  /** Refuses a batch of more accounts than one call takes (before any work). */
  function checkBatch(n) {
    const max = facts().maxAccounts;
    if (n > max) {
      throw error('too_large', '', `${n} accounts is more than the limit`, `the limit is ${max} accounts per call; score the portfolio in parts, or as columns ({ columnar: true } or scoreColumns)`);
    }
  }

  /**
   * A scorecard's columnar band code: its band's index in `bandIndex` (a
   * Map of band id → index), the insufficient-data code, or the refused
   * code for a null scorecard; `other` for a band the map lacks (a model
   * set's other models).
   */
  function bandCode(card, bandIndex, other = facts().bandInsufficient) {
    if (card == null) return facts().bandRefused;
    if (card.band.id === facts().insufficientData.id) return facts().bandInsufficient;
    return bandIndex.get(card.band.id) ?? other;
  }

  /** Writes a scorecard into row `r` of columns `{ scores, bands, values?, low? }` (`low`: 1 when flagged `lowCoverage`). */
  function writeCard(card, r, out, bandIndex, other) {
    out.scores[r] = card?.score ?? NaN;
    out.bands[r] = bandCode(card, bandIndex, other);
    if (out.values) out.values[r] = card?.value ?? NaN;
    if (out.low) out.low[r] = card?.lowCoverage ? 1 : 0;
  }

  /** `base.key`, or `base["key"]` when the key is not a plain name: the core's paths. */
  const fieldPath = (base, key) => call(() => rt.bindings.fieldPath(base, key));

  /** The documented limits: inputs over them are refused up front with `too_large`. */
  function limits() {
    const f = facts();
    return {
      maxAccounts: f.maxAccounts,
      maxColumnCells: f.maxColumnCells,
      maxTableCells: f.maxCells,
      maxTableColumns: f.maxColumns,
      maxBands: f.maxBands,
      maxMeasures: f.maxMeasures,
      maxRuleEntries: f.maxRuleEntries,
      maxSetModels: f.maxSetModels,
      maxHistory: f.maxHistory,
      maxSeriesPoints: f.maxSeriesPoints,
      maxAccountBytes: f.maxAccountBytes,
      maxModelBytes: f.maxModelBytes,
      maxOverrideConditions: f.maxOverrideConditions,
      maxConditions: f.maxConditions,
      maxOverrideCandidates: f.maxOverrideCandidates,
      maxPlanChanges: f.maxPlanChanges,
      maxRollupLevers: f.maxRollupLevers,
      maxRollupChildren: f.maxRollupChildren,
      maxRollupDepth: f.maxRollupDepth,
      maxNoteChars: f.maxNoteChars,
    };
  }

  /** The public constants: band codes of columnar results, the insufficient-data band, the texts read as missing, true and false. */
  function publicConstants() {
    const f = facts();
    return {
      bandCodes: { insufficientData: f.bandInsufficient, refused: f.bandRefused },
      insufficientData: { ...f.insufficientData },
      missingTexts: [...f.missingTexts],
      trueTexts: [...f.trueTexts],
      falseTexts: [...f.falseTexts],
    };
  }

  return { facts, checkBatch, bandCode, writeCard, fieldPath, limits, constants: publicConstants };
}
