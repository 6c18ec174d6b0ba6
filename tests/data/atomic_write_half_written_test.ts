/**
 * A set of files written together switches whole or not at all when a folder stands where one of
 * them goes (lib/data/atomic_write.ts): before, the files listed before it were switched, so a
 * RecBole export (write_recbole.ts) kept a new .inter beside its old .item.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { writeFilesAtomically } from "../../lib/data/atomic_write.ts";
import { writeRecBoleAtomic } from "../../lib/data/import/write_recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

Deno.test("writeFilesAtomically: a folder at the second target switches neither, names it", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/a.json`, "old");
    Deno.mkdirSync(`${dir}/b.json`);
    const error = assertThrows(() =>
      writeFilesAtomically([
        { path: `${dir}/a.json`, data: "new" },
        { path: `${dir}/b.json`, data: "new" },
        { path: `${dir}/c.json`, data: "new" },
      ])
    );
    assert(error instanceof Deno.errors.IsADirectory, `${error}`);
    assertStringIncludes(error.message, `'${dir}/b.json'`);
    // Before: a.json was "new" already.
    assertEquals(Deno.readTextFileSync(`${dir}/a.json`), "old");
    assertEquals(names(dir), ["a.json", "b.json"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeRecBoleAtomic: a folder at the .item keeps the old .inter, leaves no temporary", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/in.txt`, "u1 a b\nu2 b\n");
    const out = `${dir}/export`;
    Deno.writeTextFileSync(`${out}.inter`, "old inter\n");
    Deno.mkdirSync(`${out}.item`);
    const error = assertThrows(() => writeRecBoleAtomic(readSequenceFile(`${dir}/in.txt`), out));
    assertStringIncludes(error.message, `${out}.item`);
    assertEquals(Deno.readTextFileSync(`${out}.inter`), "old inter\n");
    assertEquals(names(dir), ["export.inter", "export.item", "in.txt"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
