/**
 * flock(2) as on a file system that gives no file locks: it fails the way Lustre mounted without
 * `-o flock` answers (ENOSYS). Put in place of `Deno.FsFile.prototype.lockSync` and `tryLockSync`.
 */
export function noFlock(): never {
  throw new Error("Function not implemented (os error 38)");
}

/** Runs `action` with every `FsFile.lockSync` and `tryLockSync` failing as {@linkcode noFlock}. */
export async function withoutFlock<T>(action: () => T | Promise<T>): Promise<T> {
  const files = Deno.FsFile.prototype;
  const { lockSync, tryLockSync } = files;
  files.lockSync = files.tryLockSync = noFlock;
  try {
    return await action();
  } finally {
    files.lockSync = lockSync;
    files.tryLockSync = tryLockSync;
  }
}
