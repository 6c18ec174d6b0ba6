/**
 * `readProblem` (scripts/cli/read_problem.ts) in words for each way a named path fails: missing,
 * the other kind, and an error other than NotFound, which keeps the system's cause instead of
 * being called missing. (Outside the task's reads: check_html_options_test, notebook_module_test.)
 */
import { assertEquals, assertMatch } from "@std/assert";
import { readProblem } from "../../scripts/cli/read_problem.ts";

Deno.test("readProblem: missing, the other kind, or unreadable for a cause other than NotFound", () => {
  const folder = Deno.makeTempDirSync({ prefix: "read_problem_" });
  try {
    const file = `${folder}/page.html`;
    Deno.writeTextFileSync(file, "<html></html>");
    assertEquals(readProblem(file, "file"), undefined);
    assertEquals(readProblem(folder, "folder"), undefined);
    assertEquals(readProblem(`${folder}/none.html`, "file"), "no such file");
    assertEquals(readProblem(`${folder}/none`, "folder"), "no such folder");
    assertEquals(readProblem(folder, "file"), "not a file");
    assertEquals(readProblem(file, "folder"), "not a folder");
    // A path through a file (ENOTDIR) exists in no sense, but is not "missing": the cause is said.
    for (const kind of ["file", "folder"] as const) {
      assertMatch(readProblem(`${file}/x`, kind) ?? "", /^cannot be read \(Not a directory/);
    }
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
