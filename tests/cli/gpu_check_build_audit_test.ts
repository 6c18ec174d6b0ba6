/**
 * `deno task gpu-check:build` (scripts/build_gpu_check.sh) reads its options in bash: `--out a
 * --out b` built into b without a word (every Deno script refuses an option given twice),
 * `--out --stage-only` built into a folder named "--stage-only", and `--out=DIR` was an "unknown
 * option". Each refusal is one line naming the option, status 2, before any folder is made.
 */
import { assertEquals } from "@std/assert";
import { buildGpuCheck } from "./_build_gpu_check.ts";

Deno.test("gpu-check:build: an option twice, an option for --out's folder, an empty --out= are refused", async () => {
  // Folders no refusal may make: each case names them (in a fresh temporary folder).
  const parent = await Deno.makeTempDir({ prefix: "gpu_check_build_audit_" });
  const [a, b] = [`${parent}/a`, `${parent}/b`];
  try {
    const cases: [string[], string][] = [
      [["--out", a, "--out", b], "--out given twice: give it once"],
      [[`--out=${a}`, "--out", b], "--out given twice: give it once"],
      [["--stage-only", "--stage-only", "--out", a], "--stage-only given twice: give it once"],
      [
        ["--out", "--stage-only"],
        "--out --stage-only: looks like an option, not a folder " +
        "(one starting with -: --out=--stage-only)",
      ],
      [
        ["--out", "-h"],
        "--out -h: looks like an option, not a folder (one starting with -: " +
        "--out=-h)",
      ],
      [["--out="], "--out needs a folder"],
    ];
    for (const [args, message] of cases) {
      const run = await buildGpuCheck(args);
      assertEquals(
        [run.code, run.stdout, run.stderr],
        [2, "", `gpu-check:build: ${message}\n`],
        args.join(" "),
      );
      assertEquals([...Deno.readDirSync(parent)], [], `${args.join(" ")} made a folder`);
    }
    // --out=DIR is --out DIR: with --help after it, the usage answers and nothing is built.
    const help = await buildGpuCheck([`--out=${a}`, "--help"]);
    assertEquals(help.code, 0, help.stderr);
    assertEquals([...Deno.readDirSync(parent)], []);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
