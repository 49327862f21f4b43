#!/usr/bin/env bash
# KL-SFT and DPO steps of a ~0.5B random-init Mistral in bf16 on this machine's GPU; prints tokens/s and MFU.
# Usage: scripts/gpu-check.sh [--steps 10] [--batch-size 8] [--max-length 1024] [--peak-tflops 989]
# Sets up the environment first (make setup), so it runs on a fresh machine with a CUDA build of torch.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c "import torch, sys; sys.exit(not torch.cuda.is_available())" 2>/dev/null \
    && ! .venv/bin/python -c "import torch, sys; sys.exit(not torch.cuda.is_available())" 2>/dev/null; then
    echo "gpu-check: no CUDA GPU visible to torch; for a CPU smoke test run: python -m bench.gpu_check --size tiny --cpu" >&2
    exit 1
fi
make -s setup
exec .venv/bin/python -m bench.gpu_check "$@"
