/**
 * makeFolders (lib/data/atomic_write.ts), the one home of `mkdir -p` with its undo for the library
 * and the scripts (scripts/run_notebooks.ts and scripts/kubernetes/generate.ts had copies): what
 * it makes, what its remover takes back, and what it leaves.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { makeFolders } from "../../lib/data/mod.ts";
import { tree } from "../_tree.ts";

Deno.test("makeFolders: makes the missing folders, and its remover takes back only those", () => {
  const dir = Deno.makeTempDirSync({ prefix: "make_folders_test_" });
  try {
    Deno.mkdirSync(`${dir}/there`);
    const remove = makeFolders(`${dir}/there/a/b`);
    assertEquals(tree(dir), ["there/", "there/a/", "there/a/b/"]);
    remove();
    assertEquals(tree(dir), ["there/"]);
    // Everything there already: nothing to make, nothing to take back.
    makeFolders(`${dir}/there`)();
    assertEquals(tree(dir), ["there/"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("makeFolders: a folder another writer put a file in meanwhile stays, with its parents", () => {
  const dir = Deno.makeTempDirSync({ prefix: "make_folders_test_" });
  try {
    const remove = makeFolders(`${dir}/a/b/c`);
    Deno.writeTextFileSync(`${dir}/a/b/other`, "");
    remove();
    // c was empty and goes; b holds the other file, so it and a stay; removing twice is no error.
    assertEquals(tree(dir), ["a/", "a/b/", "a/b/other"]);
    remove();
    assertEquals(tree(dir), ["a/", "a/b/", "a/b/other"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("makeFolders: a mkdir that fails part way leaves none of the folders it made", () => {
  const dir = Deno.makeTempDirSync({ prefix: "make_folders_test_" });
  try {
    // mkdir -p makes new/ first, then fails on the name too long: new/ used to stay behind (the
    // copy in scripts/run_notebooks.ts removed it; the library's did not).
    const error = assertThrows(() => makeFolders(`${dir}/new/${"x".repeat(300)}`));
    assertEquals(/too long/i.test(error.message), true, error.message);
    assertEquals(tree(dir), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
