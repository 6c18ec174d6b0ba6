/**
 * A device-check child's timing (`EpochTiming`, scripts/cli/gpu_check_report.ts) for the report's
 * tests: one SASRec epoch of 4 steps on `backend`, `fields` replacing any of it.
 */
import type { EpochTiming } from "../../scripts/cli/gpu_check_report.ts";

/** A fabricated timing of `backend` (its reason "<backend> asked for"), with `fields` set. */
export function epochTiming(backend: string, fields: Partial<EpochTiming> = {}): EpochTiming {
  return {
    backend,
    system: "sasrec",
    reason: `${backend} asked for`,
    kernels: [],
    users: 64,
    items: 12101,
    steps: 4,
    trainSeconds: 2,
    validationSeconds: 0.5,
    loss: 9.123456,
    validNdcg10: 0.012345,
    ...fields,
  };
}
