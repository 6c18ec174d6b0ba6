/**
 * Every TypeScript example in README.md and docs/*.md runs as written: a reader copies them into a
 * script in the project folder (their imports name "./mod.ts"), so each is run exactly so.
 * (docs/data.md's example once lacked `initBackend()` and named a feature file that does not exist:
 * copied verbatim, it stopped at its first tensor.)
 */
import { assert, assertEquals } from "@std/assert";

const root = new URL("../../", import.meta.url).pathname;

/** The ```ts blocks of a markdown file, with the line each starts on. */
function typeScriptBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```ts") continue;
    const end = lines.findIndex((text, j) => j > i && text.trim() === "```");
    assert(end > i, `an unclosed \`\`\`ts block at line ${i + 1}`);
    blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return blocks;
}

const documents = [
  "README.md",
  ...[...Deno.readDirSync(`${root}docs`)]
    .filter((entry) => entry.name.endsWith(".md"))
    .map((entry) => `docs/${entry.name}`)
    .sort(),
];

Deno.test("the ```ts examples of README.md and docs/ run as written from the project folder", async () => {
  let ran = 0;
  for (const document of documents) {
    for (const { line, code } of typeScriptBlocks(Deno.readTextFileSync(`${root}${document}`))) {
      const script = `${root}.doc-example-${crypto.randomUUID().slice(0, 8)}.ts`;
      Deno.writeTextFileSync(script, code);
      try {
        const output = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", script],
          cwd: root,
          env: { DEMURE_BLAS_THREADS: "1" },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output();
        const stderr = new TextDecoder().decode(output.stderr);
        assertEquals(output.code, 0, `${document}:${line}: the example failed\n${stderr}`);
      } finally {
        Deno.removeSync(script);
      }
      ran += 1;
    }
  }
  // docs/data.md's example at least: a parser that found none would pass vacuously.
  assert(ran >= 1, "no ```ts example found");
});
