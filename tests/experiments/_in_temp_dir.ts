/** A test body run in a fresh temporary folder, removed afterwards whatever the body did. */

/** `body` run in a new temporary folder, as a `Deno.test` function. */
export function inTempDir(body: (directory: string) => void): () => void {
  return () => {
    const directory = Deno.makeTempDirSync();
    try {
      body(directory);
    } finally {
      Deno.removeSync(directory, { recursive: true });
    }
  };
}
