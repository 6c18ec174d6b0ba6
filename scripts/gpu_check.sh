#!/usr/bin/env bash
# The device check (scripts/gpu_check.ts): the WebGPU adapter Deno sees, then one SASRec training
# epoch of the Beauty-shaped workload on webgpu and on wasm, timed, and their ratio.
#
#   deno task gpu-check [--max-batches N] [--users N] [--backends webgpu,wasm]
#   deno task gpu-check --adapter    the adapter line only
#   deno task gpu-check --tests      the webgpu tests, on this machine's adapter
#
# Offline machines: `deno task gpu-check:build` packs this script, Deno, the library, the npm
# packages it imports and the shared libraries it loads (OpenBLAS, the Vulkan loader) into
# build/gpu_check.tar.xz. On the GPU machine:
#
#   tar -xJf gpu_check.tar.xz && demure-gpu-check/gpu_check.sh
set -euo pipefail
# The task this is run as (deno.json), which its lines start with (scripts/cli/gpu_check_options.ts
# names it too, for the usage and the messages of scripts/gpu_check.ts).
task=gpu-check
here=$(cd "$(dirname "$0")" && pwd)
# The dynamic linker's cache (ldconfig may be outside PATH, e.g. /sbin; none at all is fine).
ld_cache() { PATH="$PATH:/sbin:/usr/sbin" ldconfig -p 2>/dev/null || true; }
if [[ -x $here/bin/deno ]]; then
  # Unpacked archive: its own Deno, library and shared libraries.
  root=$here/app
  deno=$here/bin/deno
  export LD_LIBRARY_PATH="$here/libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export DEMURE_OPENBLAS=$here/libs/libopenblas.so.0
  if ! ld_cache | grep -q 'libvulkan\.so\.1 '; then
    export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$here/libs/vulkan"
    echo "$task: no system Vulkan loader; using the archive's (libs/vulkan)"
  fi
  # NVIDIA's Vulkan driver found no instance without glvnd (see build_gpu_check.sh).
  if ! ld_cache | grep -q 'libGLdispatch\.so\.0 '; then
    export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$here/libs/glvnd"
    echo "$task: no system glvnd; using the archive's (libs/glvnd)"
  fi
  export DENO_DIR=${DENO_DIR:-$here/.deno_dir}
else
  root=$(cd "$here/.." && pwd)
  deno=$(command -v deno || echo "$root/tools/node_modules/.bin/deno")
fi
export DENO_NO_UPDATE_CHECK=1

# NVIDIA containers mount the driver in one of two ways the Vulkan loader does not find by itself:
# under /usr/local/nvidia (libraries and ICD file outside the linker's and the loader's search
# paths), or its libGLX_nvidia.so.0 alone, without the ICD file that tells the loader about it.
# Point the loader at the mounted ICD file, or write one for the library.
mounted=/usr/local/nvidia
if ! ld_cache | grep -q 'libGLX_nvidia\.so\.0 '; then
  for dir in "$mounted/lib64" "$mounted/lib"; do
    [[ -e $dir/libGLX_nvidia.so.0 ]] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$dir"
  done
fi
if [[ -z ${VK_ICD_FILENAMES:-} && -z ${VK_DRIVER_FILES:-} ]]; then
  icds=$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null || true)
  nvidia=$(ld_cache | awk '/libGLX_nvidia\.so\.0 / {print $NF; exit}')
  [[ -z $nvidia && -e $mounted/lib64/libGLX_nvidia.so.0 ]] && nvidia=$mounted/lib64/libGLX_nvidia.so.0
  mounted_icd=$(ls "$mounted"/share/vulkan/icd.d/nvidia*.json 2>/dev/null | head -n 1 || true)
  if [[ -n $mounted_icd ]] && ! grep -qs nvidia <<<"$icds"; then
    # VK_DRIVER_FILES for loaders from 1.3.234 on, VK_ICD_FILENAMES for older ones.
    export VK_DRIVER_FILES=$mounted_icd VK_ICD_FILENAMES=$mounted_icd
    echo "$task: using the mounted driver's Vulkan ICD file $mounted_icd"
  elif [[ -n $nvidia ]] && ! grep -qs nvidia <<<"$icds"; then
    icd=$(mktemp --suffix=.json)
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' \
      "$nvidia" >"$icd"
    export VK_ICD_FILENAMES=$icd
    echo "$task: NVIDIA driver without a Vulkan ICD file; wrote $icd"
  fi
fi
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 |
    sed "s/^/$task: nvidia-smi: /" || true
fi

cd "$root"
# --tests runs the test files instead of the check, alone: an option beside it was ignored (`--tests
# --max-batches 5` ran every test) or, before it, refused by gpu_check.ts as unknown.
for arg in "$@"; do
  if [[ $arg == --tests && $# -gt 1 ]]; then
    echo "$task: --tests takes no other argument (given: $*); see --help" >&2
    exit 2
  fi
done
if [[ ${1:-} == --tests ]]; then
  # Without type checking: the archive leaves out the type declarations. All but the no-adapter
  # message test (named "DEMURE_BACKEND=webgpu without an adapter: ..."), which runs
  # scripts/reproduce.ts, not in the archive (the filter is Rust's regex: no look-ahead). They read
  # this tree and write only the private runtime folder wgpu wants (lib/backend/webgpu.ts). The
  # modules themselves, not the suite's webgpu*_test.ts, which only start them in a child process.
  exec "$deno" test --no-check --no-prompt --allow-read=. --allow-env \
    --allow-write="${TMPDIR:-/tmp}" --filter '/^(webgpu|stockChoosesSplitK)/' \
    tests/backend/_webgpu_cases.ts tests/backend/_webgpu_ordered_sums_cases.ts \
    tests/backend/_webgpu_uploads_cases.ts
fi
exec "$deno" run -A scripts/gpu_check.ts "$@"
