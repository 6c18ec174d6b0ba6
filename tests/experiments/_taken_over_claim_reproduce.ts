/**
 * `reproduce` with its arguments, in which each cell's claim is taken over as soon as it is made:
 * the claim file is rewritten as held by this process's parent (the test: alive), as a process
 * that found the claim stale would write it, so the cell's next heartbeat finds it lost. Run by
 * tests/experiments/cell_command_test.ts.
 */
const { linkSync } = Deno;
Deno.linkSync = (from, to) => {
  linkSync(from, to);
  // A cell's claim is the hard link to its `.claim` file (lib/experiments/_claim_files.ts).
  if (!String(to).endsWith(".claim")) return;
  const claim = JSON.parse(Deno.readTextFileSync(to));
  Deno.writeTextFileSync(to, JSON.stringify({ ...claim, pid: Deno.ppid, job: "taking-over" }));
};
await import("../../scripts/reproduce.ts");
