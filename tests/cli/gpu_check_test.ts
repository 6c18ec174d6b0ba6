/**
 * The device check (`scripts/gpu_check.ts`) and its offline archive (`scripts/build_gpu_check.sh`).
 * The archive is what travels to a GPU machine without network; a file the check imports but the
 * archive lacks is only found there, where device time is scarce. Three such gaps (the options
 * module, `mod.ts`, and danfojs-node, which `mod.ts` loads) made the archive of December 2026 stop
 * at its first line on the H200 machine; the staged tree is therefore run here, on its own.
 */
import { assert, assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { runScript } from "./_run_script.ts";
import { buildGpuCheck } from "./_build_gpu_check.ts";

const root = new URL("../../", import.meta.url).pathname;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Runs `bash scripts/gpu_check.sh args...` (what `deno task gpu-check` runs). */
async function gpuCheckShell(args: string[]) {
  const output = await new Deno.Command("bash", {
    args: ["scripts/gpu_check.sh", ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("gpu_check: a bad --system, --backends, --dim or --batch-size is one line and exit 2, before any work", async () => {
  const cases: [string[], string][] = [
    [["--system", "demur"], `--system: "demur" is not one of sasrec, demure`],
    [["--backends", "webgpu,tpu"], `--backends: "tpu" is not one of webgpu, wasm, cpu`],
    [["--dim", "0"], "--dim 0: must be an integer in 1..4096"],
    [["--batch-size", "12.5"], "--batch-size 12.5: must be an integer in 1..65536"],
    // Each bound at both ends (mutation round L: a bound moved by one stayed unnoticed).
    [["--dim", "4097"], "--dim 4097: must be an integer in 1..4096"],
    [["--batch-size", "65537"], "--batch-size 65537: must be an integer in 1..65536"],
    [["--users", "0"], "--users 0: must be an integer in 1..10000000"],
    [["--users", "10000001"], "--users 10000001: must be an integer in 1..10000000"],
    [["--max-batches", "0"], "--max-batches 0: must be an integer in 1..1000000"],
    [["--max-batches", "1000001"], "--max-batches 1000001: must be an integer in 1..1000000"],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await runScript("scripts/gpu_check.ts", args);
    assertEquals([code, stderr], [2, `gpu-check: ${message}; see --help\n`], args.join(" "));
  }
});

Deno.test("gpu_check: the workload a child times is the one asked for: users, batch size, batch cap, width and system", async () => {
  // Mutation round FG: a child that ignored --max-batches, --batch-size, --dim or --system still
  // printed its line (the parent's workload line names the options, not what the child trained).
  // 128 users in batches of 32 are 4 steps; capped at 3, three (the default batch would be one).
  const common = [
    "--backends",
    "wasm",
    "--users",
    "128",
    "--batch-size",
    "32",
    "--max-batches",
    "3",
  ];
  const [sasrec, wider, demure] = await Promise.all([
    runScript("scripts/gpu_check.ts", [...common, "--dim", "8"]),
    runScript("scripts/gpu_check.ts", [...common, "--dim", "16"]),
    runScript("scripts/gpu_check.ts", [...common, "--dim", "8", "--system", "demure"]),
  ]);
  for (const { code, stdout, stderr } of [sasrec, wider, demure]) {
    assertEquals(code, 0, `${stdout}\n${stderr}`);
  }
  assertMatch(
    sasrec.stdout,
    /^workload: Beauty-shaped \(128 users x \d+ items, .*\); SASRec defaults but d = 8, batch 32; one epoch capped at 3 batches per backend$/m,
  );
  assertMatch(demure.stdout, /^workload: .*; Demure-SASRec \(library defaults, no warm-up\) /m);
  const loss = (stdout: string, system: string) => {
    const match = stdout.match(
      new RegExp(`^wasm \\(${system}\\): 3 steps in .*, loss (\\S+),`, "m"),
    );
    assert(match !== null, stdout);
    return match[1];
  };
  // The same seed and steps: only the width, or Demure's denoising, can move the loss.
  const base = loss(sasrec.stdout, "sasrec");
  assertNotEquals(loss(wider.stdout, "sasrec"), base, "--dim did not reach the child");
  assertNotEquals(loss(demure.stdout, "demure"), base, "--system demure did not reach the child");
});

Deno.test("gpu_check archive: the staged tree trains on its own, from an empty environment", async () => {
  const out = await Deno.makeTempDir({ prefix: "gpu_check_stage_" });
  try {
    const build = await new Deno.Command("bash", {
      args: ["scripts/build_gpu_check.sh", "--stage-only", "--out", out],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(300_000),
    }).output();
    assertEquals(build.code, 0, decode(build.stderr));
    // The one-call session script travels beside the check.
    assert(((await Deno.stat(`${out}/demure-gpu-check/gpu_session.sh`)).mode ?? 0) & 0o100);
    // The shared libraries a GPU machine may lack: the Vulkan loader and glvnd (docs/gpu.md).
    const libs = `${out}/demure-gpu-check/libs`;
    for (const lib of ["vulkan/libvulkan.so.1", "glvnd/libGLdispatch.so.0", "glvnd/libEGL.so.1"]) {
      assert((await Deno.stat(`${libs}/${lib}`)).size > 0, lib);
    }

    // Outside the repository, with no variable set: only what the archive carries is there.
    const check = await new Deno.Command(`${out}/demure-gpu-check/gpu_check.sh`, {
      args: ["--backends", "wasm", "--system", "demure", "--users", "64", "--max-batches", "1"],
      cwd: out,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(300_000),
    }).output();
    const stdout = decode(check.stdout);
    assertEquals(check.code, 0, `${stdout}\n${decode(check.stderr)}`);
    assertMatch(stdout, /^wasm \(demure\): 1 steps in .*, loss \d+\.\d{4}, valid NDCG@10/m);
    // The archive's own OpenBLAS serves the matrix products.
    assertMatch(stdout, /BatchMatMul\(openblas\)/);

    // The webgpu tests travel and run from the tree (skipped with the reason where no adapter is).
    const tests = await new Deno.Command(`${out}/demure-gpu-check/gpu_check.sh`, {
      args: ["--tests"],
      cwd: out,
      clearEnv: true,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(300_000),
    }).output();
    const report = decode(tests.stdout);
    assertEquals(tests.code, 0, `${report}\n${decode(tests.stderr)}`);
    assertMatch(report, /^ok \| \d+ passed .*\| 0 failed \| 1 filtered out/m);
    assertMatch(report, /webgpu uploads: values arrive as made/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("gpu_check --profile: launch and read costs, one step's kernels, step times", async () => {
  const { code, stdout, stderr } = await runScript("scripts/gpu_check.ts", [
    "--profile",
    "--backends",
    "wasm",
    "--users",
    "128",
  ]);
  assertEquals(code, 0, stderr);
  assertMatch(stdout, /^wasm: launch: \d+\.\d{3} ms a kernel/m);
  assertMatch(stdout, /^wasm: read: \d+\.\d{3} ms/m);
  assertMatch(stdout, /^wasm: one step: \d+ kernels, \d+\.\d ms of kernel time$/m);
  // The step's products are among its costliest kernels, with their shapes.
  assertMatch(stdout, /^wasm: +\d+\.\d{2} ms +x\d+ +BatchMatMul \[\[/m);
  // 128 users are one batch: four epochs of one step each.
  assertMatch(
    stdout,
    /^wasm: step time by epoch \(1 steps each\): \d+ ms, \d+ ms, \d+ ms, \d+ ms$/m,
  );
  // The host side, from V8's sampler: sampled time, then self time by file and by function, where
  // the library's own kernel files show up by name.
  assertMatch(stdout, /^wasm: host profile: \d+ ms wall, \d+ ms sampled/m);
  assertMatch(stdout, /^wasm: self time by function:$/m);
  assertMatch(stdout, /^wasm: +\d+ ms +\d+\.\d% +\S+ .*lib\/backend\/kernels\/\w+\.ts:\d+$/m);
});

Deno.test("gpu_session.sh: --help, and a missing or misspelt log folder is exit 2", async () => {
  const session = (args: string[]) =>
    new Deno.Command("bash", {
      args: ["scripts/gpu_session.sh", ...args],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
  const help = await session(["--help"]);
  assertEquals(help.code, 0);
  assertMatch(decode(help.stdout), /^usage: gpu_session\.sh LOG_DIR/);
  for (const args of [[], ["--logs"]]) {
    const refused = await session(args);
    assertEquals(refused.code, 2, args.join(" "));
    assertMatch(decode(refused.stderr), /^gpu_session: usage: gpu_session\.sh LOG_DIR/);
  }
  // A second argument: refused before the folder is made. (No adapter, in case it is not: the
  // session then stops after its first stage instead of running for minutes.)
  const folder = Deno.makeTempDirSync({ prefix: "gpu_session_" });
  try {
    const logs = `${folder}/logs`;
    // Every word after the folder is named (a folder name with a space is two words).
    for (const extras of [["--quick"], ["--quick", "now"]]) {
      const extra = await new Deno.Command("bash", {
        args: ["scripts/gpu_session.sh", logs, ...extras],
        cwd: root,
        env: { DENO_WEBGPU_BACKEND: "dx12" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(extra.code, 2);
      assertMatch(
        decode(extra.stderr),
        new RegExp(`^gpu_session: unexpected argument after LOG_DIR: ${extras.join(" ")} \\(`),
      );
      assertEquals([...Deno.readDirSync(folder)], [], "the log folder was made");
    }
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("gpu_check.sh: --tests with another argument is one line and exit 2, not ignored", async () => {
  // Any other word, one (`--max-batches=5`) or more, before or after it. (A case let through
  // with --tests second fails at once: gpu_check.ts refuses --tests, the shell script's.)
  const cases = [["--max-batches=5", "--tests"], ["--tests", "--max-batches", "5"], [
    "--dim",
    "8",
    "--tests",
  ]];
  for (const args of cases) {
    const output = await gpuCheckShell(args);
    assertEquals(
      [output.code, output.stderr],
      [2, `gpu-check: --tests takes no other argument (given: ${args.join(" ")}); see --help\n`],
      args.join(" "),
    );
  }
  const help = await runScript("scripts/gpu_check.ts", ["--help"]);
  assertMatch(help.stdout, /deno task gpu-check --tests {7}the webgpu tests/);
});

Deno.test("gpu-check speaks in the task's terms: its usage and its lines name deno task gpu-check", async () => {
  // Its --help opened with `deno run -A scripts/gpu_check.ts`, and its errors and the shell
  // script's lines began `gpu_check:`, where deno task profile's speak in the task's terms.
  const { code, stdout, stderr } = await gpuCheckShell(["--help"]);
  assertEquals(code, 0, stderr);
  // Before the usage, the shell script's own lines about the driver (on a machine with one).
  const usage = stdout.indexOf("usage: ");
  for (const line of stdout.slice(0, Math.max(usage, 0)).split("\n").filter((l) => l !== "")) {
    assert(line.startsWith("gpu-check: "), line);
  }
  const help = stdout.slice(usage);
  assert(usage >= 0 && help.startsWith("usage: deno task gpu-check [--backends "), stdout);
  assert(!help.includes("deno run"), help);
  // The archive has no deno task: its script is named for it.
  assertMatch(help, /offline archive .*: demure-gpu-check\/gpu_check\.sh, with\s+the same options/);
  const refused = await gpuCheckShell(["--dim", "0"]);
  assertEquals(
    [refused.code, refused.stderr],
    [2, "gpu-check: --dim 0: must be an integer in 1..4096; see --help\n"],
  );
});

Deno.test("gpu_check without an adapter: --adapter says none and exits 1; a backend that cannot start gives no timing or profile and exit 1", async () => {
  // No adapter: Vulkan only, and no Vulkan driver to find (as webgpu_test's no-adapter case).
  const noAdapter = { DENO_WEBGPU_BACKEND: "vulkan", VK_ICD_FILENAMES: "/nonexistent/icd.json" };
  const check = async (args: string[]) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/gpu_check.ts", ...args],
      cwd: root,
      env: noAdapter,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    return { code: output.code, stdout: decode(output.stdout) };
  };
  const adapter = await check(["--adapter"]);
  assertEquals(adapter.code, 1, adapter.stdout);
  assertMatch(adapter.stdout, /^adapter: none \(navigator\.gpu\.requestAdapter\(\) returned null/);
  const epoch = await check(["--backends", "webgpu", "--users", "64", "--max-batches", "1"]);
  assertEquals(epoch.code, 1, epoch.stdout);
  assertMatch(
    epoch.stdout,
    /^webgpu: no timing \(exit 1: gpu-check \(webgpu\): .*no WebGPU adapter/m,
  );
  const profile = await check(["--profile", "--backends", "webgpu", "--users", "64"]);
  assertEquals(profile.code, 1, profile.stdout);
  assertMatch(
    profile.stdout,
    /^webgpu: no profile \(exit 1: gpu-check \(webgpu\): .*no WebGPU adapter/m,
  );
});

Deno.test("build_gpu_check.sh: an unknown option is one line naming it and the options, exit 2", async () => {
  for (const option of ["--stage_only", "--bogus", "tools"]) {
    const { code, stderr } = await buildGpuCheck([option]);
    assertEquals(code, 2, stderr);
    // It named the option alone: the spelling meant was in --help only.
    assertEquals(
      stderr,
      `gpu-check:build: unknown option ${option} (options: --stage-only, --out DIR, --help/-h)\n`,
    );
  }
});

Deno.test("gpu-check:build speaks in the task's terms: its usage and its lines name deno task gpu-check:build", async () => {
  // Its --help said `bash scripts/build_gpu_check.sh` and its errors began `build_gpu_check:`, a
  // command its user had not typed (deno task gpu-check was fixed the same way).
  const help = await buildGpuCheck(["--help"]);
  assertEquals(help.code, 0, help.stderr);
  assert(
    help.stdout.startsWith("usage: deno task gpu-check:build [--stage-only] [--out DIR"),
    help.stdout,
  );
  assert(!help.stdout.includes("build_gpu_check"), help.stdout);
  assertEquals(await buildGpuCheck(["--out"]), {
    code: 2,
    stdout: "",
    stderr: "gpu-check:build: --out needs a folder\n",
  });
});

Deno.test("build_gpu_check.sh: an --out that holds other files is refused, not emptied", async () => {
  const out = await Deno.makeTempDir({ prefix: "gpu_check_out_" });
  try {
    await Deno.writeTextFile(`${out}/notes.txt`, "mine");
    const build = async (dir: string) => {
      const { code, stderr } = await buildGpuCheck(["--stage-only", "--out", dir]);
      return { code, stderr };
    };
    // The build empties its folder first: it removed notes.txt and exited 0.
    assertEquals(await build(out), {
      code: 2,
      stderr: `gpu-check:build: --out ${out} holds notes.txt, not an earlier build's; the folder ` +
        "is emptied before the build, so give a new or empty one\n",
    });
    assertEquals(await Deno.readTextFile(`${out}/notes.txt`), "mine");
    assertEquals([...Deno.readDirSync(out)].map((entry) => entry.name), ["notes.txt"]);
    assertEquals(await build(`${out}/notes.txt`), {
      code: 2,
      stderr: `gpu-check:build: --out ${out}/notes.txt: not a folder\n`,
    });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
