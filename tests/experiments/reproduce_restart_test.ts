/**
 * scripts/reproduce_restart.ts's runAgain, on a probe (tests/experiments/_restart_probe.ts): the
 * second process gets the flags and arguments given, its status is the first's, a SIGTERM sent to
 * the first is passed on, and a SIGINT (which a terminal sends to both) does not end the first
 * before the second. Found by mutation round IL (IL01, IL03-IL05).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { readUntil } from "../_read_until.ts";

const probe = new URL("./_restart_probe.ts", import.meta.url).pathname;

function startParent(
  flags: string[],
  args: string[],
  role = "parent",
  env: Record<string, string> = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    // The first process may start Deno and read the probe; the second gets `flags` alone.
    args: [
      "run",
      "--no-check",
      "--allow-run",
      "--allow-read",
      "--allow-env=PROBE_SIGNAL",
      probe,
      role,
      ...flags,
      "--",
      ...args,
    ],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("runAgain: the second process runs with the flags and arguments given; its status is returned", async () => {
  for (
    const [flags, read] of [[["--no-check", "--allow-read=/"], "granted"], [
      ["--no-check"],
      "prompt",
    ]] as const
  ) {
    const { code, stdout, stderr } = await startParent([...flags], ["report", "--restarted"])
      .output();
    const text = new TextDecoder().decode(stdout);
    assertEquals(code, 5, text + new TextDecoder().decode(stderr));
    assertEquals(JSON.parse(text), { read, args: ["report", "--restarted"] });
  }
});

Deno.test("runAgain: a SIGINT to the first process leaves it waiting; a SIGTERM is passed on to the second", async () => {
  const parent = startParent(["--no-check"], ["wait"]);
  const reader = parent.stdout.getReader();
  assertStringIncludes(await readUntil(reader, "ready"), "ready");
  // The first process alone: the terminal's Ctrl-C reaches the second by itself, not this way.
  parent.kill("SIGINT");
  parent.kill("SIGTERM");
  const rest = await readUntil(reader, "\u0000");
  reader.releaseLock();
  const status = await parent.status;
  await parent.stderr.cancel();
  assertStringIncludes(rest, "child got SIGTERM");
  assertEquals({ code: status.code, signal: status.signal }, { code: 7, signal: null });
});

Deno.test("runAgain: once it has returned, SIGINT and SIGTERM end the first process again", async () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const parent = startParent(["--no-check"], ["report"], "parent-then-signal", {
      PROBE_SIGNAL: signal,
    });
    const { code, signal: endedBy, stdout } = await parent.output();
    // Mutation round IL (IL41): a listener left in place kept the process running.
    assertEquals({ endedBy, code }, { endedBy: signal, code: signal === "SIGINT" ? 130 : 143 });
    assertEquals(new TextDecoder().decode(stdout).includes("did not end"), false);
  }
});

Deno.test("reproduce: a run started again that is still refused stops with one line; it never starts a third", async () => {
  const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
  const project = await Deno.makeTempDir({ prefix: "reproduce_restart_project_" });
  const data = await Deno.makeTempDir({ prefix: "reproduce_restart_data_" });
  try {
    Deno.copyFileSync(`${root}/tests/fixtures/byo/tiny.txt`, `${data}/tiny.txt`);
    // A task whose --deny-read outlasts the read the restart adds: the second process is refused
    // too. Without the restart's mark it started a third, and so on (mutation round IL, IL02).
    const flags = [
      `--config=${root}/deno.json`,
      "--no-prompt",
      `--allow-read=.,${root}`,
      `--deny-read=${data}/tiny.txt`,
      "--allow-env",
      `--allow-run=${Deno.execPath()}`,
    ];
    const script = `${root}/scripts/reproduce.ts`;
    Deno.writeTextFileSync(
      `${project}/deno.json`,
      JSON.stringify({ tasks: { reproduce: `deno run ${flags.join(" ")} ${script}` } }),
    );
    const run = new Deno.Command(Deno.execPath(), {
      args: ["run", ...flags, script, "--list-cells", `--dataset=${data}/tiny.txt`]
        .concat("--format=sequence"),
      cwd: project,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const reader = run.stderr.getReader();
    const decoder = new TextDecoder();
    const note = "outside the project, so added to the reproduce task's permissions";
    let stderr = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      stderr += decoder.decode(value, { stream: true });
      // A second restart: end the chain (SIGTERM is passed on down it) and fail below.
      if (stderr.split(note).length > 2) {
        run.kill("SIGTERM");
        break;
      }
    }
    reader.releaseLock();
    await run.stderr.cancel();
    const { code } = await run.status;
    assertEquals(stderr.split(note).length, 2, stderr);
    assertStringIncludes(
      stderr,
      `reproduce: --dataset ${data}/tiny.txt: this task may not read there; a folder outside ` +
        "the project is added by the run starting itself again with it, which a run started " +
        "again once already does not do again;",
    );
    assertEquals(code, 2, stderr);
  } finally {
    await Deno.remove(project, { recursive: true });
    await Deno.remove(data, { recursive: true });
  }
});
