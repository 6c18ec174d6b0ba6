/**
 * `reproduce` with its arguments, on a results folder whose disk is full for the cells' epoch
 * checkpoints: each write into a file created under a `checkpoints/` folder fails with ENOSPC, as
 * the system's error does (code "ENOSPC"). Run by tests/experiments/cell_command_test.ts.
 */
const full = new WeakSet<Deno.FsFile>();
const { openSync } = Deno;
Deno.openSync = (path, options) => {
  const file = openSync(path, options);
  if (String(path).includes("/checkpoints/")) full.add(file);
  return file;
};
const { writeSync } = Deno.FsFile.prototype;
Deno.FsFile.prototype.writeSync = function (this: Deno.FsFile, data: Uint8Array) {
  if (!full.has(this)) return writeSync.call(this, data);
  throw Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" });
};
await import("../../scripts/reproduce.ts");
