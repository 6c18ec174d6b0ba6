/**
 * A test body run in a fresh temporary results folder, removed afterwards whatever happened: the
 * cellModel tests' results folder. One home, so that the files' clean-ups cannot drift apart.
 */

/** `body` as a test function, given a new temporary folder that is removed after it. */
export function inResultsDir(
  body: (resultsDir: string) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const resultsDir = Deno.makeTempDirSync();
    try {
      await body(resultsDir);
    } finally {
      Deno.removeSync(resultsDir, { recursive: true });
    }
  };
}
