/**
 * Folders that refuse writes even to root, for the tests of "cannot be written" paths: the tests
 * may run as root, whom file modes do not stop, but an immutable folder (`chattr +i`) refuses
 * root too (EPERM).
 */

/** Sets or clears the immutable flag of `path`; throws with chattr's message when it fails. */
export function setImmutable(path: string, immutable: boolean): void {
  const output = new Deno.Command("chattr", { args: [immutable ? "+i" : "-i", path] })
    .outputSync();
  if (!output.success) {
    throw new Error(`chattr on ${path}: ${new TextDecoder().decode(output.stderr).trim()}`);
  }
}

/**
 * Whether a folder made in `parent` (default: the temporary folder) can be made immutable: root
 * on a file system that has the flag. Tests that need it are skipped elsewhere.
 */
export function canMakeImmutable(parent?: string): boolean {
  if (parent !== undefined) Deno.mkdirSync(parent, { recursive: true });
  const probe = Deno.makeTempDirSync({
    ...(parent ? { dir: parent } : {}),
    prefix: "chattr-probe-",
  });
  try {
    setImmutable(probe, true);
    setImmutable(probe, false);
    return true;
  } catch {
    return false; // no chattr, or not allowed here
  } finally {
    Deno.removeSync(probe, { recursive: true });
  }
}
