/**
 * releaseClaimsOnSignal (lib/experiments/claim_release.ts) with no `log` of its own: the line
 * naming the claims it gave up goes to stderr, never to stdout (which a script's caller may parse),
 * and a SIGTERM is handled (exit 143, the claim given up) like a SIGINT. Run in a probe process,
 * as the handler exits its process. Found by mutation round MC (MC18, MC41).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { readClaim } from "../../lib/experiments/_claim_files.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";

const probe = `
import { releaseClaimsOnSignal } from "${
  new URL("../../lib/experiments/claim_release.ts", import.meta.url).href
}";
import { ResultStore } from "${
  new URL("../../lib/experiments/result_store.ts", import.meta.url).href
}";
const [directory] = Deno.args;
releaseClaimsOnSignal();
const store = new ResultStore(directory);
if (store.claim("k") !== undefined) throw new Error("k is held");
console.log("claimed");
Deno.kill(Deno.pid, "SIGTERM");
setInterval(() => {}, 60_000);
`;

Deno.test({
  name: "releaseClaimsOnSignal: by default the claims given up on SIGTERM are named on stderr",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const directory = Deno.makeTempDirSync();
    try {
      const file = `${directory}/probe.ts`;
      Deno.writeTextFileSync(file, probe);
      const claims = `${directory}/cells`;
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", file, claims],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const decoder = new TextDecoder();
      const stdout = decoder.decode(output.stdout);
      const stderr = decoder.decode(output.stderr);
      const claim = new ResultStore(claims).claimPathOf("k");
      assertEquals([output.code, output.signal], [143, null], stderr);
      assertEquals(stdout, "claimed\n");
      assertStringIncludes(stderr, `SIGTERM: gave up 1 claim(s) (${claim}); a rerun resumes`);
      assertEquals(readClaim(claim), undefined, "the claim stays");
    } finally {
      Deno.removeSync(directory, { recursive: true });
    }
  },
});
