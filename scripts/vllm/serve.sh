#!/usr/bin/env bash
# Start one vLLM OpenAI-compatible server for Qwen3-VL-Embedding or Qwen3-VL-Reranker.
#
#   scripts/vllm/serve.sh embedding MODEL [PORT] [more vLLM flags...]   # default port 8011
#   scripts/vllm/serve.sh reranker  MODEL [PORT] [more vLLM flags...]   # default port 8012
#
# MODEL: a hub id or a local checkpoint directory. Extra flags go to vLLM as they are, e.g.
# `--dtype float32 --enforce-eager` on a CPU, `--api-key KEY`, `--served-model-name NAME`.
# Environment: VLLM_PYTHON (default: .venv-vllm/bin/python of this repository, made by
# scripts/vllm/install.sh), VLLM_HOST (default 127.0.0.1).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
role="${1:?usage: serve.sh embedding|reranker MODEL [PORT] [vLLM flags...]}"
model="${2:?usage: serve.sh embedding|reranker MODEL [PORT] [vLLM flags...]}"
shift 2
port=""
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then port="$1"; shift; fi
python="${VLLM_PYTHON:-$root/.venv-vllm/bin/python}"
host="${VLLM_HOST:-127.0.0.1}"

# Images: the official bounds (4..1800 visual tokens of 32x32 px); the app resizes images to them
# before sending, so the server's resize is the identity. Videos: bounds wide enough never to
# resize the frames the app sends (up to 768 frames of 768 tokens); each embedding request sets
# its own exact bounds. A video sent as frames may have up to 768 of them (vLLM's default is 32).
mm_kwargs='{"min_pixels": 4096, "max_pixels": 1843200, "videos_kwargs": {"size": {"shortest_edge": 4096, "longest_edge": 603979776}}}'
io_kwargs='{"video": {"num_frames": 768}}'
# vLLM's CPU backend: a small KV cache (GiB) and no thread pinning (it fails in containers).
# Both are ignored on GPUs.
export VLLM_CPU_KVCACHE_SPACE="${VLLM_CPU_KVCACHE_SPACE:-1}"
export VLLM_CPU_OMP_THREADS_BIND="${VLLM_CPU_OMP_THREADS_BIND:-nobind}"

case "$role" in
  embedding)
    # Last-token pooling (the model's default for embeddings), 8192 tokens as the official code.
    # --trust-request-mm-kwargs: each request carries its video's sampling (frame indices, fps,
    # size), which vLLM accepts only from trusted clients. The chat template writes videos in the
    # format the model was trained with (see the template's comment).
    args=(--runner pooling --max-model-len 8192 --trust-request-mm-kwargs
          --chat-template "$here/qwen3_vl_embedding.jinja")
    port="${port:-8011}"
    ;;
  reranker)
    # The checkpoint is a causal LM; these overrides make vLLM score it as the official code does:
    # the yes-minus-no logit of the last token, through a sigmoid. The chat template writes the
    # official reranker prompt.
    args=(--runner pooling --max-model-len 10240
          --hf-overrides '{"architectures": ["Qwen3VLForSequenceClassification"], "classifier_from_token": ["no", "yes"], "is_original_qwen3_reranker": true}'
          --chat-template "$here/qwen3_vl_reranker.jinja")
    port="${port:-8012}"
    ;;
  *)
    echo "serve.sh: the first argument must be 'embedding' or 'reranker', not '$role'" >&2
    exit 2
    ;;
esac

unset VLLM_PYTHON VLLM_HOST  # ours, not vLLM's: it warns about VLLM_* variables it does not know
# `python -m vllm.entrypoints.openai.api_server` rather than `vllm serve`: the latter's CLI
# entry point crashes in vllm-cpu 0.32.0.
exec "$python" -m vllm.entrypoints.openai.api_server --model "$model" --host "$host" --port "$port" \
  --mm-processor-kwargs "$mm_kwargs" --media-io-kwargs "$io_kwargs" "${args[@]}" "$@"
