#!/usr/bin/env bash
# Everything the tests need, from scratch and idempotent: Chromium from Debian (browser tests),
# a virtual environment with the app's and the tests' requirements.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null
  else
    echo "setup-dev: install Chromium (Debian: apt-get install chromium) for the browser tests" >&2
  fi
fi
# Fonts for every script the interface and its examples show (screenshots, browser tests): CJK,
# Arabic, Devanagari and the rest of Noto's core families.
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! fc-list 2>/dev/null | grep -qi "Noto Sans Devanagari"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fonts-noto-core >/dev/null
  else
    echo "setup-dev: install fonts-noto-cjk and fonts-noto-core (Debian) for Chinese, Japanese, Korean, Arabic and Hindi" >&2
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
# torch first, on its own: pip then takes the local wheels where they exist.
.venv/bin/pip install -q "torch>=2.5" "torchvision>=0.20"
.venv/bin/pip install -q -r requirements-dev.txt
# vLLM for CPUs in its own environment, .venv-vllm (tests/test_vllm.py; docs/vllm.md).
bash scripts/vllm/install.sh
