/**
 * Type-checks the notebooks' code: each notebook's code cells become one temporary module (in
 * order, one scope, top-level await; see lib/notebook_runner/notebook_module.ts), and one
 * `deno check` (the project's deno.json) checks them all. Errors name the notebook, cell and line.
 *
 *   deno task check-notebooks                       # every notebooks/*.ipynb
 *   deno task check-notebooks notebooks/05_explanations.ipynb
 *
 * Exit status 1 when any notebook has a type error. Runs nothing of the notebooks.
 */
import { fileURLToPath } from "node:url";
import { listNotebooks, locateInNotebook, notebookModule } from "../lib/notebook_runner/mod.ts";
import { parseOptions, runScript, ScriptFailure, UsageError } from "./cli/options.ts";
import { readProblem } from "./cli/read_problem.ts";

const USAGE = `Usage: deno task check-notebooks [notebook.ipynb ...]

Type-checks the code cells of the notebooks named (default: every notebooks/*.ipynb); errors name
the notebook, cell and line. Exit status 1 on a type error.

  -h, --help   print this text`;

const projectRoot = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

async function main(args: string[]): Promise<number> {
  // `--help` and a mistyped path used to end in a stack (NotFound, or JSON.parse's SyntaxError).
  const { values, positionals } = parseOptions(args, {
    help: { type: "boolean", short: "h", default: false },
  }, { allowPositionals: true });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  for (const path of positionals) {
    if (!path.endsWith(".ipynb")) throw new UsageError(`${path}: not a notebook (.ipynb)`);
    // A notebook outside the task's reads (/tmp/x.ipynb) was a NotCapable stack.
    const problem = readProblem(path, "file");
    if (problem === "no such file" || problem === "not a file") {
      throw new UsageError(`${path}: no such notebook`);
    }
    if (problem !== undefined) throw new UsageError(`${path}: ${problem}`);
  }
  const notebooks = positionals.length > 0
    ? positionals.map((path) => path.startsWith("/") ? path : `${Deno.cwd()}/${path}`)
    : await listNotebooks(`${projectRoot}/notebooks`);
  // Outside the project folder: its deno.json excludes build/ and results/ from checks.
  const workDir = await Deno.makeTempDir({ prefix: "demure-notebook-check-" });
  try {
    const modules = notebooks.map((path, index) => {
      const name = path.slice(path.lastIndexOf("/") + 1);
      const shown = path.startsWith(`${projectRoot}/`) ? path.slice(projectRoot.length + 1) : path;
      let module;
      try {
        module = notebookModule(Deno.readTextFileSync(path), new URL(`file://${path}`));
      } catch (error) {
        throw new ScriptFailure(`${shown}: not a notebook (${(error as Error).message})`);
      }
      // Numbered: two notebooks of one name (a/x.ipynb, b/x.ipynb) were one module, the last one
      // written, so the other's type errors went unseen and its own were named as the other's.
      const file = `${workDir}/${index}_${name.replace(/\.ipynb$/, "")}.ts`;
      Deno.writeTextFileSync(file, module.code);
      return { name: shown, module, url: `file://${file}` };
    });
    const check = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", ...modules.map(({ url }) => new URL(url).pathname)],
      cwd: projectRoot,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    let report = new TextDecoder().decode(check.stdout) + new TextDecoder().decode(check.stderr);
    for (const { name, module, url } of modules) {
      report = locateInNotebook(report, url, module, name);
    }
    // Deno's own backtrace of the failed command says nothing about the notebooks.
    report = report.replace(/\nStack backtrace:\n(\s+\d+: .*\n?)*/g, "\n");
    if (report.trim()) console.error(report.trimEnd());
    console.log(
      check.success
        ? `${notebooks.length} notebooks type-check`
        : `notebook type check failed (${notebooks.length} notebooks checked)`,
    );
    return check.success ? 0 : 1;
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
}

if (import.meta.main) await runScript("check_notebooks", () => main(Deno.args));
