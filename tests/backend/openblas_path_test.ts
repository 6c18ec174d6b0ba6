/**
 * An explicitly named BLAS library (DEMURE_OPENBLAS) is checked before `dlopen` would run its
 * constructors; the fixed system locations are used otherwise.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { checkNamedOpenBlas, OPENBLAS_CANDIDATES } from "../../lib/backend/kernels/_openblas.ts";

const dir = Deno.makeTempDirSync({ prefix: "openblas_path_" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

const systemLibrary = OPENBLAS_CANDIDATES.find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

Deno.test("named BLAS: a relative path is refused", () => {
  assertEquals(checkNamedOpenBlas("libopenblas.so.0"), "not an absolute path");
});

Deno.test("named BLAS: a missing file is refused", () => {
  assertStringIncludes(checkNamedOpenBlas(`${dir}/libopenblas.so.9`)!, "cannot inspect");
});

Deno.test("named BLAS: a library not named libopenblas* is refused (even through a link)", () => {
  const link = `${dir}/libopenblas_link.so`;
  Deno.writeTextFileSync(`${dir}/evil.so`, "\x7fELF");
  Deno.symlinkSync(`${dir}/evil.so`, link);
  assertStringIncludes(checkNamedOpenBlas(link)!, "not named libopenblas");
});

Deno.test("named BLAS: a text file named libopenblas.so is refused (not a shared library)", () => {
  const path = `${dir}/libopenblas.so`;
  Deno.writeTextFileSync(path, "cblas_sgemm\0 not a library");
  Deno.chmodSync(path, 0o644);
  assertStringIncludes(checkNamedOpenBlas(path)!, "not a shared library");
});

Deno.test("named BLAS: a group- or world-writable file is refused", () => {
  const path = `${dir}/libopenblas_w.so`;
  Deno.writeTextFileSync(path, "\x7fELF");
  Deno.chmodSync(path, 0o666);
  assertStringIncludes(checkNamedOpenBlas(path)!, "writable by group or others");
});

Deno.test("named BLAS: a shared library without the BLAS symbols is refused", () => {
  const path = `${dir}/libopenblas_nosym.so`;
  const elf = new Uint8Array(64);
  elf.set([0x7f, 0x45, 0x4c, 0x46]);
  Deno.writeFileSync(path, elf);
  Deno.chmodSync(path, 0o644);
  assertStringIncludes(checkNamedOpenBlas(path)!, "lacks the symbols cblas_sgemm");
});

Deno.test({
  name: "named BLAS: the system library passes the checks",
  ignore: systemLibrary === undefined,
  fn: () => assertEquals(checkNamedOpenBlas(systemLibrary!), undefined),
});

Deno.test("loadOpenBlas refuses a bad DEMURE_OPENBLAS before opening it: a SettingError naming it, not kept", async () => {
  const path = `${dir}/libopenblas_refused.so`;
  Deno.writeTextFileSync(path, "not a library");
  Deno.chmodSync(path, 0o644);
  const module = new URL("../../lib/backend/kernels/_openblas.ts", import.meta.url).href;
  // Refused every time it is asked (it used to be kept as "absent"), and once unset, the fixed
  // list is searched.
  const code = `import { loadOpenBlas, openBlasFailure } from "${module}";
const attempt = () => {
  try {
    return loadOpenBlas() !== undefined ? "loaded" : "absent: " + openBlasFailure();
  } catch (error) {
    return error.name + ": " + error.message;
  }
};
const refused = [attempt(), attempt()];
Deno.env.delete("DEMURE_OPENBLAS");
console.log(JSON.stringify({ refused, unset: attempt() }));`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { DEMURE_OPENBLAS: path },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(output.success, new TextDecoder().decode(output.stderr));
  const result = JSON.parse(new TextDecoder().decode(output.stdout));
  for (const refused of result.refused) {
    assertStringIncludes(refused, `SettingError: DEMURE_OPENBLAS is "${path}"; allowed: `);
    assertStringIncludes(refused, "refused before loading: ");
    assertStringIncludes(refused, "is not a shared library");
  }
  if (systemLibrary !== undefined) assertEquals(result.unset, "loaded");
  else assertStringIncludes(result.unset, "absent: ");
});
