/**
 * `reproduce` with its arguments, with each wait for a held claim lock ending after a few tries
 * (`withLockWaitsElapsing`) rather than minutes. Run by tests/experiments/claim_lock_wait_test.ts,
 * while a paused process holds a claim's lock.
 */
import { withLockWaitsElapsing } from "./_paused_lock.ts";

await withLockWaitsElapsing(() => import("../../scripts/reproduce.ts"));
