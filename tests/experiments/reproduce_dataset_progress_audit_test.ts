/**
 * `reproduce --dataset` says what it reads before the file is read: a file of two million
 * interactions took 21 s to read (2 busy cores) with nothing printed before its statistics. A
 * malformed file shows the line, then its one error line; `--list-cells --json` (read by
 * programs) prints no such line (reproduce_cli_test.ts parses its output).
 */
import { assertEquals } from "@std/assert";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { denoTask } from "../_deno_task.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("reproduce --dataset prints which file it reads before reading it", async () => {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_reading_line_" });
  try {
    Deno.writeTextFileSync(
      `${folder}/bad.inter`,
      "user_id:token\titem_id:token\ttimestamp:float\nu1\ti1\t1\nu1\ti2\tsoon\n",
    );
    const command = denoTask("reproduce");
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...taskPermissions(command, [folder]),
        command.split(/\s+/).at(-1)!,
        ...["--quick", "--seeds=0", "--workers=1", "--max-epochs=1"],
        ...["--dataset", `${folder}/bad`, "--format=recbole", "--results", `${folder}/results`],
      ],
      cwd: root,
      env: { DEMURE_BLAS_THREADS: "1" },
      stdin: "null",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 1, stderr);
    assertEquals(stdout, `reading dataset ${folder}/bad (recbole)\n`, stderr);
    assertEquals(stderr.startsWith(`reproduce: ${folder}/bad.inter:3: field`), true, stderr);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
