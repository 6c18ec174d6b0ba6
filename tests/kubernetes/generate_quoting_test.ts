/**
 * Quoting audit of `deno task kubernetes` (scripts/kubernetes/generate.ts), run with the task's own
 * flags: odd values the pods can take (a mount and a results folder holding quotes, `$`, `#`, a
 * backquote, a backslash, letters outside ASCII; an IPv6 registry with a digest; an --out with a
 * quote) reach the written manifests, read back as YAML, and the pod's bash command line as
 * themselves; values Kubernetes or the pods could not take are refused before anything is written,
 * each message naming the setting, the value (quoted when it is not plain) and what is allowed.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { parseYamlFlow } from "./_yaml_flow.ts";
import { generate, root } from "./_generate.ts";
import { pathExists } from "../../lib/util/mod.ts";

type Pod = {
  image: string;
  command: string[];
  args: string[];
  volumeMounts: { mountPath: string }[];
};

function podIn(path: string): Pod {
  const job = parseYamlFlow(Deno.readTextFileSync(path)) as {
    spec: { template: { spec: { containers: Pod[] } } };
  };
  return job.spec.template.spec.containers[0];
}

Deno.test("deno task kubernetes: an odd mount, results folder, image and --out reach the YAML and the pods' bash as themselves", () => {
  const out = `build/kubernetes'quoting$-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}/${out}`);
  const workspace = Deno.makeTempDirSync({ prefix: "k8s_quoting_" });
  const mount = "/mnt/it's$x#ü\"q\\b`c`";
  const results = `${mount}/r'$(id)\\:é#`;
  const image = "[::1]:5000/demure_x.y-z+w@sha256:0f1e";
  try {
    const made = generate([
      ...["--image", image, "--quick", "--out", out, "--mount", mount, "--results", results],
    ]);
    assertEquals(made.code, 0, made.stderr);
    // The command it prints to run apply.sh is one word for a shell.
    assertEquals(
      made.stdout.trimEnd().split("\n").at(-1),
      `wrote ${root}/${out}/: run 'build/kubernetes'\\''quoting$-${
        out.split("-").at(-1)
      }/apply.sh' with kubectl on PATH`,
    );
    // The image's deno, stood in by one that writes its arguments (NUL-ended) to a file.
    Deno.mkdirSync(`${workspace}/tools/node_modules/.bin`, { recursive: true });
    Deno.writeTextFileSync(
      `${workspace}/tools/node_modules/.bin/deno`,
      "#!/bin/bash\nprintf '%s\\0' \"$@\" >args\n",
    );
    Deno.chmodSync(`${workspace}/tools/node_modules/.bin/deno`, 0o755);
    for (const file of ["stage0.json", "report.json"]) {
      const pod = podIn(`${root}/${out}/${file}`);
      assertEquals([pod.image, pod.volumeMounts[0].mountPath], [image, mount], file);
      const run = new Deno.Command(pod.command[0], {
        args: [...pod.command.slice(1), ...pod.args],
        cwd: workspace,
        env: { JOB_COMPLETION_INDEX: "0", PATH: "/usr/bin:/bin" },
        stdout: "null",
        stderr: "piped",
      }).outputSync();
      assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
      const args = Deno.readTextFileSync(`${workspace}/args`).split("\0").slice(0, -1);
      assertEquals(args.slice(args.indexOf("--results")), ["--results", results, "--quick"], file);
      // The mount is added to the permissions, whole.
      for (const flag of ["--allow-read=", "--allow-write="]) {
        const permission = args.find((arg) => arg.startsWith(flag)) ?? "";
        assertEquals(permission.split(",").at(-1), mount, flag);
      }
    }
  } finally {
    Deno.removeSync(workspace, { recursive: true });
    removeMade();
  }
});

Deno.test("deno task kubernetes refuses a mount, image, results folder or --out the pods could not take, naming it", () => {
  const out = `build/kubernetes-quoting-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}/${out}`);
  const base = ["--quick", "--out", out];
  const image = ["--image", "i", ...base];
  const mountRule = 'a mountPath holds no ":" and no "." or ".." part or "//"';
  const imageRule = "an image reference holds no white space or control characters, only ASCII " +
    "letters, digits and . _ - / : @ + [ ]";
  const cases: [string[], string][] = [
    // Kubernetes refuses a mountPath with ".." or ":" only once applied; "." and "//" made the
    // results folder (normalised) not "under" the mount as written.
    [[...image, "--mount", "/a/../results"], `--mount /a/../results: ${mountRule}`],
    [[...image, "--mount", "/results/."], `--mount /results/.: ${mountRule}`],
    [[...image, "--mount", "//results"], `--mount //results: ${mountRule}`],
    [[...image, "--mount", "/res:ults"], `--mount /res:ults: ${mountRule}`],
    // A newline in a message is shown as \n, not as a broken line.
    [[...image, "--mount", "/a\nb"], '--mount "/a\\nb": must be an absolute path'],
    [[...image, "--results", "/results/a\nb"], '--results "/results/a\\nb": must be a folder'],
    [[...image, "--results", "/results/a,b"], "--results /results/a,b: must be a folder"],
    [["--out", "/tmp/k8s", "--image", "i"], "--out /tmp/k8s: must be a folder under build/"],
    // The plan is listed in a folder made in it, named in permission flags a space would split:
    // that was refused as a --results folder never given.
    [["--out", "build/k 8s", "--image", "i"], '--out "build/k 8s": must be a folder under build/'],
    [["--out", "build/k,8s", "--image", "i"], "--out build/k,8s: must be a folder under build/"],
    [["--image", 'demure:1"', ...base], `--image "demure:1\\"": ${imageRule}`],
    [["--image", "reg/demure:$TAG", ...base], `--image "reg/demure:$TAG": ${imageRule}`],
    [["--image", "démure:1", ...base], `--image "démure:1": ${imageRule}`],
    [["--image", "demure#1", ...base], `--image "demure#1": ${imageRule}`],
    // An empty value is refused by name, whatever the option.
    [[...image, "--claim="], "--claim: an empty value"],
    [[...image, "--mount="], "--mount: an empty value"],
    [["--image=", ...base], "--image: an empty value"],
  ];
  try {
    for (const [args, message] of cases) {
      const run = generate(args);
      assertEquals(run.code, 2, `${JSON.stringify(args)}: ${run.stderr}`);
      assertStringIncludes(run.stderr, `kubernetes: ${message}`);
      assertEquals(pathExists(`${root}/${out}`), false, "nothing written");
    }
  } finally {
    removeMade();
  }
});
