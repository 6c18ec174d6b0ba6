/**
 * A write cut short by a full disk (a file-size limit of 0, tests/_full_disk.ts) throws from
 * writeFilesAtomically an error naming the file whose write failed (the system's message, "File
 * too large (os error 27)", names none), of the system's class and code, with the system's error
 * as cause: callers that tell errors by their class (Deno.errors.PermissionDenied) still can.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runOnFullDisk } from "../_full_disk.ts";
import { projectModule } from "../_eval_in_subprocess.ts";

Deno.test("writeFilesAtomically: a full disk names the file it cut short, same class and code", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/a.json`, "old");
    Deno.writeTextFileSync(`${dir}/b.json`, "old");
    const run = await runOnFullDisk(
      `import { writeFilesAtomically } from ${projectModule("lib/data/atomic_write.ts")};
       const dir = Deno.args[0];
       try {
         // An empty file is written whole under the limit: the second one is cut short.
         writeFilesAtomically([
           { path: dir + "/a.json", data: "" },
           { path: dir + "/b.json", data: "new" },
         ]);
         console.log("written");
       } catch (error) {
         const cause = error.cause ?? {};
         console.log(JSON.stringify({
           name: error.constructor.name,
           message: error.message,
           code: error.code,
           causeName: cause.constructor?.name,
           causeMessage: cause.message,
           causeCode: cause.code,
         }));
       }`,
      [dir],
    );
    assertEquals(run.code, 0, run.stderr);
    const error = JSON.parse(run.stdout.trim());
    assertStringIncludes(error.causeMessage, "File too large");
    assertEquals(error.message, `${dir}/b.json: ${error.causeMessage}`);
    assertEquals(error.name, error.causeName);
    // Deno gives this one no class of its own or code ("Error"): both are carried over as they are.
    assertEquals(error.code, error.causeCode);
    // Nothing switched, no temporary left.
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), [
      "a.json",
      "b.json",
    ]);
    assertEquals(Deno.readTextFileSync(`${dir}/a.json`), "old");
    assertEquals(Deno.readTextFileSync(`${dir}/b.json`), "old");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
