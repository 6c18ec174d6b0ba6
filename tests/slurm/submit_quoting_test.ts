/**
 * Quoting audit of `deno task slurm` (scripts/slurm/submit.ts) end to end: with a results folder
 * and a deno path holding `$`, a backquote, quotes, a newline, `#`, a leading `-` or letters of
 * any script, what reaches sbatch (its arguments, each recorded whole by a stand-in), the
 * `#SBATCH` lines (read by sbatch's rules) and, through bash, reproduce (a stand-in deno), is
 * exactly what was given; what cannot arrive so is refused before anything is written or
 * submitted, naming the option, the value and what is allowed.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCaptured } from "./_run.ts";
import { calls, fakeSlurm, STAGES, submit } from "./_fake_slurm.ts";
import { sbatchDirectives } from "./_sbatch_directives.ts";
import { shellQuote } from "../../scripts/cluster/shell.ts";
import { pathExists } from "../../lib/util/mod.ts";

const workspace = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Stand-ins in a new folder: sbatch (records its arguments, each ended by a NUL byte, one call a
 * line in sbatch.args, and prints job ids 41, 42, ...; the n-th call prints `badOutput` instead
 * when given), squeue (no job), scancel (records its arguments); and a deno under a folder of
 * odd characters that runs the real deno for the listing and otherwise records its arguments.
 */
function standIns(badOutput?: { call: number; output: string }) {
  const dir = Deno.makeTempDirSync({ prefix: "submit_quoting_" });
  const tool = (path: string, body: string) => {
    Deno.writeTextFileSync(path, `#!/bin/bash\n${body}\n`);
    Deno.chmodSync(path, 0o755);
  };
  const bad = badOutput === undefined
    ? ""
    : `if ((n == ${badOutput.call})); then printf %s ${shellQuote(badOutput.output)}; exit 0; fi\n`;
  tool(
    `${dir}/sbatch`,
    `printf '%s\\0' "$@" >>${dir}/sbatch.args; echo >>${dir}/sbatch.args\n` +
      `echo >>${dir}/sbatch.count; mapfile -t made <${dir}/sbatch.count; n=\${#made[@]}\n` +
      `${bad}echo $((40 + n))`,
  );
  tool(`${dir}/squeue`, "true");
  tool(`${dir}/scancel`, `echo "$*" >>${dir}/scancel.calls`);
  const bin = `${dir}/bin 'q' "d" $x \`id\` #h\n-ü日`;
  Deno.mkdirSync(bin);
  const deno = `${bin}/deno`;
  tool(
    deno,
    `for a in "$@"; do [[ $a == --list-cells ]] && exec ${
      shellQuote(Deno.execPath())
    } "$@"; done\n` +
      `printf '%s\\0' "$PWD" "$@" >${dir}/deno.args`,
  );
  return { dir, deno };
}

/** The arguments of each sbatch call of the stand-ins in `dir`. */
function sbatchCalls(dir: string): string[][] {
  try {
    return Deno.readTextFileSync(`${dir}/sbatch.args`).split("\n").slice(0, -1).map((call) =>
      call.split("\0").slice(0, -1)
    );
  } catch {
    return [];
  }
}

/** Runs `script` in bash (PATH: the system's only) and returns what the stand-in deno got. */
function runScript(dir: string, script: string, env: Record<string, string>) {
  const run = runCaptured("bash", [script], { PATH: "/usr/bin:/bin", ...env });
  const args = Deno.readTextFileSync(`${dir}/deno.args`).split("\0").slice(0, -1);
  Deno.removeSync(`${dir}/deno.args`);
  return { run, args };
}

Deno.test("deno task slurm: an odd results folder and deno path reach sbatch, #SBATCH and reproduce as written", () => {
  const { dir, deno } = standIns();
  try {
    const results = `${dir}/r$x\`id\`:ü日本/-d`;
    const run = submit(
      ["--results", results, "--deno", deno, "--partition=-p,q", "--account", "a.b+c"],
      dir,
    );
    assertEquals(run.code, 0, run.stderr);
    const sbatch = sbatchCalls(dir);
    assertEquals(sbatch.length, STAGES.length + 1);
    const scripts = sbatch.map((call) => call.at(-1)!);
    for (const path of scripts) assertEquals(path.startsWith(`${results}/slurm/`), true, path);
    assertEquals(sbatch.map((call) => call.slice(0, -1)), [
      ["--parsable"],
      ["--parsable", "--dependency=afterany:41"],
      ["--parsable", "--dependency=afterany:42"],
      ["--parsable", "--dependency=afterany:41:42:43", "--export=ALL,DEMURE_CELLS_JOBS=41:42:43"],
    ]);
    const logs = `${results}/slurm/logs`;
    for (const [stage, keys] of STAGES.entries()) {
      const script = Deno.readTextFileSync(scripts[stage]);
      const directives = sbatchDirectives(script);
      assertEquals(directives.includes(`--output=${logs}/cell-%A_%a.log`), true, directives.join());
      assertEquals(directives.slice(-2), ["--partition=-p,q", "--account=a.b+c"]);
      for (const task of [0, keys.length - 1]) {
        const ran = runScript(dir, scripts[stage], {
          SLURM_ARRAY_JOB_ID: String(41 + stage),
          SLURM_ARRAY_TASK_ID: String(task),
        });
        assertEquals(ran.run.code, 0, ran.run.stderr);
        const at = ran.args.indexOf("scripts/reproduce.ts");
        assertEquals(ran.args.slice(0, 2), [workspace, "run"]);
        assertEquals(ran.args.slice(at), [
          "scripts/reproduce.ts",
          "--cell",
          keys[task],
          "--results",
          results,
          "--quick",
        ]);
        const permissions = ran.args.slice(2, at);
        for (const access of ["read", "write"]) {
          const flag = permissions.find((word) => word.startsWith(`--allow-${access}=`)) ?? "";
          assertEquals(flag.split(",").includes(results), true, flag);
        }
      }
    }
    const report = Deno.readTextFileSync(scripts.at(-1)!);
    assertEquals(sbatchDirectives(report).includes(`--output=${logs}/report-%j.log`), true);
    const ran = runScript(dir, scripts.at(-1)!, { DEMURE_CELLS_JOBS: "41:42:43" });
    assertEquals(ran.run.code, 0, ran.run.stderr);
    assertEquals(ran.args.slice(ran.args.indexOf("scripts/reproduce.ts")), [
      "scripts/reproduce.ts",
      "--report-only",
      "--results",
      results,
      "--quick",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("deno task slurm: a job id that is not digits is refused and the submission undone", () => {
  // It went into the next array's --dependency and the report job's --export, where a comma
  // starts another variable, and into the submissions record.
  const { dir, deno } = standIns({ call: 2, output: "42,DEMURE_X=1\n" });
  try {
    const results = `${dir}/results`;
    const run = submit(["--results", results, "--deno", deno], dir);
    assertEquals(run.code, 1, run.stdout);
    assertStringIncludes(
      run.stderr,
      `printed "42,DEMURE_X=1\\n": not "<job id>" or "<job id>;<cluster>" (--parsable), with a ` +
        "job id of digits",
    );
    assertEquals(sbatchCalls(dir).length, 2);
    assertEquals(Deno.readTextFileSync(`${dir}/scancel.calls`), "41\n");
    // The folder this submission made is gone, scripts and all.
    assertEquals([...Deno.readDirSync(dir)].some((entry) => entry.name === "results"), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("deno task slurm refuses, by option, value and rule, what cannot arrive as written", () => {
  const slurm = fakeSlurm();
  try {
    const cases: [string[], string][] = [
      // sbatch reads an unescaped # in an #SBATCH line as a comment: the log path ended there.
      [
        ["--results", `${slurm}/r#x`],
        `slurm: results folder "${slurm}/r#x" contains #: sbatch reads the log path of #SBATCH ` +
        "--output itself (% starts a file-name pattern, # a comment, \\ and quotes escape): " +
        "choose a folder without %, #, quotes, a backslash, white space or a comma (--results); " +
        "see --help",
      ],
      // `exec -x ...` reads -x as exec's option.
      [
        ["--deno=-x"],
        'slurm: --deno "-x": a path or a program on PATH that does not start with "-" (bash\'s ' +
        "exec, which runs it in each task, reads such a word as its own option); see --help",
      ],
      [["--deno=-ü\n"], 'slurm: --deno "-ü\\n": a path or a program on PATH'],
      [["--partition", "ünï"], 'slurm: --partition "ünï": a Slurm name (letters, digits, _ . + -)'],
      [["--partition", "a#b"], 'slurm: --partition "a#b": a Slurm name'],
      [["--account=-a\tb"], 'slurm: --account "-a\\tb": a Slurm name'],
      ...["results", "deno", "partition", "account", "backend", "seeds", "minutes"].map((
        option,
      ): [string[], string] => [
        [`--${option}=`],
        `slurm: --${option}: an empty value; see --help`,
      ]),
    ];
    for (const [args, message] of cases) {
      const run = submit(args, slurm);
      assertEquals(run.code, 2, `${JSON.stringify(args)}: ${run.stderr}`);
      assertStringIncludes(run.stderr, message);
      assertEquals(run.stderr.includes("    at "), false, run.stderr);
    }
    assertEquals(calls(slurm, "sbatch"), []);
    assertEquals([...Deno.readDirSync(slurm)].some((entry) => entry.name.startsWith("r")), false);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});

Deno.test("deno task slurm: the plan's own folder named after a --dataset file with # or a space is refused, pointing to --results", () => {
  // The folder is results/<file's name>-<format>/<mode>: with a space, the permission flags threw
  // a stack trace; with a #, every task's log went to one file, the path cut at the #.
  const slurm = fakeSlurm();
  Deno.mkdirSync(`${workspace}/build`, { recursive: true });
  const data = Deno.makeTempDirSync({ dir: `${workspace}/build`, prefix: "slurm_quoting_" });
  // Made by this test only if the code under test submitted (checked absent first): removed after.
  const made: string[] = [];
  try {
    for (const [name, rule] of [["h#ash", "contains #"], ["two words", "contains white space"]]) {
      const folder = `${workspace}/results/${name}-recbole`;
      assertEquals(pathExists(folder), false, `${folder}: left by an earlier run; remove it`);
      made.push(folder);
      Deno.copyFileSync(`${workspace}/tests/fixtures/byo/tiny.inter`, `${data}/${name}.inter`);
      const run = submit([
        "--minutes",
        "10",
        "--memory-mb",
        "1000",
        "--",
        "--dataset",
        `${data}/${name}.inter`,
        "--format",
        "recbole",
      ], slurm);
      assertEquals(run.code, 2, run.stderr);
      assertStringIncludes(run.stderr, `slurm: results folder "${folder}/quick" ${rule}`);
      assertStringIncludes(run.stderr, "; give another with --results; see --help");
      assertEquals(run.stderr.includes("    at "), false, run.stderr);
      assertEquals(pathExists(folder), false, `${folder}: made by a refused submission`);
    }
    assertEquals(calls(slurm, "sbatch"), []);
  } finally {
    for (const folder of made) if (pathExists(folder)) Deno.removeSync(folder, { recursive: true });
    Deno.removeSync(data, { recursive: true });
    Deno.removeSync(slurm, { recursive: true });
  }
});
