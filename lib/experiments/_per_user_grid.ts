/**
 * Per-user test metrics (`CellResult.perUserTest`, run_cell.ts) are stored as whole multiples of
 * 1 / PER_USER_METRIC_STEPS: 6 decimals, enough for a metric in [0, 1], and each cell file stays
 * small. The paired tests over them rely on that grid (analyse.ts). A file of its own: analyse.ts
 * reads it without loading run_cell.ts's training code.
 *
 * @module
 */

/** Steps per unit of a stored per-user metric (1e6: 6 decimals). */
export const PER_USER_METRIC_STEPS = 1e6;
