/**
 * An explicitly named BLAS library (DEMURE_OPENBLAS) is checked before `dlopen` would run its
 * constructors; the fixed system locations are used otherwise.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { checkNamedOpenBlas, OPENBLAS_CANDIDATES } from "../../lib/backend/kernels/_openblas.ts";
import { evalInSubprocess } from "../_eval_in_subprocess.ts";

const dir = Deno.makeTempDirSync({ prefix: "openblas_path_" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

const systemLibrary = OPENBLAS_CANDIDATES.find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

/**
 * `body` after a prelude whose `attempt()` calls `loadOpenBlas()` and says how it went: "loaded",
 * "absent: " and `openBlasFailure()`, or the error's name and message. For a child process
 * (`evalInSubprocess`): the library reads DEMURE_OPENBLAS, which a test may not set in-process.
 */
function withAttempt(body: string): string {
  const module = new URL("../../lib/backend/kernels/_openblas.ts", import.meta.url).href;
  return `import { loadOpenBlas, openBlasFailure } from "${module}";
const attempt = () => {
  try {
    return loadOpenBlas() !== undefined ? "loaded" : "absent: " + openBlasFailure();
  } catch (error) {
    return error.name + ": " + error.message;
  }
};
${body}`;
}

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
  // Refused every time it is asked (it used to be kept as "absent"), and once unset, the fixed
  // list is searched.
  const result = await evalInSubprocess<{ refused: string[]; unset: string }>(
    withAttempt(`const refused = [attempt(), attempt()];
Deno.env.delete("DEMURE_OPENBLAS");
console.log(JSON.stringify({ refused, unset: attempt() }));`),
    { DEMURE_OPENBLAS: path },
  );
  for (const refused of result.refused) {
    assertStringIncludes(refused, `SettingError: DEMURE_OPENBLAS is "${path}"; allowed: `);
    assertStringIncludes(refused, "refused before loading: ");
    assertStringIncludes(refused, "is not a shared library");
  }
  if (systemLibrary !== undefined) assertEquals(result.unset, "loaded");
  else assertStringIncludes(result.unset, "absent: ");
});

/** Writes `bytes` to `name` in the temporary folder with `mode`; its path. */
function libraryFile(name: string, bytes: Uint8Array | string, mode = 0o644): string {
  const path = `${dir}/${name}`;
  if (typeof bytes === "string") Deno.writeTextFileSync(path, bytes);
  else Deno.writeFileSync(path, bytes);
  Deno.chmodSync(path, mode);
  return Deno.realPathSync(path);
}

/** A header of `magic` followed by the NUL-terminated names in `symbols`. */
function fakeLibrary(magic: number[], symbols: string[]): Uint8Array {
  const names = new TextEncoder().encode(symbols.map((symbol) => `${symbol}\0`).join(""));
  const bytes = new Uint8Array(64 + names.length);
  bytes.set(magic);
  bytes.set(names, 64);
  return bytes;
}

const ELF = [0x7f, 0x45, 0x4c, 0x46];
const BLAS_SYMBOLS = ["cblas_sgemm", "openblas_set_num_threads", "openblas_get_num_threads"];

Deno.test("named BLAS: the whole file name is libopenblas*.so* or .dylib, not a part of it", () => {
  // Found by mutation round CH (CH05, CH06): an unanchored pattern took these.
  for (const name of ["libopenblas.so.py", "libopenblas.dylib.sh", "evil_libopenblas.so.0"]) {
    const path = libraryFile(name, fakeLibrary(ELF, BLAS_SYMBOLS));
    assertEquals(
      checkNamedOpenBlas(path),
      `its file ${path} is not named libopenblas*.so* or libopenblas*.dylib`,
      name,
    );
  }
});

Deno.test("named BLAS: a folder named like the library is refused as not a regular file", () => {
  // (CH07) Without the check, reading it threw EISDIR out of the check instead of a reason.
  const path = `${dir}/libopenblas_folder.so`;
  Deno.mkdirSync(path);
  Deno.chmodSync(path, 0o755);
  assertEquals(checkNamedOpenBlas(path), `${Deno.realPathSync(path)} is not a regular file`);
});

Deno.test("named BLAS: writable by group alone, or by others alone, is refused with its mode", () => {
  // (CH08) Only the world-writable 0o666 was tested.
  for (const mode of [0o664, 0o646]) {
    const path = libraryFile(
      `libopenblas_${mode.toString(8)}.so`,
      fakeLibrary(ELF, BLAS_SYMBOLS),
      mode,
    );
    assertEquals(
      checkNamedOpenBlas(path),
      `${path} is writable by group or others (mode ${mode.toString(8)})`,
    );
  }
});

Deno.test("named BLAS: ELF and every Mach-O header pass, with the symbols", () => {
  // (CH09) A macOS library (64/32-bit, either byte order, universal) is a shared library too.
  const headers = [
    ELF,
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
  ];
  headers.forEach((magic, i) => {
    const path = libraryFile(`libopenblas_header${i}.dylib`, fakeLibrary(magic, BLAS_SYMBOLS));
    assertEquals(checkNamedOpenBlas(path), undefined, magic.join(","));
  });
});

Deno.test("named BLAS: a symbol counts only by its whole name; every missing one is named", () => {
  // (CH10) `cblas_sgemm_batch` is not `cblas_sgemm`; (CH11) all the missing names are listed.
  const batchOnly = libraryFile(
    "libopenblas_batch.so",
    fakeLibrary(ELF, ["cblas_sgemm_batch", "openblas_set_num_threads", "openblas_get_num_threads"]),
  );
  assertEquals(checkNamedOpenBlas(batchOnly), `${batchOnly} lacks the symbols cblas_sgemm`);
  const none = libraryFile("libopenblas_none.so", fakeLibrary(ELF, []));
  assertEquals(checkNamedOpenBlas(none), `${none} lacks the symbols ${BLAS_SYMBOLS.join(", ")}`);
});

Deno.test("loadOpenBlas: a named library that passes the checks but cannot be opened is a SettingError; an empty name is unset; the library is opened once", async () => {
  // (CH12) The dlopen error escaped without naming DEMURE_OPENBLAS; (CH02) an empty value was
  // refused as "not an absolute path" where every other setting reads it as unset; (CH03) each
  // call opened the library again and returned another object.
  const fake = libraryFile("libopenblas_fake.so.0", fakeLibrary(ELF, BLAS_SYMBOLS));
  const result = await evalInSubprocess<{ fake: string; empty: string; same: boolean }>(
    withAttempt(`const fake = attempt();
Deno.env.set("DEMURE_OPENBLAS", "");
const empty = attempt();
console.log(JSON.stringify({ fake, empty, same: loadOpenBlas() === loadOpenBlas() }));`),
    { DEMURE_OPENBLAS: fake },
  );
  assertStringIncludes(result.fake, `SettingError: DEMURE_OPENBLAS is "${fake}"; allowed: `);
  assertStringIncludes(result.fake, "(it cannot be loaded: ");
  if (systemLibrary !== undefined) assertEquals([result.empty, result.same], ["loaded", true]);
  else assertStringIncludes(result.empty, "absent: ");
});

Deno.test("openBlasFailure says why each place of the fixed list was not used", async () => {
  // Found by mutation round CH (CH28): only the first place's reason was kept. Without
  // --allow-ffi no place opens: each is "not found" or names its dlopen refusal.
  const folder = Deno.makeTempDirSync({ dir, prefix: "failure_" });
  const script = `${folder}/load.ts`;
  const module = new URL("../../lib/backend/kernels/_openblas.ts", import.meta.url).href;
  Deno.writeTextFileSync(
    script,
    `import { loadOpenBlas, openBlasFailure } from "${module}";
console.log(JSON.stringify({ loaded: loadOpenBlas() !== undefined, failure: openBlasFailure() }));`,
  );
  const env = Deno.env.toObject();
  delete env.DEMURE_OPENBLAS;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-read", "--allow-env", script],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(output.success, new TextDecoder().decode(output.stderr));
  const result = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
  assertEquals(result.loaded, false);
  const reasons = result.failure.split("; ");
  assertEquals(reasons.length, OPENBLAS_CANDIDATES.length, result.failure);
  OPENBLAS_CANDIDATES.forEach((path, i) => assert(reasons[i].startsWith(`${path}: `), reasons[i]));
});

Deno.test("named BLAS: a refusal names the file it looked at", () => {
  // Found by mutation round JM (JM21, JM22): a missing file's refusal lost the path and the
  // system's reason; a link's refusal must name the real file it leads to, whose name failed.
  const missing = `${dir}/libopenblas.so.8`;
  assertEquals(
    checkNamedOpenBlas(missing),
    `cannot inspect it (No such file or directory (os error 2): realpath '${missing}')`,
  );
  const target = libraryFile("other_blas.so", fakeLibrary(ELF, BLAS_SYMBOLS));
  const link = `${dir}/libopenblas_named_link.so`;
  Deno.symlinkSync(target, link);
  assertEquals(
    checkNamedOpenBlas(link),
    `its file ${target} is not named libopenblas*.so* or libopenblas*.dylib`,
  );
});

Deno.test("loadOpenBlas: DEMURE_OPENBLAS set after the fixed list failed is still tried, and says why it cannot be loaded", async () => {
  // Found by mutation round JM (JM25, JM26): with the fixed list's failure checked first, a
  // library named later in the process (a notebook setting it after a first initBackend) was
  // ignored as "absent"; and the reason it cannot be loaded is the error's own first line.
  // Without --allow-ffi no place of the fixed list opens, and the named one cannot be opened.
  const fake = libraryFile("libopenblas_late.so.0", fakeLibrary(ELF, BLAS_SYMBOLS));
  const module = new URL("../../lib/backend/kernels/_openblas.ts", import.meta.url).href;
  const code = `import { loadOpenBlas } from "${module}";
const attempt = () => {
  try {
    return loadOpenBlas() !== undefined ? "loaded" : "absent";
  } catch (error) {
    return error.name + ": " + error.message;
  }
};
const first = attempt();
Deno.env.set("DEMURE_OPENBLAS", ${JSON.stringify(fake)});
const named = attempt();
let direct = "";
try {
  Deno.dlopen(${JSON.stringify(fake)}, {});
} catch (error) {
  direct = error.message.split("\\n")[0];
}
console.log(JSON.stringify({ first, named, direct }));`;
  const folder = Deno.makeTempDirSync({ dir, prefix: "late_" });
  Deno.writeTextFileSync(`${folder}/late.ts`, code);
  const env = Deno.env.toObject();
  delete env.DEMURE_OPENBLAS;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-read", "--allow-env", `${folder}/late.ts`],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(output.success, new TextDecoder().decode(output.stderr));
  const result = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
  assertEquals(result.first, "absent");
  assert(result.direct !== "", "the fake library cannot be opened here");
  assertStringIncludes(result.named, `SettingError: DEMURE_OPENBLAS is "${fake}"; allowed: `);
  assertStringIncludes(result.named, `(it cannot be loaded: ${result.direct})`);
});

Deno.test("named BLAS: a refusal through a link names the real file it checked", () => {
  // Found by mutation round JM (JM31, JM32): every file tried was its own real path, so a refusal
  // naming the link instead of the file it leads to passed.
  const folder = `${dir}/libopenblas_real_folder.so`;
  Deno.mkdirSync(folder);
  const folderLink = `${dir}/libopenblas_folder_link.so`;
  Deno.symlinkSync(folder, folderLink);
  assertEquals(
    checkNamedOpenBlas(folderLink),
    `${Deno.realPathSync(folder)} is not a regular file`,
  );
  const bare = libraryFile("libopenblas_real_bare.so", fakeLibrary(ELF, []));
  const bareLink = `${dir}/libopenblas_bare_link.so`;
  Deno.symlinkSync(bare, bareLink);
  assertEquals(
    checkNamedOpenBlas(bareLink),
    `${bare} lacks the symbols ${BLAS_SYMBOLS.join(", ")}`,
  );
});

Deno.test({
  name: "loadOpenBlas: a library DEMURE_OPENBLAS names is opened once per process",
  ignore: systemLibrary === undefined,
  fn: async () => {
    // Found by mutation round JM (JM30): only the fixed list's library was checked to be kept;
    // the named one was opened (and fingerprinted) again on every call.
    const module = new URL("../../lib/backend/kernels/_openblas.ts", import.meta.url).href;
    const code = `import { loadOpenBlas } from "${module}";
const first = loadOpenBlas();
console.log(JSON.stringify({ path: first?.path, same: first === loadOpenBlas() }));`;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      env: { DEMURE_OPENBLAS: systemLibrary! },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(output.success, new TextDecoder().decode(output.stderr));
    const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
    assertEquals(JSON.parse(lines.at(-1)!), { path: systemLibrary, same: true });
  },
});
