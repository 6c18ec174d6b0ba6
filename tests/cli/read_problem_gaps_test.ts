/**
 * readProblem (scripts/cli/read_problem.ts), third mutation pass (round OF): a path named through
 * a symbolic link is read as what the link points to, and a dangling link is missing.
 */
import { assertEquals } from "@std/assert";
import { checkResultsFolder, readProblem } from "../../scripts/cli/read_problem.ts";

Deno.test("readProblem: a link to a folder is a folder, a link to a file a file, a dangling link missing", () => {
  // Found by mutation round OF (OF20): with lstat a results folder reached through a link (a
  // shared-storage link in the home folder) was "not a folder" and refused.
  const dir = Deno.makeTempDirSync({ prefix: "read_problem_links_" });
  try {
    Deno.mkdirSync(`${dir}/store`);
    Deno.writeTextFileSync(`${dir}/page.html`, "<html></html>");
    Deno.symlinkSync(`${dir}/store`, `${dir}/results`);
    Deno.symlinkSync(`${dir}/page.html`, `${dir}/page-link.html`);
    Deno.symlinkSync(`${dir}/gone`, `${dir}/dangling`);
    assertEquals(readProblem(`${dir}/results`, "folder"), undefined);
    assertEquals(readProblem(`${dir}/page-link.html`, "file"), undefined);
    assertEquals(readProblem(`${dir}/results`, "file"), "not a file");
    assertEquals(readProblem(`${dir}/dangling`, "file"), "no such file");
    checkResultsFolder(`${dir}/results`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
