/**
 * `reproduce` knows the records by path, not by spelling: `--results ./results-of-record/full/` is
 * the records, whose report goes to results/full with the README's tables, and not into the
 * records folder as any other folder's would. Run in a folder of its own holding copies of the
 * records and the README (the paths are relative to where reproduce runs), so nothing of the
 * checkout is written.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { copyFolder } from "../_copy_folder.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("reproduce --report-only --results ./results-of-record/full/ reports the records to results/full and the README", async () => {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_records_path_" });
  try {
    copyFolder(`${root}results-of-record/full`, `${folder}/results-of-record/full`);
    Deno.copyFileSync(`${root}README.md`, `${folder}/README.md`);
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        ...["run", "-A", `${root}scripts/reproduce.ts`],
        ...["--report-only", "--results", "./results-of-record/full/"],
      ],
      cwd: folder,
      env: { DEMURE_BLAS_THREADS: "1" },
      stdin: "null",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assertEquals(output.code, 0, stdout + new TextDecoder().decode(output.stderr));
    assertStringIncludes(stdout, "\nwrote results/full/summary.md\n");
    // The records' tables, as the README holds them.
    assertStringIncludes(stdout, "      README.md tables (unchanged)\n");
    // Every cell of the records is finished: no line of missing cells, not even "0 of".
    assertEquals(stdout.includes("cells are missing"), false, stdout);
    assertEquals(Deno.statSync(`${folder}/results/full/summary.md`).isFile, true);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
