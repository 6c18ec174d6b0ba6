/**
 * Every deno task runs with scoped permissions: no `-A` unless the task is in the allow-list below
 * with its reason (docs/permissions.md says the same), network only to the loopback address,
 * subprocesses only of named programs, reads and writes only of named paths, FFI only of the
 * fixed OpenBLAS list (plus the optional native TensorFlow addons). A new task without scoped
 * permissions fails here until it gets them or a documented reason. The deno calls of run.sh and
 * the test scripts follow the same rules, and docs/permissions.md has a row for every task.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { OPENBLAS_CANDIDATES } from "../../lib/backend/kernels/_openblas.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";

const root = new URL("../../", import.meta.url);
const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))) as {
  tasks: Record<string, string>;
};
const tasks = config.tasks;

/** Tasks that keep all permissions, and why (the same reasons are in docs/permissions.md). */
const ALLOWED_ALL: Record<string, string> = {
  unit:
    "the tests start subprocesses with their own flags, read /proc (only under -A in Deno 2.9), " +
    "make temporary folders and start servers, Jupyter and Chromium",
  slurm: "--results is a shared folder anywhere on the cluster and it runs sbatch/squeue/scancel " +
    "from PATH; the reproduce calls it submits run with the reproduce task's flags",
};
/** Tasks that run a bash script; the deno calls in the scripts are checked below. */
const SCRIPT_TASKS: Record<string, string> = {
  setup: "scripts/setup.sh",
  test: "scripts/test_all.sh",
  "gpu-check": "scripts/gpu_check.sh",
  "gpu-check:build": "scripts/build_gpu_check.sh",
};
/** Tasks without runtime permissions (type checking only). */
const NO_RUNTIME = ["typecheck"];

const FFI_ALLOWED = [
  ...OPENBLAS_CANDIDATES,
  "./node_modules/@tensorflow/tfjs-node/lib",
  "./node_modules/@tensorflow/tfjs-node-gpu/lib",
];
const PROJECT_DENO = "./tools/node_modules/deno/deno";
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** The value of `--name` (`""` when given without one), or undefined when absent. */
function flag(command: string, name: string): string | undefined {
  const match = new RegExp(`--${name}(=(\\S+))?(\\s|$)`).exec(command);
  return match ? (match[2] ?? "") : undefined;
}

function allowsAll(command: string): boolean {
  return /(^|\s)-A(\s|$)/.test(command) || command.includes("--allow-all");
}

/** The problems of one deno call's permissions (none: scoped as required). */
function permissionProblems(command: string): string[] {
  const problems: string[] = [];
  if (allowsAll(command)) problems.push("all permissions (-A)");
  if (/(deno|deno_bin\}?)"? eval\s/.test(command)) problems.push("deno eval (every permission)");
  for (const name of ["read", "write", "run", "net", "ffi", "sys"]) {
    if (flag(command, `allow-${name}`) === "") problems.push(`--allow-${name} without a scope`);
  }
  for (const short of ["-R", "-W", "-N"]) {
    if (new RegExp(`(^|\\s)${short}(\\s|=|$)`).test(command)) {
      problems.push(`${short} (use the long flag with a scope)`);
    }
  }
  for (const host of (flag(command, "allow-net") || "").split(",").filter(Boolean)) {
    if (!LOOPBACK.test(host)) problems.push(`network beyond the loopback address: ${host}`);
  }
  for (const program of (flag(command, "allow-run") || "").split(",").filter(Boolean)) {
    // By absolute path, or the project's own Deno (tools/, what run.sh puts on PATH).
    if (!program.startsWith("/") && !program.startsWith("$") && program !== PROJECT_DENO) {
      problems.push(`--allow-run of ${program}: name programs by absolute path`);
    }
  }
  for (const library of (flag(command, "allow-ffi") || "").split(",").filter(Boolean)) {
    if (!FFI_ALLOWED.includes(library)) problems.push(`FFI beyond the BLAS list: ${library}`);
  }
  for (const path of (flag(command, "allow-write") || "").split(",").filter(Boolean)) {
    if (path === "/" || path === "." || path === "./") {
      problems.push(`writes to ${path} (name the folders)`);
    }
  }
  return problems;
}

Deno.test("every deno task is known to this test: scoped, a script, or allow-listed", () => {
  for (const [task, command] of Object.entries(tasks)) {
    if (task in SCRIPT_TASKS) {
      assertEquals(command, `bash ${SCRIPT_TASKS[task]}`, task);
    } else if (NO_RUNTIME.includes(task)) {
      assert(command.startsWith("deno check "), `${task}: ${command}`);
    } else if (task in ALLOWED_ALL) {
      assert(
        allowsAll(command),
        `${task} is allow-listed for -A but no longer needs it: remove it`,
      );
    } else {
      assert(/^deno (run|bench|test) /.test(command), `${task}: not a deno call: ${command}`);
      assertEquals(permissionProblems(command), [], `deno task ${task}: ${command}`);
      assert(
        command.includes("--no-prompt"),
        `${task}: a missing permission must fail, not prompt`,
      );
    }
  }
});

Deno.test("the permission check itself rejects what it should", () => {
  assertEquals(permissionProblems("deno run --allow-read=. x.ts"), []);
  assert(permissionProblems("deno run -A x.ts").length > 0);
  assert(permissionProblems("deno run --allow-read x.ts").length > 0);
  assert(permissionProblems("deno run --allow-net=example.com x.ts").length > 0);
  assert(permissionProblems("deno run --allow-net x.ts").length > 0);
  assertEquals(permissionProblems("deno run --allow-net=127.0.0.1:8888 x.ts"), []);
  assert(permissionProblems("deno run --allow-run=python3 x.ts").length > 0);
  assert(permissionProblems("deno run --allow-ffi=/tmp/lib.so x.ts").length > 0);
  assert(permissionProblems("deno run --allow-write=. x.ts").length > 0);
  assert(permissionProblems("deno run -R x.ts").length > 0);
  assert(permissionProblems(`"$deno_bin" eval --quiet 'x'`).length > 0);
});

for (const task of ["reproduce", "report", "profile"]) {
  Deno.test(`deno task ${task}: reads the project and the BLAS list, FFI only of the list, runs only Deno`, () => {
    const command = tasks[task];
    assert(command !== undefined, `no task ${task}`);
    assertEquals(flag(command, "allow-net"), undefined, "no network");
    // reproduce starts its worker processes (--workers): the project's own Deno, nothing else.
    assertEquals(
      flag(command, "allow-run"),
      task === "reproduce" ? PROJECT_DENO : undefined,
      "subprocesses",
    );
    assertEquals(flag(command, "allow-ffi")?.split(","), FFI_ALLOWED);
    const reads = flag(command, "allow-read")!.split(",");
    assertEquals(reads, [".", "/proc", ...OPENBLAS_CANDIDATES]);
    const writes = flag(command, "allow-write");
    // reproduce and report write results, the records (--select) and the README's tables.
    assertEquals(
      writes,
      task === "profile" ? undefined : "./results,./results-of-record,./README.md",
    );
  });
}

Deno.test("the benchmarks read the BLAS list and use FFI only on it", () => {
  for (const task of ["bench", "bench:demure", "bench:pytorch"]) {
    assertEquals(flag(tasks[task], "allow-ffi")?.split(","), FFI_ALLOWED, task);
    const reads = flag(tasks[task], "allow-read")!.split(",");
    for (const library of OPENBLAS_CANDIDATES) {
      assert(reads.includes(library), `${task} ${library}`);
    }
  }
});

/**
 * The deno calls (run, test, bench, eval) in a shell script, one per line (continuations joined):
 * `deno`, `$deno`, `${deno_bin}`, and a binary named by its path (`"$root/.../bin/deno" run`), which
 * the pattern missed before, so such a call with -A passed every check below unread.
 */
function denoCalls(path: string): string[] {
  const text = Deno.readTextFileSync(new URL(path, root)).replace(/\\\n\s*/g, " ");
  return text.split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .filter((line) =>
      /(^|[\s"'(/])("?\$\{?deno\}?"?|"?\$\{?deno_bin\}?"?|deno"?) (run|test|bench|eval) /.test(line)
    );
}

/** Shell lines allowed to keep -A, by script, with the reason (docs/permissions.md). */
const SCRIPT_ALLOWED_ALL: Record<string, RegExp[]> = {
  // The unit stage is `deno task unit` (allow-listed above). The usage line for a stray argument
  // names the command for one test file (README, "Tests"): a message, not a call.
  "scripts/test_all.sh": [/^\s*echo "test_all: unexpected argument: .*deno test -A tests\/<area>/],
  // Deno starts a subprocess with LD_LIBRARY_PATH set (the archive's libraries) only under an
  // unscoped --allow-run, and the check starts itself once per backend: docs/permissions.md.
  "scripts/gpu_check.sh": [/run -A scripts\/gpu_check\.ts/],
  "scripts/slurm/test_local_cluster.sh": [],
  "scripts/build_gpu_check.sh": [],
  "scripts/setup.sh": [],
  "run.sh": [],
};

for (const [script, allowed] of Object.entries(SCRIPT_ALLOWED_ALL)) {
  Deno.test(`${script}: deno calls are scoped (or allow-listed with a reason)`, () => {
    for (const line of denoCalls(script)) {
      if (allowed.some((pattern) => pattern.test(line))) continue;
      assertEquals(permissionProblems(line), [], `${script}: ${line.trim()}`);
    }
  });
}

Deno.test("the scripts behind the tasks hold no unlisted deno -A call", () => {
  for (const script of [...Object.values(SCRIPT_TASKS), "scripts/slurm/test_local_cluster.sh"]) {
    for (const line of denoCalls(script)) {
      if (!allowsAll(line)) continue;
      assert(
        (SCRIPT_ALLOWED_ALL[script] ?? []).some((pattern) => pattern.test(line)),
        `${script}: ${line.trim()}`,
      );
    }
  }
});

Deno.test("./run.sh lab runs the server with the lab task's permissions", () => {
  const line = Deno.readTextFileSync(new URL("run.sh", root)).split("\n")
    .find((text) => text.includes("scripts/lab.ts"));
  assert(line !== undefined, "run.sh has no lab line");
  const flags = (command: string) =>
    command.split(/\s+/).filter((word) => word.startsWith("--allow-") || word === "--no-prompt");
  assertEquals(flags(line), flags(tasks.lab));
});

Deno.test("docs/permissions.md has a row for every task", () => {
  const doc = Deno.readTextFileSync(new URL("docs/permissions.md", root));
  for (const task of Object.keys(tasks)) {
    assert(doc.includes(`| \`${task}\``), `docs/permissions.md: no row for \`${task}\``);
  }
  for (const task of Object.keys(ALLOWED_ALL)) {
    assert(
      new RegExp(`\\| \`${task}\`[^\\n]*-A`).test(doc),
      `docs/permissions.md: the row of ${task} says it keeps -A`,
    );
  }
});

Deno.test("docs/permissions.md: each task's row names the system information it may read", () => {
  // The words of the table's last column for each --allow-sys name. The profile row once said
  // "host name" where its flags allowed the load average too.
  const words: Record<string, string> = { hostname: "host name", uid: "uid", loadavg: "load" };
  const doc = Deno.readTextFileSync(new URL("docs/permissions.md", root));
  for (const [task, command] of Object.entries(tasks)) {
    const row = doc.split("\n").find((line) => line.startsWith(`| \`${task}\``));
    const other = row?.split("|").at(-2)?.trim() ?? "";
    // A row "as `reproduce`", and the bash and -A tasks, describe theirs elsewhere.
    if (other.startsWith("as `") || !/^deno (run|bench) /.test(command)) continue;
    const allowed = command.match(/--allow-sys=(\S+)/)?.[1].split(",") ?? [];
    for (const [name, word] of Object.entries(words)) {
      assertEquals(
        new RegExp(`\\b${word}\\b`).test(other),
        allowed.includes(name),
        `docs/permissions.md, row of ${task}: "${other}" against --allow-sys=${allowed}`,
      );
    }
  }
});

Deno.test("scripts/task_permissions.ts --help prints its usage; a typo names the options", async () => {
  const run = async (...args: string[]) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-read=deno.json",
        "scripts/task_permissions.ts",
        ...args,
      ],
      cwd: root,
      stdin: "null",
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
  };
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await run(flag);
    assertEquals([code, stderr], [0, ""], flag);
    assert(stdout.startsWith("usage: deno run --no-prompt --allow-read=deno.json"), stdout);
    for (const option of ["TASK", "--read-write DIR", "--read DIR"]) {
      assert(stdout.includes(option));
    }
  }
  // One task only: a second name (a folder given without --read-write) is refused, not dropped
  // (found by mutation round FE, FE13).
  const two = await run("reproduce", "/results");
  assertEquals([two.code, two.stdout, two.stderr], [
    2,
    "",
    "task_permissions: name one task (e.g. reproduce)\n",
  ]);
  const typo = await run("reproduce", "--read-wrte", "/x");
  assertEquals(
    [typo.code, typo.stderr],
    [
      2,
      "task_permissions: Unknown option '--read-wrte' (options: --read-write, --read, " +
      "--help/-h)\n",
    ],
  );
});

Deno.test("taskPermissions: a task's flags with folders added to its reads and writes", () => {
  const flags = taskPermissions(
    "deno run --no-prompt --allow-read=.,/proc --allow-env --allow-ffi=/lib/x.so " +
      "--allow-write=./results scripts/reproduce.ts --quick",
    ["/shared/out"],
  );
  assertEquals(flags, [
    "--no-prompt",
    "--allow-read=.,/proc,/shared/out",
    "--allow-env",
    "--allow-ffi=/lib/x.so",
    "--allow-write=./results,/shared/out",
  ]);
  // A task without flags: its script is no flag, and the folders still get theirs.
  assertEquals(taskPermissions("deno run scripts/reproduce.ts --quick", ["/r"]), [
    "--allow-read=/r",
    "--allow-write=/r",
  ]);
  assertEquals(taskPermissions("deno run --allow-env scripts/reproduce.ts", ["/r"]), [
    "--allow-env",
    "--allow-read=/r",
    "--allow-write=/r",
  ]);
  assertEquals(taskPermissions("deno run --allow-env s.ts", []), ["--allow-env"]);
  // Read-only folders (a dataset elsewhere) go to the reads only.
  assertEquals(
    taskPermissions("deno run --allow-read=. --allow-write=./results s.ts", ["/out"], ["/data"]),
    ["--allow-read=.,/out,/data", "--allow-write=./results,/out"],
  );
  assertEquals(taskPermissions("deno run --allow-env s.ts", [], ["/data"]), [
    "--allow-env",
    "--allow-read=/data",
  ]);
  assertThrows(() => taskPermissions("deno run --allow-env s.ts", [], ["/a b"]));
  // An empty folder (`--read-write ""`) is refused too, not added as "--allow-read=.,"
  // (found by mutation round FE, FE11).
  for (const [readWrite, readOnly] of [[[""], []], [[], [""]]] as const) {
    const error = assertThrows(() =>
      taskPermissions("deno run --allow-read=. s.ts", readWrite, readOnly)
    );
    assertEquals(error.message, 'folder "" is empty or holds white space or a comma');
  }
  // Shown as a JSON string: a line break in the folder's name is "\n", not a broken message line.
  assertEquals(
    assertThrows(() => taskPermissions("deno run --allow-read=. s.ts", ["my\nresults"])).message,
    'folder "my\\nresults" is empty or holds white space or a comma',
  );
  // A task that reads or writes everything keeps its unscoped flag, not narrowed to the folders
  // added: Deno takes "--allow-read --allow-read=/r" as reads of /r only (found by mutation
  // round FE, FE14).
  assertEquals(taskPermissions("deno run --allow-read --allow-write=./o s.ts", ["/r"]), [
    "--allow-read",
    "--allow-write=./o,/r",
  ]);
  assertEquals(taskPermissions("deno run -R -W s.ts", ["/r"], ["/d"]), ["-R", "-W"]);
  assertEquals(taskPermissions("deno run --allow-write s.ts", ["/r"]), [
    "--allow-write",
    "--allow-read=/r",
  ]);
  // A task whose script comes from `deno task NAME script.ts`: its last flag is kept (FE41).
  assertEquals(taskPermissions("deno run --allow-env --allow-read=.", ["/r"]), [
    "--allow-env",
    "--allow-read=.,/r",
    "--allow-write=/r",
  ]);
  // Only reads added: the writes are left as they were, no trailing comma (FE12).
  assertEquals(
    taskPermissions("deno run --allow-read=. --allow-write=./results s.ts", [], ["/data"]),
    ["--allow-read=.,/data", "--allow-write=./results"],
  );
  for (
    const [command, paths] of [
      ["deno run -A scripts/reproduce.ts", ["/r"]],
      ["deno run --allow-all scripts/reproduce.ts", ["/r"]],
      ["bash scripts/x.sh", ["/r"]],
      ["deno run --allow-env s.ts", ["/with space"]],
      ["deno run --allow-env s.ts", ["/a,/b"]],
    ] as const
  ) {
    let refused = false;
    try {
      taskPermissions(command, paths);
    } catch {
      refused = true;
    }
    assert(refused, `${command} ${paths}`);
  }
});

Deno.test("task_permissions.ts prints the reproduce task's flags plus a folder, under its own flags", () => {
  const output = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-read=deno.json",
      "scripts/task_permissions.ts",
      "reproduce",
      "--read-write",
      "/results",
    ],
    cwd: new URL(".", root).pathname,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const decoder = new TextDecoder();
  assert(output.success, decoder.decode(output.stderr));
  assertEquals(
    decoder.decode(output.stdout).trim(),
    taskPermissions(tasks.reproduce, ["/results"]).join(" "),
  );
});
