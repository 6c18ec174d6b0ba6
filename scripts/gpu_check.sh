#!/usr/bin/env bash
# The device check (scripts/gpu_check.ts): the WebGPU adapter Deno sees, then one SASRec training
# epoch of the Beauty-shaped workload on webgpu and on wasm, timed, and their ratio.
#
#   bash scripts/gpu_check.sh [--max-batches N] [--users N] [--backends webgpu,wasm] [--adapter]
#
# Offline machines: `deno task gpu-check:build` packs this script, Deno, the library, the npm
# packages it imports and the shared libraries it loads (OpenBLAS, the Vulkan loader) into
# build/gpu_check.tar.xz. On the GPU machine:
#
#   tar -xJf gpu_check.tar.xz && demure-gpu-check/gpu_check.sh
set -euo pipefail
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
    echo "gpu_check: no system Vulkan loader; using the archive's (libs/vulkan)"
  fi
  export DENO_DIR=${DENO_DIR:-$here/.deno_dir}
else
  root=$(cd "$here/.." && pwd)
  deno=$(command -v deno || echo "$root/tools/node_modules/.bin/deno")
fi
export DENO_NO_UPDATE_CHECK=1

# NVIDIA containers often mount the driver's libGLX_nvidia.so.0 without the Vulkan ICD file that
# tells the loader about it: write one when the driver is there and no ICD file is.
if [[ -z ${VK_ICD_FILENAMES:-} && -z ${VK_DRIVER_FILES:-} ]]; then
  icds=$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null || true)
  nvidia=$(ld_cache | awk '/libGLX_nvidia\.so\.0 / {print $NF; exit}')
  if [[ -n $nvidia ]] && ! grep -qs nvidia <<<"$icds"; then
    icd=$(mktemp --suffix=.json)
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' \
      "$nvidia" >"$icd"
    export VK_ICD_FILENAMES=$icd
    echo "gpu_check: NVIDIA driver without a Vulkan ICD file; wrote $icd"
  fi
fi
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 |
    sed 's/^/gpu_check: nvidia-smi: /' || true
fi

cd "$root"
exec "$deno" run -A scripts/gpu_check.ts "$@"
