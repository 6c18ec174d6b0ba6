/**
 * The OpenBLAS kernel set (lib/backend/blas_kernels.ts): by default the loader switches OpenBLAS to
 * the records' Haswell kernels, only where OpenBLAS says the CPU runs AVX2 (elsewhere they would
 * stop the process), an `OPENBLAS_CORETYPE` the user set is kept, `native` leaves the choice to
 * OpenBLAS, and a notice says when the kernels that run are not the records'. The subprocess tests
 * load the real library with the tasks' scoped permissions: on this kind of machine (AVX-512, where
 * OpenBLAS itself picks other kernels) they fail without the switch.
 */
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import {
  blasKernelSetting,
  chooseBlasCore,
  cpuFlagsOf,
  cpuRunsRecordsKernels,
  describeBlasKernels,
  RECORDS_BLAS_CORE,
  RECORDS_BLAS_FINGERPRINT,
  recordsKernelNotice,
} from "../../lib/backend/blas_kernels.ts";
import { OPENBLAS_CANDIDATES } from "../../lib/backend/kernels/_openblas.ts";

const records = { setting: "records" as const, openBlasCoreType: undefined };

Deno.test("chooseBlasCore: records where OpenBLAS says the CPU runs AVX2 switches to Haswell", () => {
  assertEquals(chooseBlasCore({ ...records, supportsAvx2: true }), { switchTo: "Haswell" });
  assertEquals(RECORDS_BLAS_CORE, "Haswell");
});

Deno.test("chooseBlasCore: never switches where Haswell's kernels cannot run, and says why", () => {
  const noAvx2 = chooseBlasCore({ ...records, supportsAvx2: false });
  assertEquals(noAvx2, {
    reason: "the records' kernels (Haswell) need AVX2, which this CPU lacks",
  });
  const fixed = chooseBlasCore({ ...records, supportsAvx2: undefined });
  assertEquals(fixed.switchTo, undefined);
  assertMatch(fixed.reason!, /cannot switch kernel sets .*not a DYNAMIC_ARCH x86-64 build/);
});

Deno.test("chooseBlasCore: the user's OPENBLAS_CORETYPE is kept; native switches nothing", () => {
  const user = chooseBlasCore({ ...records, supportsAvx2: true, openBlasCoreType: "SkylakeX" });
  assertEquals(user, { reason: "OPENBLAS_CORETYPE is SkylakeX" });
  assertEquals(chooseBlasCore({ ...records, setting: "native", supportsAvx2: true }), {});
});

Deno.test("blasKernelSetting: records by default, native, anything else a SettingError naming it", () => {
  // The text is passed in: setting the variable would race with the test modules running
  // beside this one in the same process (deno test --parallel).
  assertEquals([blasKernelSetting(undefined), blasKernelSetting("")], ["records", "records"]);
  assertEquals(blasKernelSetting("native"), "native");
  const error = assertThrows(() => blasKernelSetting("haswell"));
  assertEquals(error.name, "SettingError");
  assertEquals(
    error.message,
    'DEMURE_BLAS_KERNELS is "haswell"; allowed: records or native (unset: records)',
  );
});

Deno.test("recordsKernelNotice: only when the records' kernels were wanted and others run", () => {
  assertEquals(recordsKernelNotice(RECORDS_BLAS_FINGERPRINT, { setting: "records" }), undefined);
  assertEquals(recordsKernelNotice("031787c5", { setting: "native" }), undefined);
  const notice = recordsKernelNotice("031787c5", {
    setting: "records",
    reason: "OPENBLAS_CORETYPE is SkylakeX",
  })!;
  assert(notice.startsWith("OpenBLAS runs kernels 031787c5, not the records' 9b2841e5 (Haswell)"));
  assertMatch(notice, /OPENBLAS_CORETYPE is SkylakeX\. Reruns may differ from the records/);
  assertMatch(recordsKernelNotice("031787c5", { setting: "records" })!, /another build or version/);
  assertEquals(
    describeBlasKernels(RECORDS_BLAS_FINGERPRINT),
    "Haswell (the records' kernels, 9b2841e5)",
  );
  assertMatch(describeBlasKernels("031787c5"), /^OpenBLAS kernels 031787c5 \(not the records'/);
  assertEquals(describeBlasKernels(undefined), "tfjs's own kernels (no OpenBLAS)");
});

/** The first OpenBLAS of the usual places, or undefined (the loading tests are then skipped). */
const library = OPENBLAS_CANDIDATES.find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

/**
 * A fresh process that loads OpenBLAS and prints its notices, then `OPENBLAS_CORETYPE` and the
 * kernel fingerprint: with the tasks' scoped permissions (no /proc: the switch after opening), or
 * with -A (/proc/cpuinfo read: OPENBLAS_CORETYPE while opening).
 */
async function loadInSubprocess(env: Record<string, string>, allowAll = false) {
  const loader = new URL("../../lib/backend/kernels/_openblas.ts", import.meta.url);
  const code = `import { loadOpenBlas } from "${loader.href}";\n` +
    "const blas = loadOpenBlas();\n" +
    'console.log(JSON.stringify({ core: Deno.env.get("OPENBLAS_CORETYPE") ?? null, ' +
    "fingerprint: blas?.kernelFingerprint() ?? null }));\n";
  const folder = await Deno.makeTempDir({ prefix: "blas_kernels_" });
  const file = `${folder}/load.ts`;
  try {
    await Deno.writeTextFile(file, code);
    const inherited = { ...Deno.env.toObject() };
    delete inherited.OPENBLAS_CORETYPE;
    delete inherited.DEMURE_BLAS_KERNELS;
    const reads = [folder, new URL("../../lib/", import.meta.url).pathname, library!];
    const output = await new Deno.Command(Deno.execPath(), {
      args: allowAll ? ["run", "-A", file] : [
        "run",
        "--no-prompt",
        `--allow-read=${reads.join(",")}`,
        "--allow-env",
        `--allow-ffi=${library}`,
        file,
      ],
      env: { ...inherited, ...env },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout).trim().split("\n");
    assert(output.success, new TextDecoder().decode(output.stderr));
    return { lines: stdout.slice(0, -1), ...JSON.parse(stdout.at(-1)!) } as {
      lines: string[];
      core: string | null;
      fingerprint: string | null;
    };
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

const canHaveRecordsKernels = library !== undefined && cpuRunsRecordsKernels() === true;

Deno.test("cpuFlagsOf reads the first flags line of /proc/cpuinfo", () => {
  const text = "processor\t: 0\nflags\t\t: fpu sse2 avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu\n";
  assertEquals([...cpuFlagsOf(text)], ["fpu", "sse2", "avx2", "fma"]);
  assertEquals(cpuFlagsOf("processor\t: 0\n").size, 0);
});

Deno.test({
  name: "loading OpenBLAS on an AVX2 CPU runs the records' kernels, silently, by both routes",
  ignore: !canHaveRecordsKernels,
  fn: async () => {
    for (const allowAll of [false, true]) {
      const loaded = await loadInSubprocess({}, allowAll);
      assertEquals(loaded.fingerprint, RECORDS_BLAS_FINGERPRINT, `allowAll ${allowAll}`);
      assertEquals(loaded.lines, []);
      // Restored: the processes this one starts choose for themselves.
      assertEquals(loaded.core, null);
    }
  },
});

Deno.test({
  name: "another OPENBLAS_CORETYPE is kept and the notice says the kernels are not the records'",
  ignore: !canHaveRecordsKernels,
  fn: async () => {
    const other = await loadInSubprocess({ OPENBLAS_CORETYPE: "Sandybridge" });
    assertEquals(other.core, "Sandybridge");
    assert(other.fingerprint !== RECORDS_BLAS_FINGERPRINT, other.fingerprint ?? "no OpenBLAS");
    assertEquals(other.lines.length, 1, other.lines.join("\n"));
    assertMatch(other.lines[0], /^OpenBLAS runs kernels [0-9a-f]{8}, not the records' 9b2841e5/);
    assertMatch(other.lines[0], /\(Haswell\): OPENBLAS_CORETYPE is Sandybridge\./);
    // Zen's kernels are Haswell's single-precision ones: same bits, no notice.
    const zen = await loadInSubprocess({ OPENBLAS_CORETYPE: "Zen" });
    assertEquals([zen.fingerprint, zen.lines], [RECORDS_BLAS_FINGERPRINT, []]);
    // native: OpenBLAS's own choice, and no notice whatever it is.
    const native = await loadInSubprocess({ DEMURE_BLAS_KERNELS: "native" });
    assertEquals([native.core, native.lines], [null, []]);
  },
});
