/**
 * A clean start-up: importing the library and choosing the backend prints one line a newcomer
 * understands, and no deprecation warning (danfojs-node's dependencies load the deprecated
 * `punycode` built-in; lib/tables/_quiet_punycode.ts).
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";

Deno.test("start-up prints one backend line and no warnings", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const script = `${root}.cache/startup_check_${Deno.pid}.ts`;
  const kernelsFile = `${root}.cache/startup_kernels_${Deno.pid}.json`;
  Deno.mkdirSync(`${root}.cache`, { recursive: true });
  Deno.writeTextFileSync(
    script,
    'import { initBackend } from "../mod.ts";\nconst choice = await initBackend();\n' +
      `Deno.writeTextFileSync(${JSON.stringify(kernelsFile)}, JSON.stringify(choice.kernels));\n`,
  );
  try {
    const env = { ...Deno.env.toObject(), DEMURE_BACKEND: "" };
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", script],
      cwd: root,
      env,
      clearEnv: true,
    }).output();
    const out = new TextDecoder().decode(stdout).trim().split("\n");
    const err = new TextDecoder().decode(stderr).trim();
    assertEquals(code, 0, err);
    assertEquals(err, "", "nothing on stderr (no DeprecationWarning)");
    assertEquals(out.length, 1, out.join("\n"));
    assertMatch(out[0], /^backend: \w+/);
    assertEquals(out[0].includes("not found in registry"), false, out[0]);
    // OpenBLAS's kernels are named once, as OpenBLAS, and not counted among the others.
    const kernels: string[] = JSON.parse(Deno.readTextFileSync(kernelsFile));
    const blas = kernels.some((name) => name.endsWith("(openblas)"));
    const others = kernels.filter((name) => !name.endsWith("(openblas)")).length;
    assert(others > 0, kernels.join(", "));
    assertStringIncludes(out[0], `${blas ? " + OpenBLAS and " : " + "}${others} faster kernels (`);
  } finally {
    Deno.removeSync(script);
    try {
      Deno.removeSync(kernelsFile);
    } catch {
      // Not written: the start-up failed before, and its assertion says why.
    }
  }
});
