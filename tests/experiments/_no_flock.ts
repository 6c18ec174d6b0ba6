/**
 * Runs `action` as on a file system that gives no file locks: every `FsFile.lockSync` fails the
 * way flock(2) does on Lustre mounted without `-o flock` (ENOSYS).
 */
export async function withoutFlock<T>(action: () => T | Promise<T>): Promise<T> {
  const files = Deno.FsFile.prototype;
  const { lockSync } = files;
  files.lockSync = () => {
    throw new Error("Function not implemented (os error 38)");
  };
  try {
    return await action();
  } finally {
    files.lockSync = lockSync;
  }
}
