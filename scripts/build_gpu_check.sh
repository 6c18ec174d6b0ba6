#!/usr/bin/env bash
# Builds build/gpu_check.tar.xz, everything the device check (scripts/gpu_check.sh) runs on a
# machine without network: Deno itself, the library and the check, the npm packages they import
# (tfjs with its wasm and webgpu backends, and their dependencies), OpenBLAS with its runtime
# libraries, the Vulkan loader and glvnd's libraries. `deno compile` is not used: it downloads
# its runtime (denort), which these machines cannot reach. Prints the archive's size.
#
#   deno task gpu-check:build                      build/gpu_check.tar.xz
#   deno task gpu-check:build --stage-only --out DIR
#                                                  DIR/demure-gpu-check only, not packed (tests)
set -euo pipefail
# The task this is run as (deno.json): its usage and every line it prints name it, as
# scripts/gpu_check.sh's name `deno task gpu-check` (not this file, which its user did not type).
task=gpu-check:build
cd "$(dirname "$0")/.."
# --out's default: the help states this variable, not a copy of its value.
default_out=build/gpu_check
out=$default_out
stage_only=false
# An option given twice is refused, as every Deno script's (scripts/cli/options.ts): `--out a
# --out b` built into b without a word, and `--out=DIR` was "unknown option".
given=" "
once() {
  [[ $given != *" $1 "* ]] || { echo "$task: $1 given twice: give it once" >&2; exit 2; }
  given="$given$1 "
}
while (($#)); do
  case $1 in
    --stage-only) once --stage-only; stage_only=true ;;
    --out)
      [[ $# -ge 2 && -n $2 ]] || { echo "$task: --out needs a folder" >&2; exit 2; }
      # `--out --stage-only` built into a folder named "--stage-only" (parseOptions refuses the
      # same: a value starting with a dash is given as --name=value).
      if [[ $2 == -* ]]; then
        echo "$task: --out $2: looks like an option, not a folder (one starting with -: --out=$2)" >&2
        exit 2
      fi
      once --out
      out=$2
      shift
      ;;
    --out=*)
      [[ -n ${1#--out=} ]] || { echo "$task: --out needs a folder" >&2; exit 2; }
      once --out
      out=${1#--out=}
      ;;
    -h | --help)
      echo "usage: deno task $task [--stage-only] [--out DIR (default $default_out;" \
        "new, empty or an earlier build's, which is replaced)]"
      exit 0
      ;;
    *)
      echo "$task: unknown option $1 (options: --stage-only, --out DIR, --help/-h)" >&2
      exit 2
      ;;
  esac
  shift
done
archive=$out.tar.xz
stage=$out/demure-gpu-check
# The folder is emptied before the build: only one that holds nothing else is (before, `--out lib`
# or a folder of one's own files lost them without a word).
if [[ -e $out || -L $out ]]; then
  [[ -d $out && ! -L $out ]] || { echo "$task: --out $out: not a folder" >&2; exit 2; }
  other=$(ls -A "$out" | grep -vxE 'demure-gpu-check|packages\.txt' | head -n 1 || true)
  if [[ -n $other ]]; then
    echo "$task: --out $out holds $other, not an earlier build's; the folder is emptied" \
      "before the build, so give a new or empty one" >&2
    exit 2
  fi
fi
rm -rf "$out" "$archive"
mkdir -p "$stage/bin" "$stage/libs/vulkan" "$stage/app/scripts"

# Deno: the binary of the npm package the workspace runs (tools/).
deno_bin=$(readlink -f tools/node_modules/@deno/linux-x64-glibc/deno)
cp "$deno_bin" "$stage/bin/deno"

# The library and the check (tests, notebooks and data are not needed).
cp -r lib "$stage/app/lib"
cp -r scripts/gpu_check.ts scripts/cli "$stage/app/scripts/"
cp mod.ts deno.json package.json "$stage/app/"
cp scripts/gpu_check.sh "$stage/gpu_check.sh"
cp scripts/gpu_session.sh "$stage/gpu_session.sh"
# The webgpu tests (`gpu_check.sh --tests`), with the assert module the import map names.
mkdir -p "$stage/app/tests/backend"
cp tests/_std_assert.ts "$stage/app/tests/"
cp tests/backend/_webgpu*_cases.ts "$stage/app/tests/backend/"

# npm packages: the ones the check imports (webgpu is imported lazily), with their dependencies.
# (`deno eval` would have every permission: a script on stdin that may only read node_modules.)
"$deno_bin" run --quiet --no-prompt --allow-read=./node_modules - >"$out/packages.txt" <<'EOF'
  // danfojs-node: mod.ts re-exports the library's DataFrame views, so the check's import loads it.
  const roots = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-backend-webgpu",
    "danfojs-node"];
  const seen = new Set();
  const visit = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(Deno.readTextFileSync(`${dir}/package.json`));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      // Node resolution: the nearest node_modules up from the package.
      let base = dir;
      while (true) {
        const candidate = `${base}/node_modules/${dep}`;
        try { Deno.statSync(`${candidate}/package.json`); visit(candidate); break; } catch { /* up */ }
        if (!base.includes("/node_modules/")) throw new Error(`${dir}: dependency ${dep} not installed`);
        base = base.slice(0, base.lastIndexOf("/node_modules/"));
      }
    }
  };
  for (const root of roots) visit(`./node_modules/${root}`);
  console.log([...seen].map((d) => d.slice(2)).join("\n"));
EOF
while read -r dir; do
  mkdir -p "$stage/app/$(dirname "$dir")"
  cp -r "$dir" "$stage/app/$dir"
done <"$out/packages.txt"
# Deno loads each package's "main" (the *.node.js build): drop source maps, the mini-program
# builds and the browser bundles (tf*.js other than *.node.js), a good half of the bytes.
find "$stage/app/node_modules" \( -name '*.map' -o -name miniprogram \) -prune -exec rm -rf {} +
find "$stage/app/node_modules/@tensorflow" -path '*/dist/tf*.js' ! -name '*.node.js' -delete
# Of each tfjs package Deno loads only the "main" file and, for the wasm backend, its dist/*.wasm
# binaries: the per-module ES builds and type declarations go (about 35 MB unpacked), and so do two
# packages no file of the check requires: core-js (a dependency of @tensorflow/tfjs that its Node
# build never loads) and the @types declarations. This keeps the archive, with the repository that
# travels beside it, under the device machine's 64 MiB limit for what a call may take along.
for pkg in "$stage"/app/node_modules/@tensorflow/*/; do
  main=$("$deno_bin" run --quiet --no-prompt --allow-read="$pkg" - "$pkg" <<'EOF'
  console.log(JSON.parse(Deno.readTextFileSync(`${Deno.args[0]}/package.json`)).main);
EOF
)
  find "$pkg" -type f ! -name package.json ! -path "${pkg}dist/*.wasm" ! -path "${pkg}${main#./}" \
    -delete
  find "$pkg" -type d -empty -delete
done
rm -rf "$stage/app/node_modules/core-js" "$stage/app/node_modules/@types"
# Type declarations and documentation of every package: never loaded at run time.
find "$stage/app/node_modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.md' \) -delete

# Shared libraries: OpenBLAS (the wasm backend's matrix products) and what it links, and the
# Vulkan loader (used only where the machine has none).
openblas=""
for candidate in /usr/lib/x86_64-linux-gnu/libopenblas.so.0 \
  /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0; do
  [[ -e $candidate ]] && openblas=$(readlink -f "$candidate") && break
done
[[ -n $openblas ]] || { echo "$task: OpenBLAS not found (scripts/setup.sh installs it)" >&2; exit 1; }
cp "$openblas" "$stage/libs/libopenblas.so.0"
for lib in libgfortran.so.5 libquadmath.so.0; do
  path=$(ldd "$openblas" | awk -v lib="$lib" '$1 == lib {print $3}')
  [[ -n $path ]] && cp "$(readlink -f "$path")" "$stage/libs/$lib"
done
# (awk reads the whole cache: stopping at the first match would kill ldconfig with SIGPIPE, which
# pipefail turns into this script's exit status, 141, now and then.)
vulkan=$(ldconfig -p | awk '!found && /libvulkan\.so\.1 / {print $NF; found = 1}')
[[ -n $vulkan ]] || { echo "$task: libvulkan.so.1 not found (apt-get install libvulkan1)" >&2; exit 1; }
cp "$(readlink -f "$vulkan")" "$stage/libs/vulkan/libvulkan.so.1"
# glvnd, the vendor-neutral GL dispatch. On the H200 machine (2026-12-04), which had none, the
# loader found NVIDIA's ICD file but got no vkCreateInstance from its driver, and Deno saw no
# adapter; with Debian's glvnd packages unpacked there the adapter was "NVIDIA H200". Which of the
# libraries the driver needs was not narrowed down, so all of those packages' libraries travel
# (about 1 MB).
mkdir -p "$stage/libs/glvnd"
for soname in libGLdispatch.so.0:libglvnd0 libGLX.so.0:libglx0 libEGL.so.1:libegl1 \
  libOpenGL.so.0:libopengl0 libGL.so.1:libgl1 libGLESv2.so.2:libgles2; do
  lib=${soname%%:*}
  path=$(ldconfig -p | awk -v lib="$lib" '!found && $1 == lib {print $NF; found = 1}')
  [[ -n $path ]] || { echo "$task: $lib not found (apt-get install ${soname##*:})" >&2; exit 1; }
  cp "$(readlink -f "$path")" "$stage/libs/glvnd/$lib"
done

if $stage_only; then
  echo "$stage: $(du -sm "$stage" | cut -f1) MB, $(wc -l <"$out/packages.txt") npm packages (not packed)"
  exit 0
fi

# -9e: about 2 minutes on 2 cores, 1.7 MB smaller than -6, which the 64 MiB limit needs.
tar -C "$out" -cf - demure-gpu-check | xz -T0 -9e >"$archive"
unpacked=$(du -sm "$stage" | cut -f1)
packed=$(du -m "$archive" | cut -f1)
echo "$archive: ${packed} MB (unpacked ${unpacked} MB, $(wc -l <"$out/packages.txt") npm packages)"
echo "run it: tar -xJf gpu_check.tar.xz && demure-gpu-check/gpu_check.sh"
