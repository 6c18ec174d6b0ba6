/**
 * The settings and stage arrays the tests of scripts/kubernetes/manifests.ts build their manifests
 * from (manifests_test.ts, manifests_gaps_test.ts): one home, so that the two cannot drift apart.
 */
import type { StageArray } from "../../scripts/cluster/stages.ts";
import type { KubernetesSettings } from "../../scripts/kubernetes/manifests.ts";

/** Settings of a quick plan's manifests for a checkout at `workspace`. */
export function settingsIn(workspace: string): KubernetesSettings {
  return {
    image: "registry.example.org/demure:abc",
    workspace,
    claim: "demure-results",
    mount: "/results",
    name: "demure",
    parallelism: 2,
    gpus: 0,
    deno: "tools/node_modules/.bin/deno",
    permissions: ["--no-prompt", "--allow-read=.,/results", "--allow-write=./results,/results"],
    resultsDir: "/results/quick",
    planArgs: ["--quick"],
  };
}

/** Stage `stage`'s array of `keys`, each task asking 2 CPUs, 1536 MB and 13 minutes. */
export function stageArray(stage: number, keys: string[]): StageArray {
  return { stage, keys, resources: { cpus: 2, memoryMb: 1536, minutes: 13 } };
}
