/**
 * The README's tables are written under the report tasks' own write permissions (deno.json: the
 * results folders and ./README.md, no other file beside it): the atomic write's temporary goes to
 * the results folder. Before, it went beside the README and the write was refused (NotCapable)
 * whenever the tables changed, so `deno task report` and the main job's last step crashed.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { README_TABLES_END, README_TABLES_START } from "../../lib/experiments/markdown_report.ts";

const root = new URL("../../", import.meta.url);
const tasks = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))).tasks as Record<
  string,
  string
>;

/** The value of `--name=...` in a task's command line. */
function flag(command: string, name: string): string {
  const match = new RegExp(`--${name}=(\\S+)`).exec(command);
  if (!match) throw new Error(`no --${name} in ${command}`);
  return match[1];
}

for (const task of ["report", "reproduce"]) {
  Deno.test(`deno task ${task}'s permissions: changed README tables are written, nothing left beside them`, async () => {
    const dir = Deno.makeTempDirSync({ prefix: "readme_tables_" });
    try {
      Deno.mkdirSync(`${dir}/results-of-record`);
      const readme = `# Title\n\n${README_TABLES_START}\n| old |\n${README_TABLES_END}\n\nprose\n`;
      Deno.writeTextFileSync(`${dir}/README.md`, readme);
      const module = new URL("lib/experiments/markdown_report.ts", root).href;
      Deno.writeTextFileSync(
        `${dir}/write.ts`,
        `import { updateReadmeTables } from "${module}";\n` +
          `console.log(updateReadmeTables("README.md", "| new |", "./results-of-record"));\n`,
      );
      const output = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-prompt",
          "--no-check",
          `--config=${new URL("deno.json", root).pathname}`,
          `--allow-read=${flag(tasks[task], "allow-read")}`,
          `--allow-write=${flag(tasks[task], "allow-write")}`,
          "write.ts",
        ],
        cwd: dir,
        env: { NO_COLOR: "1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assertEquals(output.code, 0, stderr);
      assertEquals(new TextDecoder().decode(output.stdout), "updated\n");
      const written = Deno.readTextFileSync(`${dir}/README.md`);
      assertStringIncludes(written, "| new |");
      assertStringIncludes(written, "\nprose\n");
      assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), [
        "README.md",
        "results-of-record",
        "write.ts",
      ]);
      assertEquals([...Deno.readDirSync(`${dir}/results-of-record`)], []);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  });
}
