/**
 * A run of `reproduce` ends with the address of its report page, to open in a browser. Until
 * session 53 it listed the files it wrote relative to the project (`results/quick/report.html`)
 * and said nothing of how to read them, while the notebook runner names its pages by absolute
 * path and the Slurm route says to open report.html in a browser.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { fileURLToPath } from "node:url";
import { copyFolder } from "../_copy_folder.ts";
import { inTempDir } from "./_in_temp_dir.ts";
import { reproduceIn } from "./_reproduce_in.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test(
  "reproduce --report-only ends with the report page's file URL, which exists",
  inTempDir(async (folder) => {
    // The one committed quick cell: the report of a folder with cells missing, made in seconds.
    copyFolder(`${root}results-of-record/quick`, `${folder}/q`);
    const { code, stdout, stderr } = await reproduceIn(
      folder,
      ["--report-only", "--quick", "--results=q"],
      { env: { DEMURE_BLAS_THREADS: "1" } },
    );
    assertEquals(code, 0, stdout + stderr);
    assertStringIncludes(stdout, "\nwrote q/summary.md\n");
    const line = stdout.split("\n").find((l) => l.startsWith("open the report in a browser: "));
    assert(line, stdout);
    const url = line.slice("open the report in a browser: ".length);
    // An absolute address of the page this run wrote, whatever folder the reader is in.
    assertEquals(fileURLToPath(url), `${Deno.realPathSync(folder)}/q/report.html`);
    assertEquals(Deno.statSync(fileURLToPath(url)).isFile, true);
  }),
);
