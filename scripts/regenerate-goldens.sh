#!/usr/bin/env bash
# Recompute tests/golden/public.json with the official implementation (QwenLM/Qwen3-VL-Embedding
# src/models, transformers 4.57.3, qwen-vl-utils 0.0.14, decord 0.6.0, torch 2.8.0, float32 on the
# CPU) on the test checkpoints, and say how far it is from the committed file.
#
#   bash scripts/regenerate-goldens.sh [OFFICIAL_CHECKOUT]
#
# OFFICIAL_CHECKOUT: a checkout of https://github.com/QwenLM/Qwen3-VL-Embedding (cloned when left out).
# The official versions get an environment of their own, .venv-official (OFFICIAL_VENV to move it;
# PYTHON picks the interpreter: 3.11 or later, as the official pyproject.toml asks; decord 0.6.0
# has wheels for x86-64 Linux only).
# The test checkpoints are built with the project's .venv (bash scripts/setup-dev.sh first).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${OFFICIAL_VENV:-.venv-official}"
if [ ! -x "$venv/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install -q torch==2.8.0 torchvision==0.23.0 transformers==4.57.3 qwen-vl-utils==0.0.14 \
    decord==0.6.0 scipy accelerate
fi
fixtures="$(.venv/bin/python -m qwen3vl_demo.tools.fixtures | tail -1)"
official=()
if [ $# -ge 1 ]; then official=(--official "$1"); fi
"$venv/bin/python" scripts/official_goldens.py --fixtures "$fixtures" "${official[@]}" \
  --check tests/golden/public.json --out tests/golden/public.json
