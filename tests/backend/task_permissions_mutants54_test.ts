/**
 * scripts/task_permissions.ts as a command (mutation round mu54c): `--read DIR` reaches the
 * printed flags (reads only), and a task deno.json lacks is named, not a TypeError's message.
 * The function itself is pinned by tests/backend/task_permissions_test.ts.
 */
import { assertEquals } from "@std/assert";
import { taskPermissions } from "../../scripts/task_permissions.ts";

const root = new URL("../../", import.meta.url);
const tasks = (JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))) as {
  tasks: Record<string, string>;
}).tasks;

/** `task_permissions.ts ...args` from the project folder, under the flags its usage states. */
function taskPermissionsCommand(...args: string[]) {
  const output = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-read=deno.json", "scripts/task_permissions.ts", ...args],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("task_permissions.ts --read adds the folder to the reads only, beside --read-write", () => {
  const run = taskPermissionsCommand("reproduce", "--read-write", "/results", "--read", "/data");
  assertEquals([run.code, run.stderr], [0, ""]);
  const printed = run.stdout.trim();
  assertEquals(printed, taskPermissions(tasks.reproduce, ["/results"], ["/data"]).join(" "));
  const flag = (name: string) => printed.split(" ").find((word) => word.startsWith(`${name}=`));
  assertEquals(flag("--allow-read")?.endsWith(",/results,/data"), true, printed);
  assertEquals(flag("--allow-write")?.includes("/data"), false, printed);
});

Deno.test("task_permissions.ts: a task deno.json does not have is named, status 2", () => {
  const run = taskPermissionsCommand("no-such-task");
  assertEquals([run.code, run.stdout, run.stderr], [
    2,
    "",
    'task_permissions: deno.json has no task "no-such-task"\n',
  ]);
});
