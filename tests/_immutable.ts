/**
 * Folders that refuse writes even to root, for the tests of "cannot be written" paths: the tests
 * may run as root, whom file modes do not stop, but an immutable folder (`chattr +i`) refuses
 * root too (EPERM).
 */

import { type ScratchFolder, scratchFolder } from "./_made_folders.ts";

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
 * on a file system that has the flag. Tests that need it are skipped elsewhere. The probe goes
 * again with the folders it made for `parent` (it ran as a test file loaded, and left an empty
 * build/notebooks/ in a checkout that had none).
 */
export function canMakeImmutable(parent?: string): boolean {
  const { path, remove } = parent === undefined
    ? temporaryProbe()
    : scratchFolder(parent, "chattr-probe-");
  try {
    setImmutable(path, true);
    setImmutable(path, false);
    return true;
  } catch {
    return false; // no chattr, or not allowed here
  } finally {
    remove();
  }
}

/** A probe folder in the temporary folder, and what removes it. */
function temporaryProbe(): ScratchFolder {
  const path = Deno.makeTempDirSync({ prefix: "chattr-probe-" });
  return { path, remove: () => Deno.removeSync(path, { recursive: true }) };
}
