"""Generation backends for the `completions` builder: one interface, a transformers and a vLLM implementation.

- `sampling`: `SamplingSettings` and the derived request/sample seeds.
- `backend`: the `GenerationBackend` protocol and `load_backend`.
- `transformers_backend`, `vllm_backend`: the implementations (imported on demand: transformers is slow to
  import, vLLM is optional).
- `models`: the policy and LoRA-adapter resolvers (to a folder fingerprint or commit SHA).
- `shards`: the finished-shard store that makes a generation run resumable.
"""

from saga.builders.generation.backend import BACKENDS, GenerationBackend, load_backend
from saga.builders.generation.errors import BackendNotInstalledError, GenerationError
from saga.builders.generation.sampling import SamplingSettings, request_seed, request_seeds, sample_seed

__all__ = [
    "BACKENDS",
    "BackendNotInstalledError",
    "GenerationBackend",
    "GenerationError",
    "SamplingSettings",
    "load_backend",
    "request_seed",
    "request_seeds",
    "sample_seed",
]
