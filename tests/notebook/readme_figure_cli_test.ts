/**
 * `deno task readme-figure --from DIR` with DIR outside what the task may read: one line that says
 * how to run it, status 2. It read as "no kept model" (every read refused looks like a missing
 * file), and with the model's sidecar there it stopped with a NotCapable stack.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("readme-figure --from a folder outside the task's reads is one line naming the flag to add", async () => {
  const outside = await Deno.makeTempDir({ prefix: "readme_figure_from_" });
  try {
    const tasks = (JSON.parse(Deno.readTextFileSync(`${root}deno.json`)) as {
      tasks: Record<string, string>;
    }).tasks;
    const words = tasks["readme-figure"].split(/\s+/);
    const output = await new Deno.Command(Deno.execPath(), {
      args: [...words.slice(words.indexOf("run")), "--from", outside],
      cwd: root,
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 2, stderr);
    assertStringIncludes(
      stderr,
      `readme_figure: --from ${outside}: outside the task's --allow-read; deno run ` +
        `scripts/readme_figure.ts with the task's flags plus --allow-read=${outside}`,
    );
    assertEquals(stderr.trim().split("\n").length, 1, stderr);
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});
