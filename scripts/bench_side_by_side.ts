/**
 * Runs the same SASRec training step in tfjs (this workspace) and in PyTorch on this machine, one
 * after the other in one run, and prints the ratio tfjs / PyTorch of the median step times.
 *
 * PyTorch comes from Debian (`python3-torch`): when `/usr/bin/python3` cannot import torch, this
 * script installs it with `apt-get` (root only; never run in CI). Debian's python is used on
 * purpose: the first `python3` on PATH may be another interpreter without torch.
 *
 * Run: `deno run -A scripts/bench_side_by_side.ts [--steps=10] [--threads=N] [--dropout=0.2]`
 * (backend: `DEMURE_BACKEND`, default wasm; `--threads` sets both OpenBLAS and torch threads,
 * default: the core count).
 */
import { initBackend } from "../mod.ts";
import {
  createSasRecStep,
  DEFAULT_SASREC_STEP_CONFIG,
  sasRecStepFlops,
} from "../bench/_sasrec_step.ts";

const PYTHON = "/usr/bin/python3";

/** Command-line options of the side-by-side run. */
export interface SideBySideOptions {
  steps: number;
  threads: number;
  dropout: number;
}

/**
 * Parses `--steps=`, `--threads=` and `--dropout=`; unknown flags are an error.
 *
 * @example
 * ```ts
 * parseOptions(["--steps=5"]); // { steps: 5, threads: <cores>, dropout: 0.2 }
 * ```
 */
export function parseOptions(args: readonly string[]): SideBySideOptions {
  const options: SideBySideOptions = {
    steps: 10,
    threads: navigator.hardwareConcurrency,
    dropout: DEFAULT_SASREC_STEP_CONFIG.dropout,
  };
  for (const arg of args) {
    const match = /^--(steps|threads|dropout)=(.+)$/.exec(arg);
    const value = match ? Number(match[2]) : NaN;
    if (!match || !Number.isFinite(value)) {
      throw new Error(`bench_side_by_side: unknown or malformed option "${arg}"`);
    }
    options[match[1] as keyof SideBySideOptions] = value;
  }
  return options;
}

async function run(command: string, args: string[]): Promise<{ code: number; out: string }> {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, out: decode(output.stdout) + decode(output.stderr) };
}

async function ensureTorch(): Promise<string> {
  const probe = await run(PYTHON, ["-c", "import torch; print(torch.__version__)"]);
  if (probe.code === 0) return probe.out.trim();
  if (Deno.uid() !== 0) {
    throw new Error(
      `${PYTHON} cannot import torch and this is not root: run ` +
        "`apt-get install -y python3-torch` as root, then rerun",
    );
  }
  console.log("installing Debian's python3-torch with apt-get (one time) ...");
  const install = await run("apt-get", [
    "install",
    "-y",
    "--no-install-recommends",
    "python3-torch",
  ]);
  if (install.code !== 0) throw new Error(`apt-get install python3-torch failed:\n${install.out}`);
  const again = await run(PYTHON, ["-c", "import torch; print(torch.__version__)"]);
  if (again.code !== 0) throw new Error(`torch still not importable:\n${again.out}`);
  return again.out.trim();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (import.meta.main) {
  const options = parseOptions(Deno.args);
  // OpenBLAS reads its thread count when the kernels register.
  Deno.env.set("DEMURE_BLAS_THREADS", String(options.threads));
  const torchVersion = await ensureTorch();
  const choice = await initBackend({ verbose: false });
  const config = { ...DEFAULT_SASREC_STEP_CONFIG, dropout: options.dropout };
  const step = createSasRecStep(config);
  step.run();
  const tfjsTimes: number[] = [];
  for (let i = 0; i < options.steps; i++) {
    const start = performance.now();
    step.run();
    tfjsTimes.push(performance.now() - start);
  }
  step.dispose();
  const script = new URL("./bench_pytorch.py", import.meta.url).pathname;
  const torch = await run(PYTHON, [
    script,
    `--steps=${options.steps}`,
    `--threads=${options.threads}`,
    `--dropout=${options.dropout}`,
  ]);
  if (torch.code !== 0) throw new Error(`bench_pytorch.py failed:\n${torch.out}`);
  const torchResult = JSON.parse(torch.out.trim().split("\n").at(-1)!) as {
    median_ms: number;
    threads: number;
  };
  const tfjsMedian = median(tfjsTimes);
  const flops = sasRecStepFlops(config);
  const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "?")).split(" ")
    .slice(0, 3).join(" ");
  console.log(
    `SASRec step (B=${config.batch}, L=${config.length}, d=${config.dim}, ` +
      `${config.items} items, dropout ${config.dropout}), ${options.steps} steps each, ` +
      `load average ${load}`,
  );
  console.log(
    `tfjs ${choice.backend} [${choice.kernels.join(", ")}]: median ${tfjsMedian.toFixed(1)} ms ` +
      `(${(flops / tfjsMedian / 1e6).toFixed(1)} GFLOP/s of matmul work)`,
  );
  console.log(
    `PyTorch ${torchVersion} (${torchResult.threads} threads): median ` +
      `${torchResult.median_ms.toFixed(1)} ms (${
        (flops / torchResult.median_ms / 1e6).toFixed(1)
      } GFLOP/s)`,
  );
  console.log(`ratio tfjs / PyTorch = ${(tfjsMedian / torchResult.median_ms).toFixed(2)}`);
}
