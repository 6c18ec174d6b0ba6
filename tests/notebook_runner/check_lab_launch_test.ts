/**
 * scripts/check_lab_launch.ts: the line a failed browser launch ends with, and the one puppeteer
 * error check_lab drops (Deno refusing Node's `process.kill` under scoped `--allow-run`), tested
 * on real errors of that shape made in a subprocess with scoped permissions
 * (_refused_kill_probe.ts): a guard that dropped any `NotCapable` would also hide a refused read,
 * and one that dropped nothing would let the check die with the server running.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { cannotStart, isRefusedKill, launchFailure } from "../../scripts/check_lab_launch.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const PROBE = new URL("./_refused_kill_probe.ts", import.meta.url).pathname;

/** The probe run with `args` under the check-lab task's kind of permissions: run scoped, read too. */
async function probe(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      `--allow-read=${projectRoot}`,
      "--allow-run=/usr/bin/true",
      PROBE,
      ...args,
    ],
    cwd: projectRoot,
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("isRefusedKill: true for Node's process.kill refused, false for another refusal", async () => {
  const { code, stdout, stderr } = await probe("shapes");
  assertEquals(code, 0, stderr);
  assertEquals(JSON.parse(stdout), { kill: true, read: false, run: false });
});

Deno.test("isRefusedKill: false for other errors and non-errors", () => {
  assertEquals(isRefusedKill(new Error("at process.kill (node:process:1:1)")), false);
  assertEquals(isRefusedKill("NotCapable"), false);
  assertEquals(isRefusedKill(undefined), false);
  // A refusal whose stack does not pass through Node's process.kill.
  assertEquals(isRefusedKill(new Deno.errors.NotCapable("Requires run access")), false);
  // Nor one that only names it (its message is the stack's first line, not a frame of it): the
  // frame is what is matched, not any mention (mutation round IL, IL14).
  assertEquals(
    isRefusedKill(new Deno.errors.NotCapable("refused: process.kill (node:process)")),
    false,
  );
});

Deno.test("dropRefusedKills: a refused kill left unhandled is dropped once the launch has ended", async () => {
  const { code, stdout, stderr } = await probe("drop", "kill", "yes");
  assertEquals(code, 0, stderr);
  assertEquals(stdout, "survived\n");
});

Deno.test("dropRefusedKills: before the launch has ended a refused kill stays fatal", async () => {
  const { code, stdout, stderr } = await probe("drop", "kill", "no");
  assert(code !== 0, stdout);
  assertEquals(stdout, "");
  assertStringIncludes(stderr, "NotCapable");
});

Deno.test("dropRefusedKills: another refusal stays fatal after the launch has ended", async () => {
  const { code, stdout, stderr } = await probe("drop", "read", "yes");
  assert(code !== 0, stdout);
  assertEquals(stdout, "");
  assertStringIncludes(stderr, "/etc/hostname");
});

Deno.test("launchFailure: the browser's path and the first line of the launch's error", () => {
  const closed = new Error("Protocol error (Target.setDiscoverTargets): Target closed\n  more");
  closed.name = "TargetCloseError";
  assertEquals(
    launchFailure("/usr/bin/chromium", closed),
    "Chromium /usr/bin/chromium did not start: TargetCloseError: Protocol error " +
      "(Target.setDiscoverTargets): Target closed",
  );
  assertEquals(
    launchFailure("/c", new Error("Failed to launch the browser process!\n\nstderr: x")),
    "Chromium /c did not start: Failed to launch the browser process!",
  );
  assertEquals(launchFailure("/c", "gone\nmore"), "Chromium /c did not start: gone");
});

Deno.test("cannotStart: a program that is not an executable file, or none, is named", async () => {
  const dir = await Deno.makeTempDir({ prefix: "check_lab_launch_test_" });
  try {
    const plain = `${dir}/chromium`;
    await Deno.writeTextFile(plain, "#!/bin/sh\n");
    await Deno.chmod(plain, 0o644);
    assertEquals(cannotStart(plain), `${plain} is not an executable file (mode 644)`);
    assertEquals(cannotStart(dir), `${dir} is not an executable file (mode 700)`);
    assertStringIncludes(cannotStart(`${dir}/none`) ?? "", `${dir}/none: `);
    await Deno.chmod(plain, 0o755);
    assertEquals(cannotStart(plain), undefined);
    // Any execute bit, not only the owner's: the system decides who may run it (mutation round
    // IL, IL12).
    await Deno.chmod(plain, 0o654);
    assertEquals(cannotStart(plain), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
