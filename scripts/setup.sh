#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine that has only Node.js and npm.
# Called by ./run.sh before every command; each step is skipped when already done.
set -euo pipefail
# The set-up takes no arguments. It ignored them, so `deno task setup --help` (or any typo) ran the
# whole set-up, which may install packages, and exited 0. The usage is lines 2-3 above.
if (($# > 0)); then
  case $1 in
    -h | --help) sed -n '2,3p' "$0"; exit 0 ;;
    *)
      echo "setup: unexpected argument: $1 (the set-up takes none; -h, --help: its usage)" >&2
      exit 2
      ;;
  esac
fi
cd "$(dirname "$0")/.."

# System packages every later step needs, in one place:
#   jupyter-*/python3-nbclient/python3-ipykernel  execute notebooks on the Deno kernel
#   jupyter-notebook                              the live notebook server (./run.sh lab)
#   libopenblas0-pthread                          BLAS matrix kernels through Deno FFI
#   r-cran-dslabs                                 the raw MovieLens latest-small (R data) for re-import tests
#   chromium                                      headless checks of rendered HTML, README figures
#   mesa-vulkan-drivers                           a software WebGPU adapter (lavapipe) for GPU-route tests
#   libglvnd0 libglx0 libegl1 libopengl0 libgl1 libgles2
#                                                 glvnd's libraries, which the GPU check's archive carries
#   slurm-wlm munge                               a one-node Slurm cluster for the job-array test stage
#   procps                                        ps and kill: the lab tasks track their kernels
APT_PACKAGES=(jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel jupyter-notebook
  libopenblas0-pthread r-cran-dslabs chromium mesa-vulkan-drivers libglvnd0 libglx0 libegl1
  libopengl0 libgl1 libgles2 slurm-wlm munge procps)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (not root, so not installing them): ${missing[*]}" >&2
    echo "setup: run:  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "setup: continuing; notebook, BLAS, R-import and browser checks will be skipped or fail." >&2
  fi
fi

# An unprivileged user for headless Chromium: Chromium refuses a sandboxed start as root, so a root
# process starts it as this user (lib/viz/chromium.ts) and its sandbox stays on.
if [[ $(id -u) == 0 ]] && ! id demure-browser >/dev/null 2>&1; then
  echo "setup: creating the system user demure-browser (runs headless Chromium with its sandbox)"
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin demure-browser
fi

# npm packages, pinned by their lock files: Deno itself from the npm package `deno` (under tools/,
# so that `deno task` never mistakes the native binary for a JavaScript bin script), then the
# project's libraries.
install_locked() {
  local dir=$1 label=$2
  local stamp=$dir/node_modules/.setup-stamp
  local want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    echo "setup: npm ci in ${dir} (${label})"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
    echo "$want" >"$stamp"
  fi
}
install_locked tools "Deno $(node -p 'require("./tools/package.json").dependencies.deno')"
install_locked . "tfjs, danfo, plotly.js"
