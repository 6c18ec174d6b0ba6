/**
 * The shape of a stored cell result, checked when it is read: the report, the listing and the
 * selection read hundreds of hand-editable JSON files, and a file without its test metrics (or
 * with a per-user array of another length) used to end in a TypeError deep in the analysis
 * instead of a line naming the file and the field.
 */
import type { CellResult } from "./run_cell.ts";

/** `value` as a {@linkcode CellResult}, or an error naming the first field that is not one. */
export function checkCellResult(value: unknown): CellResult {
  const bad = (field: string, found: unknown, expected: string): never => {
    const shown = JSON.stringify(found)?.slice(0, 60) ?? String(found);
    throw new Error(`field "${field}" is ${shown}, expected ${expected}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(value)) return bad("result", value, "an object");
  for (const field of ["system", "dataset"] as const) {
    if (typeof value[field] !== "string") bad(field, value[field], "a string");
  }
  for (const field of ["seed", "bestEpoch", "epochsRun", "maxEpochs"] as const) {
    if (!Number.isInteger(value[field]) || (value[field] as number) < 0) {
      bad(field, value[field], "an integer >= 0");
    }
  }
  for (const field of ["valid", "test"] as const) {
    const metrics = value[field];
    if (!isObject(metrics) || typeof metrics["NDCG@10"] !== "number") {
      bad(field, metrics, 'metrics by name (with "NDCG@10")');
    }
    for (const [name, metric] of Object.entries(metrics as Record<string, unknown>)) {
      if (typeof metric !== "number" || !Number.isFinite(metric)) {
        bad(`${field}.${name}`, metric, "a finite number");
      }
    }
  }
  const users = value.users;
  if (!Array.isArray(users) || !users.every((u) => Number.isInteger(u))) {
    bad("users", users, "an array of user ids");
  }
  const perUser = value.perUserTest;
  if (!isObject(perUser)) return bad("perUserTest", perUser, "an object");
  for (const metric of ["NDCG@10", "HR@10"]) {
    const values = perUser[metric];
    if (
      !Array.isArray(values) || values.length !== (users as unknown[]).length ||
      !values.every((v) => typeof v === "number" && Number.isFinite(v))
    ) {
      bad(
        `perUserTest.${metric}`,
        values,
        `${(users as unknown[]).length} finite numbers (one per user)`,
      );
    }
  }
  if (typeof value.capBound !== "boolean") bad("capBound", value.capBound, "true or false");
  // The summary's total and the listing's order add and compare it: a file without it made the
  // total NaN, without a word.
  const seconds = value.trainSeconds;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
    bad("trainSeconds", seconds, "a number of seconds >= 0");
  }
  if (!Array.isArray(value.history)) bad("history", value.history, "an array of epochs");
  if (!isObject(value.protocol)) bad("protocol", value.protocol, "an object");
  return value as unknown as CellResult;
}
