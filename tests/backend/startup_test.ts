/**
 * A clean start-up: importing the library and choosing the backend prints one line a newcomer
 * understands, and no deprecation warning (danfojs-node's dependencies load the deprecated
 * `punycode` built-in; lib/data/_quiet_punycode.ts).
 */
import { assertEquals, assertMatch } from "@std/assert";

Deno.test("start-up prints one backend line and no warnings", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const script = `${root}.cache/startup_check_${Deno.pid}.ts`;
  Deno.mkdirSync(`${root}.cache`, { recursive: true });
  Deno.writeTextFileSync(
    script,
    'import { initBackend } from "../mod.ts";\nawait initBackend();\n',
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
  } finally {
    Deno.removeSync(script);
  }
});
