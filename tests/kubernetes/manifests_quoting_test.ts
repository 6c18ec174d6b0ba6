/**
 * Quoting audit of the Kubernetes manifests (scripts/kubernetes/manifests.ts): every value a user
 * gives (the results folder, the mount, the workspace, the plan's flags, the image, the backend)
 * and every cell key, however odd (spaces, quotes, a backslash, `$`, a backquote, a newline, `:`,
 * `#`, a leading `-`, letters of any script, an empty word), reaches the manifest's YAML and the
 * pod's bash command line as exactly itself. The manifest files are read back by a YAML reader
 * (tests/kubernetes/_yaml_flow.ts), the pods' commands run in bash against a stand-in deno that
 * prints its arguments.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { runCaptured } from "../slurm/_run.ts";
import { parseYamlFlow } from "./_yaml_flow.ts";
import { settingsIn, stageArray } from "./_manifest_settings.ts";
import {
  applyScript,
  type KubernetesSettings,
  manifestText,
  reportJob,
  stageJob,
} from "../../scripts/kubernetes/manifests.ts";

/** Values bash or YAML would take for something else, were they not quoted. */
const ODD = [
  "with space",
  "it's",
  'say "hi"',
  "back\\slash",
  "$HOME",
  "a`id`b",
  "two\nlines",
  "key: value",
  "#comment",
  "-x",
  "ünï 😀 日本",
  "",
  '"$cell"',
  "tab\there",
];

/** Characters YAML does not read as themselves when they stand raw (DEL, C1, separators, BOM). */
const NOT_YAML_PRINTABLE = ["\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufeff", "\ufffe"];

type Pod = {
  image: string;
  workingDir: string;
  command: string[];
  args: string[];
  env?: { name: string; value: string }[];
  volumeMounts: { mountPath: string }[];
};

function podOf(manifest: unknown): Pod {
  return (manifest as { spec: { template: { spec: { containers: Pod[] } } } }).spec.template.spec
    .containers[0];
}

/** A workspace with a stand-in deno that writes its arguments, each ended by a NUL byte, to args. */
function standInWorkspace(): string {
  const workspace = Deno.makeTempDirSync({ prefix: "k8s_quoting_" });
  Deno.mkdirSync(`${workspace}/tools/node_modules/.bin`, { recursive: true });
  Deno.writeTextFileSync(
    `${workspace}/tools/node_modules/.bin/deno`,
    "#!/bin/bash\nprintf '%s\\0' \"$@\" >args\n",
  );
  Deno.chmodSync(`${workspace}/tools/node_modules/.bin/deno`, 0o755);
  return workspace;
}

/**
 * Runs a pod's command as Kubernetes would (its command, its args, in its workingDir, with
 * `env`), and returns the arguments the stand-in deno got.
 */
function runPod(pod: Pod, env: Record<string, string> = {}): string[] {
  const run = new Deno.Command(pod.command[0], {
    args: [...pod.command.slice(1), ...pod.args],
    cwd: pod.workingDir,
    env: { ...env, PATH: "/usr/bin:/bin" },
    stdout: "null",
    stderr: "piped",
  }).outputSync();
  assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
  const args = Deno.readTextFileSync(`${pod.workingDir}/args`);
  Deno.removeSync(`${pod.workingDir}/args`);
  return args.split("\0").slice(0, -1);
}

Deno.test("manifestText: YAML reads every odd value back as itself, the characters YAML refuses raw escaped", () => {
  for (const value of [...ODD, ...NOT_YAML_PRINTABLE, "\x01\b\f\r\x1b"]) {
    const manifest = { metadata: { name: value }, spec: { list: [value, 1, true] } };
    const text = manifestText(manifest);
    assertEquals(parseYamlFlow(text), manifest, JSON.stringify(value));
    assertEquals(JSON.parse(text), manifest, JSON.stringify(value));
  }
  // Raw, each would be refused (or, U+0085 and the separators, read as a line break) by YAML: the
  // reader here refuses it, so the escapes above are what made those values pass.
  for (const char of NOT_YAML_PRINTABLE) {
    const raw = JSON.stringify({ name: `a${char}b` });
    assertThrows(() => parseYamlFlow(raw), Error, "stands raw in a string");
    assertEquals(manifestText({ name: `a${char}b` }).includes(char), false, JSON.stringify(char));
  }
});

Deno.test("a stage pod passes odd keys, results folder, mount and plan flags to deno as themselves", () => {
  const workspace = standInWorkspace();
  try {
    const mount = "/mnt/it's $x #ü";
    const settings: KubernetesSettings = {
      ...settingsIn(workspace),
      mount,
      permissions: ["--no-prompt", `--allow-read=.,${mount}`, `--allow-write=${mount}`],
      resultsDir: `${mount}/a"b\\c\`d\`:e#f`,
      planArgs: ODD,
      image: "registry.example.org/démure:1",
      backend: "a b'c",
    };
    const keys = ODD.map((value) => `quick/${value}/seed=0`);
    const job = parseYamlFlow(manifestText(stageJob(stageArray(1, keys), settings)));
    const pod = podOf(job);
    assertEquals(pod.image, settings.image);
    assertEquals(pod.workingDir, workspace);
    assertEquals(pod.volumeMounts[0].mountPath, mount);
    assertEquals(pod.env?.find((e) => e.name === "DEMURE_BACKEND")?.value, settings.backend);
    for (const index of [0, 6, 12, keys.length - 1]) {
      assertEquals(runPod(pod, { JOB_COMPLETION_INDEX: String(index) }), [
        "run",
        ...settings.permissions,
        "scripts/reproduce.ts",
        "--cell",
        keys[index],
        "--results",
        settings.resultsDir,
        ...ODD,
      ], `index ${index}`);
    }
  } finally {
    Deno.removeSync(workspace, { recursive: true });
  }
});

Deno.test("the report pod passes an odd results folder and plan flags to deno as themselves", () => {
  const workspace = standInWorkspace();
  try {
    const settings = { ...settingsIn(workspace), resultsDir: "/results/$(id) 'q'", planArgs: ODD };
    const pod = podOf(parseYamlFlow(manifestText(reportJob(settings))));
    assertEquals(runPod(pod), [
      "run",
      ...settings.permissions,
      "scripts/reproduce.ts",
      "--report-only",
      "--results",
      settings.resultsDir,
      ...ODD,
    ]);
  } finally {
    Deno.removeSync(workspace, { recursive: true });
  }
});

Deno.test("apply.sh runs the manifests of its own folder when that folder's name holds odd characters", () => {
  // `cd "$(dirname "$0")"`: a folder moved or copied under a name with a space, a quote, `$`, a
  // backquote or a newline is still the one whose manifests it applies.
  const top = Deno.makeTempDirSync({ prefix: "k8s_apply_" });
  try {
    const dir = `${top}/run's $x \`id\` #ü\nnext`;
    Deno.mkdirSync(dir);
    Deno.writeTextFileSync(
      `${dir}/apply.sh`,
      applyScript([stageArray(0, ["k"])], settingsIn("/w")),
    );
    // A stand-in kubectl: logs where it runs and what it is asked; every Job has completed.
    Deno.writeTextFileSync(
      `${top}/kubectl`,
      `#!/bin/bash\nprintf '%s: %s\\0' "$PWD" "$*" >>${top}/calls\n[[ $1 == get ]] && echo Complete\nexit 0\n`,
    );
    Deno.chmodSync(`${top}/kubectl`, 0o755);
    const run = runCaptured("bash", [`${dir}/apply.sh`], { PATH: `${top}:/usr/bin:/bin` });
    assertEquals(run.code, 0, run.stderr);
    const calls = Deno.readTextFileSync(`${top}/calls`).split("\0").slice(0, -1);
    assertEquals(calls.filter((call) => call.includes(": apply ")), [
      `${dir}: apply -f stage0.json`,
      `${dir}: apply -f report.json`,
    ]);
  } finally {
    Deno.removeSync(top, { recursive: true });
  }
});
