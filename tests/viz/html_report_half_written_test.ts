/**
 * writeHtmlReport (lib/viz/html_report.ts) leaves nothing half-written: a write that fails (a
 * folder where the report goes, a full disk) keeps the old report whole, leaves no temporary
 * beside it, and says which path failed.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { writeHtmlReport } from "../../lib/viz/mod.ts";
import { projectModule } from "../_eval_in_subprocess.ts";
import { runOnFullDisk } from "../_full_disk.ts";
import { inTempDir } from "./_temp_dir.ts";

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

Deno.test("writeHtmlReport: a folder at the path is an error naming it; no temporary left", async () => {
  await inTempDir("demure-report-", async (dir) => {
    const path = `${dir}/report.html`;
    Deno.mkdirSync(path);
    const error = await assertRejects(() =>
      writeHtmlReport(path, [{ kind: "text", markdown: "# New" }])
    );
    assertStringIncludes(error.message, path);
    // Before: report.html.<pid>.tmp stayed beside the folder.
    assertEquals(names(dir), ["report.html"]);
    assert(Deno.statSync(path).isDirectory);
  });
});

Deno.test("writeHtmlReport: a full disk keeps the old report whole, leaves no temporary", async () => {
  await inTempDir("demure-report-", async (dir) => {
    const path = `${dir}/report.html`;
    await writeHtmlReport(path, [{ kind: "text", markdown: "# Old" }]);
    const old = Deno.readTextFileSync(path);
    const run = await runOnFullDisk(
      `import { writeHtmlReport } from ${projectModule("lib/viz/mod.ts")};\n` +
        `try {\n` +
        `  await writeHtmlReport(Deno.args[0], [{ kind: "text", markdown: "# New" }]);\n` +
        `  console.log("written");\n` +
        `} catch (error) {\n` +
        `  console.log((error as Error).message);\n` +
        `}`,
      [path],
    );
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, `writeHtmlReport: ${path}: File too large`);
    assertEquals(Deno.readTextFileSync(path), old);
    // Before: report.html.<pid>.tmp stayed, cut short.
    assertEquals(names(dir), ["report.html"]);
  });
});

Deno.test("writeHtmlReport: a full disk under folders it made removes them again", async () => {
  await inTempDir("demure-report-", async (dir) => {
    const run = await runOnFullDisk(
      `import { writeHtmlReport } from ${projectModule("lib/viz/mod.ts")};\n` +
        `await writeHtmlReport(Deno.args[0], [{ kind: "text", markdown: "# New" }])` +
        `.catch((error) => console.log(error.message));`,
      [`${dir}/new/deeper/report.html`],
    );
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, `${dir}/new/deeper/report.html: File too large`);
    // Before: new/deeper stayed, empty.
    assertEquals(names(dir), []);
  });
});
