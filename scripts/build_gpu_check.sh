#!/usr/bin/env bash
# Builds build/gpu_check.tar.xz, everything the device check (scripts/gpu_check.sh) runs on a
# machine without network: Deno itself, the library and the check, the npm packages they import
# (tfjs with its wasm and webgpu backends, and their dependencies), OpenBLAS with its runtime
# libraries and the Vulkan loader. `deno compile` is not used: it downloads its runtime (denort),
# which these machines cannot reach. Prints the archive's size.
#
#   deno task gpu-check:build
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/gpu_check
stage=$out/demure-gpu-check
rm -rf "$out" build/gpu_check.tar.xz
mkdir -p "$stage/bin" "$stage/libs/vulkan" "$stage/app/scripts"

# Deno: the binary of the npm package the workspace runs (tools/).
deno_bin=$(readlink -f tools/node_modules/@deno/linux-x64-glibc/deno)
cp "$deno_bin" "$stage/bin/deno"

# The library and the check (tests, notebooks and data are not needed).
cp -r lib "$stage/app/lib"
cp scripts/gpu_check.ts "$stage/app/scripts/"
cp deno.json package.json "$stage/app/"
cp scripts/gpu_check.sh "$stage/gpu_check.sh"

# npm packages: the ones the check imports (webgpu is imported lazily), with their dependencies.
# (`deno eval` would have every permission: a script on stdin that may only read node_modules.)
"$deno_bin" run --quiet --no-prompt --allow-read=./node_modules - >"$out/packages.txt" <<'EOF'
  const roots = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-backend-webgpu"];
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

# Shared libraries: OpenBLAS (the wasm backend's matrix products) and what it links, and the
# Vulkan loader (used only where the machine has none).
openblas=""
for candidate in /usr/lib/x86_64-linux-gnu/libopenblas.so.0 \
  /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0; do
  [[ -e $candidate ]] && openblas=$(readlink -f "$candidate") && break
done
[[ -n $openblas ]] || { echo "build_gpu_check: OpenBLAS not found (scripts/setup.sh installs it)" >&2; exit 1; }
cp "$openblas" "$stage/libs/libopenblas.so.0"
for lib in libgfortran.so.5 libquadmath.so.0; do
  path=$(ldd "$openblas" | awk -v lib="$lib" '$1 == lib {print $3}')
  [[ -n $path ]] && cp "$(readlink -f "$path")" "$stage/libs/$lib"
done
vulkan=$(ldconfig -p | awk '/libvulkan\.so\.1 / {print $NF; exit}')
[[ -n $vulkan ]] || { echo "build_gpu_check: libvulkan.so.1 not found (apt-get install libvulkan1)" >&2; exit 1; }
cp "$(readlink -f "$vulkan")" "$stage/libs/vulkan/libvulkan.so.1"

tar -C "$out" -cf - demure-gpu-check | xz -T0 -6 >build/gpu_check.tar.xz
unpacked=$(du -sm "$stage" | cut -f1)
packed=$(du -m build/gpu_check.tar.xz | cut -f1)
echo "build/gpu_check.tar.xz: ${packed} MB (unpacked ${unpacked} MB, $(wc -l <"$out/packages.txt") npm packages)"
echo "run it: tar -xJf gpu_check.tar.xz && demure-gpu-check/gpu_check.sh"
