/**
 * A test body run in a fresh temporary folder, removed afterwards whatever the body did; and the
 * same with a `ResultStore` over that folder (the one home of both for the tests of the claims and
 * the store, which each had a copy of `withStore`; and of the cellModel tests' results folder,
 * which had its own copy as `inResultsDir` until session 53).
 */
import { ResultStore } from "../../lib/experiments/result_store.ts";

/** `body` run in a new temporary folder, as a `Deno.test` function. */
export function inTempDir(body: (directory: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const directory = Deno.makeTempDirSync();
    try {
      await body(directory);
    } finally {
      Deno.removeSync(directory, { recursive: true });
    }
  };
}

/** `body` given a `ResultStore` over a new temporary folder, and the folder, as a `Deno.test` function. */
export function withStore(
  body: (store: ResultStore, directory: string) => void | Promise<void>,
): () => Promise<void> {
  return inTempDir((directory) => body(new ResultStore(directory), directory));
}
