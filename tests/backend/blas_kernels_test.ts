/**
 * The OpenBLAS kernel set (lib/backend/blas_kernels.ts): by default the loader switches OpenBLAS to
 * the records' Haswell kernels, only where OpenBLAS says the CPU runs AVX2 (elsewhere they would
 * stop the process), an `OPENBLAS_CORETYPE` the user set is kept, `native` leaves the choice to
 * OpenBLAS, and a notice says when the kernels that run are not the records'. The subprocess tests
 * load the real library with the tasks' scoped permissions: on this kind of machine (AVX-512, where
 * OpenBLAS itself picks other kernels) they fail without the switch.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes, assertThrows } from "@std/assert";
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

Deno.test("chooseBlasCore: native asks nothing and gives no reason, whatever the user set or the CPU runs", () => {
  // native keeps OpenBLAS's choice silently: a reason would read as a failed pin.
  for (const openBlasCoreType of ["SkylakeX", undefined]) {
    for (const supportsAvx2 of [true, false, undefined]) {
      assertEquals(chooseBlasCore({ setting: "native", supportsAvx2, openBlasCoreType }), {});
    }
  }
});

Deno.test("chooseBlasCore: the user's OPENBLAS_CORETYPE is the reason, whatever the library can do", () => {
  // The user's choice comes first: the notice names it, not the library's or the CPU's limits.
  for (const supportsAvx2 of [true, false, undefined]) {
    assertEquals(
      chooseBlasCore({ ...records, supportsAvx2, openBlasCoreType: "Sandybridge" }),
      { reason: "OPENBLAS_CORETYPE is Sandybridge" },
      `supportsAvx2 ${supportsAvx2}`,
    );
  }
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

Deno.test("recordsKernelNotice ends naming the setting that silences it; another set's description names the records'", () => {
  // The notice is what a user acts on: the variable it names must be the one read.
  const notice = recordsKernelNotice("031787c5", { setting: "records" })!;
  assert(
    notice.endsWith("(DEMURE_BLAS_KERNELS=native: this is wanted, no notice)"),
    `the notice ends otherwise: ${notice}`,
  );
  assertEquals(
    describeBlasKernels("031787c5"),
    "OpenBLAS kernels 031787c5 (not the records' 9b2841e5)",
  );
});

/** The first OpenBLAS of the usual places, or undefined (the loading tests are then skipped). */
const library = OPENBLAS_CANDIDATES.find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

/** How the loader subprocess runs: -A, or the tasks' scoped permissions with these variables. */
interface LoaderPermissions {
  /** -A (/proc/cpuinfo read: OPENBLAS_CORETYPE while opening). */
  allowAll?: boolean;
  /** The variables it may read, scoped only (default: all). */
  env?: string[];
}

/**
 * A fresh process that loads OpenBLAS and prints its notices, then `OPENBLAS_CORETYPE` ("unreadable"
 * without the permission), the kernel fingerprint and the thread count after setting 2 and taking
 * the fingerprint (at one thread): with the tasks' scoped permissions (no /proc: the switch after
 * opening), or with -A (/proc/cpuinfo read: OPENBLAS_CORETYPE while opening).
 */
async function runLoader(env: Record<string, string>, permissions: LoaderPermissions = {}) {
  const loader = new URL("../../lib/backend/kernels/_openblas.ts", import.meta.url);
  const code = `import { loadOpenBlas } from "${loader.href}";\n` +
    "const blas = loadOpenBlas();\n" +
    "blas?.setThreads(2);\n" +
    "const fingerprint = blas?.kernelFingerprint() ?? null;\n" +
    "let core;\n" +
    'try { core = Deno.env.get("OPENBLAS_CORETYPE") ?? null; } catch { core = "unreadable"; }\n' +
    "console.log(JSON.stringify({ core, fingerprint, threads: blas?.getThreads() ?? null }));\n";
  const folder = await Deno.makeTempDir({ prefix: "blas_kernels_" });
  const file = `${folder}/load.ts`;
  try {
    await Deno.writeTextFile(file, code);
    const inherited = { ...Deno.env.toObject() };
    delete inherited.OPENBLAS_CORETYPE;
    delete inherited.DEMURE_BLAS_KERNELS;
    const reads = [folder, new URL("../../lib/", import.meta.url).pathname, library!];
    const output = await new Deno.Command(Deno.execPath(), {
      args: permissions.allowAll ? ["run", "-A", file] : [
        "run",
        "--no-prompt",
        `--allow-read=${reads.join(",")}`,
        permissions.env ? `--allow-env=${permissions.env.join(",")}` : "--allow-env",
        `--allow-ffi=${library}`,
        file,
      ],
      env: { ...inherited, ...env },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    return {
      success: output.success,
      stdout: decoder.decode(output.stdout).trim().split("\n"),
      stderr: decoder.decode(output.stderr),
    };
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

/** {@linkcode runLoader}, which must succeed: its notices (`lines`) and what it printed last. */
async function loadInSubprocess(env: Record<string, string>, permissions: LoaderPermissions = {}) {
  const { success, stdout, stderr } = await runLoader(env, permissions);
  assert(success, stderr);
  return { lines: stdout.slice(0, -1), ...JSON.parse(stdout.at(-1)!) } as {
    lines: string[];
    core: string | null;
    fingerprint: string | null;
    threads: number | null;
  };
}

const canHaveRecordsKernels = library !== undefined && cpuRunsRecordsKernels() === true;

Deno.test("cpuFlagsOf reads the first flags line of /proc/cpuinfo", () => {
  const text = "processor\t: 0\nflags\t\t: fpu sse2 avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu\n";
  assertEquals([...cpuFlagsOf(text)], ["fpu", "sse2", "avx2", "fma"]);
  assertEquals(cpuFlagsOf("processor\t: 0\n").size, 0);
});

Deno.test("blasKernelSetting: the values are exact: another case or a space is refused by name", () => {
  for (const text of ["Native", "RECORDS", " native"]) {
    const error = assertThrows(() => blasKernelSetting(text));
    assertEquals(error.name, "SettingError");
    assertStringIncludes(error.message, `DEMURE_BLAS_KERNELS is "${text}"`);
  }
});

Deno.test("cpuFlagsOf: only a line starting with flags is the flags line, not vmx flags", () => {
  const text = "processor\t: 0\nvmx flags\t: ept vpid\nflags\t\t: fpu avx2\n";
  assertEquals([...cpuFlagsOf(text)], ["fpu", "avx2"]);
});

Deno.test({
  name: "cpuRunsRecordsKernels: AVX2 and FMA both; undefined when /proc/cpuinfo cannot be read",
  ignore: Deno.build.arch !== "x86_64",
  fn: () => {
    const cpuinfo = (flags: string) => () => `processor\t: 0\nflags\t\t: fpu sse2 avx ${flags}\n`;
    assertEquals(cpuRunsRecordsKernels(cpuinfo("avx2 fma")), true);
    // AMD Piledriver has FMA without AVX2: Haswell's kernels would stop it (illegal instruction).
    assertEquals(cpuRunsRecordsKernels(cpuinfo("fma")), false);
    assertEquals(cpuRunsRecordsKernels(cpuinfo("avx2")), false);
    const unreadable = () => {
      throw new Error("Requires read access to /proc/cpuinfo");
    };
    assertEquals(cpuRunsRecordsKernels(unreadable), undefined);
  },
});

Deno.test({
  name: "loading OpenBLAS on an AVX2 CPU runs the records' kernels, silently, by both routes",
  ignore: !canHaveRecordsKernels,
  fn: async () => {
    for (const allowAll of [false, true]) {
      const loaded = await loadInSubprocess({}, { allowAll });
      assertEquals(loaded.fingerprint, RECORDS_BLAS_FINGERPRINT, `allowAll ${allowAll}`);
      assertEquals(loaded.lines, []);
      // Restored: the processes this one starts choose for themselves.
      assertEquals(loaded.core, null);
      // The fingerprint's one thread is restored: the products run at the threads set.
      assertEquals(loaded.threads, 2);
    }
  },
});

Deno.test({
  name: "another OPENBLAS_CORETYPE is kept and the notice says the kernels are not the records'",
  ignore: !canHaveRecordsKernels,
  fn: async () => {
    for (const allowAll of [false, true]) {
      const other = await loadInSubprocess({ OPENBLAS_CORETYPE: "Sandybridge" }, { allowAll });
      assertEquals(other.core, "Sandybridge", `allowAll ${allowAll}`);
      assert(other.fingerprint !== RECORDS_BLAS_FINGERPRINT, other.fingerprint ?? "no OpenBLAS");
      assertEquals(other.lines.length, 1, other.lines.join("\n"));
      assertMatch(other.lines[0], /^OpenBLAS runs kernels [0-9a-f]{8}, not the records' 9b2841e5/);
      assertMatch(other.lines[0], /\(Haswell\): OPENBLAS_CORETYPE is Sandybridge\./);
    }
    // Zen's kernels are Haswell's single-precision ones: same bits, no notice.
    const zen = await loadInSubprocess({ OPENBLAS_CORETYPE: "Zen" });
    assertEquals([zen.fingerprint, zen.lines], [RECORDS_BLAS_FINGERPRINT, []]);
  },
});

Deno.test({
  name: "an empty OPENBLAS_CORETYPE is no choice: the records' kernels, silently, and it is kept",
  ignore: !canHaveRecordsKernels,
  fn: async () => {
    // OpenBLAS reads an empty value as unset (it picks its own kernels): kept as the user's
    // choice, it ran Cooperlake's on an AVX-512 CPU with a notice "OPENBLAS_CORETYPE is .".
    for (const allowAll of [false, true]) {
      const loaded = await loadInSubprocess({ OPENBLAS_CORETYPE: "" }, { allowAll });
      assertEquals(loaded.fingerprint, RECORDS_BLAS_FINGERPRINT, `allowAll ${allowAll}`);
      assertEquals(loaded.lines, []);
      // Restored as it was: the processes this one starts see the user's empty value.
      assertEquals(loaded.core, "");
    }
  },
});

Deno.test({
  name: "native: OpenBLAS's own kernel choice by both routes, and no notice whatever it is",
  ignore: !canHaveRecordsKernels,
  fn: async () => {
    const scoped = await loadInSubprocess({ DEMURE_BLAS_KERNELS: "native" });
    const allowAll = await loadInSubprocess({ DEMURE_BLAS_KERNELS: "native" }, { allowAll: true });
    assertEquals([scoped.core, scoped.lines], [null, []]);
    // Under -A too nothing is asked for while opening (on an AVX-512 CPU OpenBLAS's own choice is
    // not Haswell, so asking for it would show here).
    assertEquals([allowAll.core, allowAll.lines], [null, []]);
    assertEquals(allowAll.fingerprint, scoped.fingerprint);
    // Where OpenBLAS itself picks other kernels, a process that may not read OPENBLAS_CORETYPE
    // cannot switch them, and its notice says why.
    if (scoped.fingerprint === RECORDS_BLAS_FINGERPRINT) return;
    const unreadable = await loadInSubprocess({}, {
      env: ["DEMURE_OPENBLAS", "DEMURE_BLAS_KERNELS"],
    });
    assertEquals([unreadable.core, unreadable.fingerprint], ["unreadable", scoped.fingerprint]);
    assertEquals(unreadable.lines.length, 1, unreadable.lines.join("\n"));
    assertMatch(unreadable.lines[0], /\(Haswell\): OPENBLAS_CORETYPE cannot be read \(/);
  },
});

Deno.test({
  name: "a DEMURE_BLAS_KERNELS that is not a setting stops the loading, naming it (no fallback)",
  ignore: library === undefined,
  fn: async () => {
    // Before any library is opened; an error while opening would count as a library that does not
    // load, and tfjs's own kernels would run silently.
    const run = await runLoader({ DEMURE_BLAS_KERNELS: "haswell" });
    assertEquals(run.success, false, run.stdout.join("\n"));
    assertStringIncludes(
      run.stderr,
      'DEMURE_BLAS_KERNELS is "haswell"; allowed: records or native',
    );
  },
});
