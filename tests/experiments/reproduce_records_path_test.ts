/**
 * `reproduce` knows the records by path, not by spelling: `--results ./results-of-record/full/` is
 * the records, whose report goes to results/full with the README's tables, and not into the
 * records folder as any other folder's would. Run in a folder of its own holding copies of the
 * records and the README (the paths are relative to where reproduce runs), so nothing of the
 * checkout is written.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { copyFolder } from "../_copy_folder.ts";
import { inTempDir } from "./_in_temp_dir.ts";
import { reproduceIn } from "./_reproduce_in.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test(
  "reproduce --report-only --results ./results-of-record/full/ reports the records to results/full and the README",
  inTempDir(async (folder) => {
    copyFolder(`${root}results-of-record/full`, `${folder}/results-of-record/full`);
    Deno.copyFileSync(`${root}README.md`, `${folder}/README.md`);
    const { code, stdout, stderr } = await reproduceIn(
      folder,
      ["--report-only", "--results", "./results-of-record/full/"],
      { env: { DEMURE_BLAS_THREADS: "1" } },
    );
    assertEquals(code, 0, stdout + stderr);
    assertStringIncludes(stdout, "\nwrote results/full/summary.md\n");
    // The records' tables, as the README holds them.
    assertStringIncludes(stdout, "      README.md tables (unchanged)\n");
    // Every cell of the records is finished: no line of missing cells, not even "0 of".
    assertEquals(stdout.includes("cells are missing"), false, stdout);
    assertEquals(Deno.statSync(`${folder}/results/full/summary.md`).isFile, true);
  }),
);
