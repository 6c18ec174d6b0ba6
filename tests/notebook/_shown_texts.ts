/**
 * A stand-in for the kernel's display that keeps the plain text of every bundle shown, in order:
 * the one home of the recorder the cellsProgress tests each wrote out (progress_nc_gaps_test.ts
 * twice, cells_progress_mutants53_test.ts, live_cell_number51_test.ts).
 */
import type { DisplayApi } from "../../lib/notebook/mod.ts";

/** A display API whose every call appends its bundle's `text/plain` to `shown`. */
export function shownTexts(): { shown: string[]; api: DisplayApi } {
  const shown: string[] = [];
  const display = (bundle: unknown) => {
    shown.push(String((bundle as Record<string, unknown>)["text/plain"]));
    return Promise.resolve();
  };
  return { shown, api: { display } as unknown as DisplayApi };
}
