/**
 * Gaps found by hand mutation testing (session 52) of lib/data/atomic_write.ts: each test fails on
 * a small change that leaves a temporary behind or names a failure wrongly, and passes on the code.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { makeFolders, writeFilesAtomically } from "../../lib/data/atomic_write.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

Deno.test("writeFilesAtomically: a rename that fails removes its own temporary too, not only the later ones", () => {
  const dir = Deno.makeTempDirSync();
  const renameSync = Deno.renameSync;
  // The second rename fails (a disk error: every folder exists, so no check before the renames
  // can see it) after the first file was renamed into place.
  let renames = 0;
  Deno.renameSync = (from, to) => {
    if (++renames === 2) throw new Deno.errors.PermissionDenied(`rename '${from}' -> '${to}'`);
    renameSync(from, to);
  };
  try {
    Deno.mkdirSync(`${dir}/out`);
    Deno.mkdirSync(`${dir}/scratch`);
    assertThrows(
      () =>
        writeFilesAtomically([
          { path: `${dir}/out/a.txt`, data: "a", temporaryFolder: `${dir}/scratch` },
          { path: `${dir}/out/b.txt`, data: "b", temporaryFolder: `${dir}/scratch` },
        ]),
      Deno.errors.PermissionDenied,
    );
    assertEquals(renames, 2);
    assertEquals([...Deno.readDirSync(`${dir}/scratch`)].map((entry) => entry.name), []);
  } finally {
    Deno.renameSync = renameSync;
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeFilesAtomically: a target's missing folder, its temporary elsewhere, is found before any file switches", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/out`);
    Deno.mkdirSync(`${dir}/scratch`);
    Deno.writeTextFileSync(`${dir}/out/a.txt`, "earlier");
    const error = assertThrows(
      () =>
        writeFilesAtomically([
          { path: `${dir}/out/a.txt`, data: "a", temporaryFolder: `${dir}/scratch` },
          { path: `${dir}/missing/b.txt`, data: "b", temporaryFolder: `${dir}/scratch` },
        ]),
      Deno.errors.NotFound,
    );
    assertEquals(error.message.endsWith(`-> '${dir}/missing/b.txt'`), true, error.message);
    // All or nothing: the first target keeps its earlier version, no temporary stays.
    assertEquals(Deno.readTextFileSync(`${dir}/out/a.txt`), "earlier");
    assertEquals([...Deno.readDirSync(`${dir}/scratch`)].map((entry) => entry.name), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeFilesAtomically: a failed write names its file once, and keeps the system's error code", () => {
  const dir = Deno.makeTempDirSync();
  const writeSync = Deno.FsFile.prototype.writeSync;
  // A full disk: the system's message names no file, its code says which failure it is.
  const full = Object.assign(new Error("No space left on device (os error 28)"), {
    code: "ENOSPC",
  });
  Deno.FsFile.prototype.writeSync = () => {
    throw full;
  };
  try {
    const path = `${dir}/report.html`;
    const error = assertThrows(() => writeFilesAtomically([{ path, data: "x" }])) as
      & Error
      & { code?: string };
    assertEquals([error.message, error.cause, error.code], [
      `${path}: ${full.message}`,
      full,
      "ENOSPC",
    ]);
  } finally {
    Deno.FsFile.prototype.writeSync = writeSync;
  }
  try {
    // A failed open names the temporary, whose name holds the target's: that message is kept
    // as it is, not prefixed with the target a second time.
    const path = `${dir}/gone/report.html`;
    const error = assertThrows(() => writeFilesAtomically([{ path, data: "x" }])) as Error;
    assertEquals(error.message.split(path).length - 1, 1, error.message);
    assertEquals(error.message.startsWith(`${path}: `), false, error.message);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("makeFolders: the undo removes only the folders it made, never one that was there", () => {
  const dir = Deno.makeTempDirSync(); // empty, so removable: the undo must leave it
  try {
    const removeMade = makeFolders(`${dir}/a/b`);
    assertEquals(Deno.statSync(`${dir}/a/b`).isDirectory, true);
    removeMade();
    assertEquals([...Deno.readDirSync(dir)], []);
    assertEquals(Deno.statSync(dir).isDirectory, true);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("makeFolders: a mkdir that fails partway removes the folders it made before it throws", () => {
  const dir = Deno.makeTempDirSync();
  const mkdirSync = Deno.mkdirSync;
  const full = new Error("No space left on device (os error 28)");
  // A full disk after the first of two new folders.
  Deno.mkdirSync = (() => {
    mkdirSync(`${dir}/a`);
    throw full;
  }) as typeof Deno.mkdirSync;
  try {
    const error = assertThrows(() => makeFolders(`${dir}/a/b`));
    assertEquals(error, full);
  } finally {
    Deno.mkdirSync = mkdirSync;
  }
  try {
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeFilesAtomically: bare file names with a temporary folder each get a temporary of their own", async () => {
  // A bare name needs its own working folder, so a child process changes folder, not this one.
  // Its clock is held still so that two temporaries made in one millisecond are named alike but
  // for the file's name.
  const code = `
    import { writeFilesAtomically } from ${projectModule("lib/data/atomic_write.ts")};
    Date.now = () => 1;
    const dir = Deno.makeTempDirSync();
    Deno.mkdirSync(dir + "/scratch");
    Deno.chdir(dir);
    writeFilesAtomically([
      { path: "items.json", data: "items", temporaryFolder: "scratch" },
      { path: "users.json", data: "users", temporaryFolder: "scratch" },
    ]);
    const seen = [
      Deno.readTextFileSync("items.json"),
      Deno.readTextFileSync("users.json"),
      [...Deno.readDirSync("scratch")].length,
    ];
    Deno.chdir("/");
    Deno.removeSync(dir, { recursive: true });
    console.log(JSON.stringify(seen));
  `;
  assertEquals(await evalInSubprocess(code), ["items", "users", 0]);
});
