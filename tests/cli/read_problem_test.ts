/**
 * `readProblem` (scripts/cli/read_problem.ts) in words for each way a named path fails: missing,
 * the other kind, and an error other than NotFound, which keeps the system's cause instead of
 * being called missing. (Outside the task's reads: check_html_options_test, notebook_module_test.)
 */
import { assertEquals, assertMatch, assertThrows } from "@std/assert";
import { checkResultsFolder, readProblem } from "../../scripts/cli/read_problem.ts";
import { UsageError } from "../../scripts/cli/options.ts";

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

Deno.test("checkResultsFolder: a folder, or none yet, passes; a file or a path through one is refused", () => {
  const folder = Deno.makeTempDirSync({ prefix: "results_folder_" });
  try {
    const file = `${folder}/notes.txt`;
    Deno.writeTextFileSync(file, "not a results folder");
    checkResultsFolder(folder);
    checkResultsFolder(`${folder}/new/quick`); // the run makes it
    assertThrows(() => checkResultsFolder(file), UsageError, `--results ${file}: not a folder`);
    assertThrows(
      () => checkResultsFolder(`${file}/quick`),
      UsageError,
      `--results ${file}/quick: cannot be read (Not a directory`,
    );
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("readProblem: a path that is neither a file nor a folder (a device) is not a file", () => {
  // Found by mutation round GB (GB07): "file" is checked as isFile, not as "not a folder".
  assertEquals(readProblem("/dev/null", "file"), "not a file");
  assertEquals(readProblem("/dev/null", "folder"), "not a folder");
});

Deno.test("readProblem and checkResultsFolder under a narrow --allow-read: a folder inside is fine, one outside is refused by name", () => {
  // Found by mutation round JK (JK15, JK16): the permission is asked for this path (not for reads
  // in general), and a --results folder outside the task's reads stops before the run starts.
  const inside = Deno.makeTempDirSync({ prefix: "read_problem_in_" });
  const outside = Deno.makeTempDirSync({ prefix: "read_problem_out_" });
  const probe = new URL("./_read_problem_probe.ts", import.meta.url).pathname;
  try {
    const { code, stdout, stderr } = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-check",
        "--no-prompt",
        `--allow-read=${probe},${inside}`,
        probe,
        inside,
        outside,
      ],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    assertEquals(code, 0, new TextDecoder().decode(stderr));
    const outsideLine = "outside the task's --allow-read (add its folder: docs/permissions.md)";
    assertEquals(JSON.parse(new TextDecoder().decode(stdout)), [
      { problem: null, refused: null },
      { problem: outsideLine, refused: `UsageError: --results ${outside}: ${outsideLine}` },
    ]);
  } finally {
    Deno.removeSync(inside, { recursive: true });
    Deno.removeSync(outside, { recursive: true });
  }
});
