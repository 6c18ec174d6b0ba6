/**
 * What `apply.sh` (scripts/kubernetes/manifests.ts) shows while a stage's Job runs for hours: it
 * printed the stage's line and then nothing until the next stage. Each Job now has one line when
 * the wait starts (its name, the poll interval, how to see its pods) and one with the minutes it
 * took once complete, whatever the number of checks: never a line per check.
 */
import { assertEquals } from "@std/assert";
import { applyScript } from "../../scripts/kubernetes/manifests.ts";
import { runCaptured } from "../slurm/_run.ts";
import { settingsIn, stageArray } from "./_manifest_settings.ts";

/** A stand-in kubectl in a new folder: `get job` answers "" (running) `running` times, then
 * "Complete"; a stand-in `sleep` returns at once. */
function standIns(running: number): string {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(
    `${dir}/kubectl`,
    `#!/bin/bash
if [[ $1 == get ]]; then
  n=$(cat ${dir}/$3 2>/dev/null || echo 0)
  echo $((n + 1)) > ${dir}/$3
  (( n < ${running} )) && { echo; exit 0; }
  echo Complete
fi
exit 0
`,
  );
  Deno.writeTextFileSync(`${dir}/sleep`, "#!/bin/bash\nexit 0\n");
  Deno.chmodSync(`${dir}/kubectl`, 0o755);
  Deno.chmodSync(`${dir}/sleep`, 0o755);
  return dir;
}

Deno.test("apply.sh: a line when each Job's wait starts and one when it completed, not one per check", () => {
  const settings = settingsIn("/w");
  const arrays = [stageArray(0, ["a", "b"]), stageArray(1, ["c"])];
  for (const running of [0, 40]) {
    const dir = standIns(running);
    try {
      Deno.writeTextFileSync(`${dir}/apply.sh`, applyScript(arrays, settings));
      const run = runCaptured("bash", [`${dir}/apply.sh`], {
        PATH: `${dir}:/usr/bin:/bin`,
        DEMURE_KUBECTL_POLL_S: "7",
      });
      const stdout = run.stdout;
      assertEquals(run.code, 0, run.stderr);
      const jobs = stdout.split("\n").filter((line) => line.startsWith("  "));
      const names = stdout.match(/\(job ([^)]+)\)/g)!.map((m) => m.slice(5, -1));
      assertEquals(names.length, 3, stdout);
      assertEquals(
        jobs,
        names.flatMap((job) => [
          `  waiting for job ${job} (checked every 7 s; kubectl get job ${job} shows its pods)`,
          `  job ${job} complete after 0 min`,
        ]),
        `${running} checks running`,
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  }
});
