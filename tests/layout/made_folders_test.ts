/**
 * Tests that write in the checkout's results/ (the only place the `reproduce` task's permissions
 * let a probe write) remove what they made there, parents included: claims_test.ts,
 * reproduce_cli_test.ts and doc_examples_test.ts each removed their own folder and left an empty
 * results/ in a checkout that had none (session 45). tests/_made_folders.ts does it; this checks
 * it, and that no test makes a folder there by itself again.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { forgetClaimsUnder, removalOfMade, scratchFolder } from "../_made_folders.ts";
import { canMakeImmutable } from "../_immutable.ts";
import { tree } from "../_tree.ts";

const TESTS = new URL("../", import.meta.url).pathname;

/** Removes a test's temporary folder, and the claims of folders in it that it left. */
function removeTempDir(dir: string): void {
  Deno.removeSync(dir, { recursive: true });
  forgetClaimsUnder(dir);
}

Deno.test("scratchFolder: removes its folder and the parents it made, never one there before", () => {
  const dir = Deno.makeTempDirSync({ prefix: "made_folders_test_" });
  try {
    // Both parents missing: both made, both removed.
    const fresh = scratchFolder(`${dir}/results/sub`, "s-");
    Deno.writeTextFileSync(`${fresh.path}/f`, "x");
    assertEquals(tree(dir).length, 4);
    fresh.remove();
    assertEquals(tree(dir), []);
    // results/ there before: kept, with what it holds.
    Deno.mkdirSync(`${dir}/results`);
    Deno.writeTextFileSync(`${dir}/results/kept`, "");
    const inside = scratchFolder(`${dir}/results/sub`, "s-");
    inside.remove();
    assertEquals(tree(dir), ["results/", "results/kept"]);
    Deno.removeSync(`${dir}/results`, { recursive: true });
    // Another test's folder put in a parent this one made: that parent and its own stay.
    const mine = scratchFolder(`${dir}/results/sub`, "s-");
    Deno.mkdirSync(`${dir}/results/other`);
    mine.remove();
    assertEquals(tree(dir), ["results/", "results/other/"]);
    // Removed twice (a finally after a failed removal): nothing to do, no error.
    mine.remove();
  } finally {
    removeTempDir(dir);
  }
});

Deno.test("removalOfMade: what a command made at a missing path goes, with the missing parents", () => {
  const dir = Deno.makeTempDirSync({ prefix: "made_folders_test_" });
  try {
    const remove = removalOfMade(`${dir}/results/tiny/quick`);
    Deno.mkdirSync(`${dir}/results/tiny/quick/models`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/results/tiny/quick/models/best.json`, "{}");
    remove();
    assertEquals(tree(dir), []);
    // Nothing made (the command wrote nothing): nothing to remove, no error.
    removalOfMade(`${dir}/results/tiny/quick`)();
    // The path there before: nothing of it is removed, nor its parents.
    Deno.mkdirSync(`${dir}/results/tiny/quick`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/results/tiny/quick/cells.json`, "{}");
    removalOfMade(`${dir}/results/tiny/quick`)();
    removalOfMade(`${dir}/results/tiny`)();
    assertEquals(tree(dir), [
      "results/",
      "results/tiny/",
      "results/tiny/quick/",
      "results/tiny/quick/cells.json",
    ]);
    // A parent there before is kept, emptied or not.
    const below = removalOfMade(`${dir}/results/tiny/quick/new`);
    Deno.mkdirSync(`${dir}/results/tiny/quick/new/deep`, { recursive: true });
    below();
    assertEquals(tree(dir).length, 4);
  } finally {
    removeTempDir(dir);
  }
});

Deno.test("a parent made by one test and emptied by another goes, with the last test's folder", () => {
  // Test A made build/ and could not remove it (B's folder was in it); B found build/ there: an
  // empty build/ stayed after a large parallel run (session 45).
  const dir = Deno.makeTempDirSync({ prefix: "made_folders_test_" });
  try {
    const a = scratchFolder(`${dir}/build/sub`, "a-");
    const b = scratchFolder(`${dir}/build/sub`, "b-");
    const c = removalOfMade(`${dir}/build/sub/c`);
    Deno.mkdirSync(`${dir}/build/sub/c/deep`, { recursive: true });
    a.remove();
    assertEquals(tree(dir).length, 5);
    c();
    assertEquals(tree(dir).length, 3);
    b.remove();
    assertEquals(tree(dir), []);
    // In the other order too.
    const first = scratchFolder(`${dir}/build`, "a-");
    const second = scratchFolder(`${dir}/build`, "b-");
    second.remove();
    assertEquals(tree(dir).length, 2);
    first.remove();
    assertEquals(tree(dir), []);
  } finally {
    removeTempDir(dir);
  }
});

Deno.test("a claimed parent made again by someone else since (a killed run's claim) stays", () => {
  const dir = Deno.makeTempDirSync({ prefix: "made_folders_test_" });
  try {
    const a = scratchFolder(`${dir}/build`, "a-");
    const b = scratchFolder(`${dir}/build`, "b-");
    a.remove();
    // The run is killed before B's cleanup; build/ is removed and made again by a user. The old
    // folder is kept meanwhile, so that the new one cannot get its inode.
    Deno.renameSync(`${dir}/build`, `${dir}/old-build`);
    Deno.mkdirSync(`${dir}/build`);
    Deno.removeSync(`${dir}/old-build`, { recursive: true });
    const c = scratchFolder(`${dir}/build`, "c-");
    c.remove();
    assertEquals(tree(dir), ["build/"]);
    b.remove();
    assertEquals(tree(dir), ["build/"]);
  } finally {
    removeTempDir(dir);
  }
});

Deno.test("the results of record are never a test's to remove", () => {
  assertThrows(() => removalOfMade("/x/results-of-record/full/new"), Error, "results-of-record");
  assertThrows(() => scratchFolder("results-of-record/full", "s-"), Error, "results-of-record");
});

/** Every .ts module under tests/: paths from tests/. */
function testModules(dir = TESTS, prefix = ""): string[] {
  return [...Deno.readDirSync(dir)].flatMap((entry) => {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) return testModules(`${dir}${entry.name}/`, `${path}/`);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

Deno.test("no test makes a folder in the checkout's results/ but through tests/_made_folders.ts", () => {
  // A mkdir or makeTempDir of `${root}results...` (root: the checkout) leaves results/ behind
  // when the test made it; scratchFolder removes it again.
  const direct =
    /\b(mkdir|makeTempDir)(Sync)?\([^;]*\$\{(root|ROOT|PROJECT_ROOT)\}\/?results\b(?!-of-record)/;
  const found = testModules().filter((path) =>
    Deno.readTextFileSync(`${TESTS}${path}`).split("\n").some((line) =>
      !/^\s*(\/\/|\*)/.test(line) && direct.test(line)
    )
  );
  assertEquals(found, []);
});

Deno.test("canMakeImmutable: its probe in a folder goes again with the folders made for it", () => {
  // Run as run_notebooks_cli_test.ts loaded, it left an empty build/notebooks/ in a checkout that
  // had none.
  const dir = Deno.makeTempDirSync({ prefix: "made_folders_test_" });
  try {
    canMakeImmutable(`${dir}/build/notebooks`);
    assertEquals(tree(dir), []);
    // A folder there before stays, with what it holds.
    Deno.mkdirSync(`${dir}/build/notebooks`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/build/notebooks/kept`, "");
    canMakeImmutable(`${dir}/build/notebooks`);
    assertEquals(tree(dir), ["build/", "build/notebooks/", "build/notebooks/kept"]);
  } finally {
    removeTempDir(dir);
  }
});

Deno.test("every test that writes under the checkout's build/ removes what it made through tests/_made_folders.ts", () => {
  // A path under build/ (`build/...`, `${root}/build...`) in a test's code: a folder it or its
  // command makes. Removing only that folder left an empty build/ (build/notebooks/, from the
  // notebook runner's tests) in a checkout that had none (session 45).
  const underBuild = /[`"']build\/|\$\{(root|ROOT|PROJECT_ROOT)\}\/build\b/;
  const helper = /from "(\.\.?\/)+_made_folders\.ts"/;
  const found = testModules().filter((path) => {
    const text = Deno.readTextFileSync(`${TESTS}${path}`);
    const writes = text.split("\n").some((line) =>
      !/^\s*(\/\/|\*)/.test(line) && underBuild.test(line)
    );
    return writes && !helper.test(text);
  });
  assertEquals(found, []);
});
