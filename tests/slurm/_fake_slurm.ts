/**
 * Stand-ins for sbatch, squeue and scancel (shell scripts that log their arguments) and the
 * submission command run against them: shared by the tests of scripts/slurm/submit.ts.
 */
import { runCaptured } from "./_run.ts";
import { listCells } from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

/** The quick plan's cells. */
export const QUICK_CELLS = planExperiments("quick").cells;

/** The quick plan's cells by selection stage, in the plan's order (as `--list-cells` finds them). */
export const STAGES: string[][] = (() => {
  const stages: string[][] = [];
  for (const cell of listCells(planExperiments("quick"))) {
    (stages[cell.stage ?? 0] ??= []).push(cell.key);
  }
  return stages;
})();

/**
 * A folder of stand-in Slurm commands; `squeue` prints `$dir/squeue.out` when it exists (or
 * `$dir/squeue-<job>.out` for the tasks of that job). sbatch
 * prints job ids 41, 42, ... in the order of the calls (followed by `;<cluster>` when given, as
 * `--parsable` does on a federation), and fails the report job's submission once `reportFails` or
 * {@linkcode failReports} asked it to.
 */
export function fakeSlurm(options: { reportFails?: boolean; cluster?: string } = {}): string {
  const dir = Deno.makeTempDirSync();
  const tool = (name: string, body: string) => {
    Deno.writeTextFileSync(
      `${dir}/${name}`,
      `#!/bin/bash\necho "$*" >> ${dir}/${name}.calls\n${body}\n`,
    );
    Deno.chmodSync(`${dir}/${name}`, 0o755);
  };
  // Bash only: PATH holds nothing but these.
  const cluster = options.cluster === undefined ? "" : `;${options.cluster}`;
  tool(
    "sbatch",
    `if [[ -f ${dir}/report-fails && $* == *DEMURE_CELLS_JOBS* ]]; then ` +
      `echo "sbatch: error: Invalid account" >&2; exit 1; fi\n` +
      `mapfile -t made < ${dir}/sbatch.calls; echo "$((40 + \${#made[@]}))${cluster}"`,
  );
  // `squeue -h -r -j <job> -o %K`: `squeue-<job>.out` for that job when it exists.
  tool(
    "squeue",
    `f=${dir}/squeue-$4.out; [[ -f $f ]] || f=${dir}/squeue.out\n` +
      `[[ -f $f ]] && printf "%s\\n" "$(<$f)"; true`,
  );
  tool("scancel", "true");
  if (options.reportFails) failReports(dir);
  return dir;
}

/** Makes the stand-in sbatch of `dir` fail every report job's submission from now on. */
export function failReports(dir: string): void {
  Deno.writeTextFileSync(`${dir}/report-fails`, "");
}

/** `deno run -A scripts/slurm/submit.ts --quick <args>` with only `path` on PATH. */
export function submit(args: string[], path: string) {
  return runCaptured(
    Deno.execPath(),
    ["run", "-A", "scripts/slurm/submit.ts", "--quick", ...args],
    { PATH: path },
  );
}

/** The arguments of each call of `tool` in the stand-ins' folder `dir`. */
export function calls(dir: string, tool: string): string[] {
  try {
    return Deno.readTextFileSync(`${dir}/${tool}.calls`).trim().split("\n");
  } catch {
    return [];
  }
}
