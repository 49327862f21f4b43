"""The vLLM backend's requests, checked against a stand-in `vllm` module (vLLM needs a GPU; untested on one here).

The stand-in records what the backend passes to `vllm.LLM`, `vllm.SamplingParams`, `LLM.chat` and
`vllm.lora.request.LoRARequest`, and answers `chat` with `RequestOutput`-shaped objects.
"""

import json
import sys
import types
from types import SimpleNamespace

import pytest

from saga.builders.completions import CompletionsConfig
from saga.builders.generation import (
    BackendNotInstalledError,
    GenerationError,
    SamplingSettings,
    load_backend,
    request_seed,
)
from saga.builders.generation.shard_generator import GenerateActor
from saga.builders.generation.vllm_backend import VLLMBackend
from saga.models import ModelInput

PROMPTS = [
    [{"role": "user", "content": "Skriv en kort tekst om Bergen."}],
    [{"role": "user", "content": "Fortsett teksten: Oslo er hovedstaden i Norge."}],
]
LOCAL = ModelInput("runs/sft-merged", "folder", "f" * 64, "/models/sft-merged")
HUB = ModelInput("org/nb-sft@v1", "hub", "a" * 40, "org/nb-sft", repo_id="org/nb-sft")
ADAPTER = ModelInput("runs/dpo-adapter", "folder", "d" * 64, "/adapters/dpo")


@pytest.fixture
def fake_vllm(monkeypatch):
    """Install a stand-in `vllm` package; return the record of every call made to it."""
    calls = {"llm": [], "chat": [], "sampling": []}

    class SamplingParams:
        def __init__(self, **kwargs):
            calls["sampling"].append(kwargs)
            self.kwargs = kwargs

    class LLM:
        def __init__(self, **kwargs):
            calls["llm"].append(kwargs)

        def chat(self, messages, sampling_params=None, **kwargs):
            calls["chat"].append({"messages": messages, "sampling_params": sampling_params, **kwargs})
            samples = calls.get("samples")
            return [
                SimpleNamespace(
                    outputs=[SimpleNamespace(text=f" p{i} s{j} ") for j in range(samples or p.kwargs["n"])]
                )
                for i, p in enumerate(sampling_params)
            ]

    class LoRARequest:
        def __init__(self, lora_name, lora_int_id, lora_path):
            self.args = (lora_name, lora_int_id, lora_path)

    vllm = types.ModuleType("vllm")
    vllm.LLM, vllm.SamplingParams = LLM, SamplingParams
    lora = types.ModuleType("vllm.lora")
    request = types.ModuleType("vllm.lora.request")
    request.LoRARequest = LoRARequest
    monkeypatch.setitem(sys.modules, "vllm", vllm)
    monkeypatch.setitem(sys.modules, "vllm.lora", lora)
    monkeypatch.setitem(sys.modules, "vllm.lora.request", request)
    return calls


def test_missing_vllm_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "vllm", None)  # makes `import vllm` raise ImportError
    with pytest.raises(BackendNotInstalledError, match="the vllm generation backend needs vLLM") as info:
        load_backend("vllm", LOCAL)
    assert info.value.hint.startswith("pip install 'saga[gpu]'")


def test_unknown_backend_is_refused():
    with pytest.raises(GenerationError, match="unknown generation backend 'tgi'"):
        load_backend("tgi", LOCAL)


def test_sampling_params_are_exact_and_seeded_per_prompt(fake_vllm):
    backend = load_backend("vllm", LOCAL, vllm_options={"gpu_memory_utilization": 0.8})
    settings = SamplingSettings(n=3, temperature=0.9, top_p=0.95, max_tokens=64, seed=7)
    completions = backend.generate(PROMPTS, settings)

    assert fake_vllm["llm"] == [{"model": "/models/sft-merged", "gpu_memory_utilization": 0.8}]
    assert fake_vllm["sampling"] == [
        {
            "n": 3,
            "temperature": 0.9,
            "top_p": 0.95,
            "max_tokens": 64,
            "repetition_penalty": 1.3,
            "seed": request_seed(7, prompt, 0.9),
        }
        for prompt in PROMPTS
    ]
    (chat,) = fake_vllm["chat"]
    assert chat["messages"] == PROMPTS
    assert {k: chat[k] for k in ("use_tqdm", "lora_request", "add_generation_prompt")} == {
        "use_tqdm": False,
        "lora_request": None,
        "add_generation_prompt": True,
    }
    assert completions == [[f"p{i} s{j}" for j in range(3)] for i in range(2)]


def test_hub_model_is_pinned_and_adapter_is_a_lora_request(fake_vllm):
    backend = VLLMBackend(HUB, adapter=ADAPTER)
    assert fake_vllm["llm"] == [
        {"model": "org/nb-sft", "revision": "a" * 40, "tokenizer_revision": "a" * 40, "enable_lora": True}
    ]
    backend.generate(PROMPTS[:1], SamplingSettings(n=1))
    assert fake_vllm["chat"][0]["lora_request"].args == ("saga-adapter", 1, "/adapters/dpo")


def test_options_cannot_unpin_the_model(fake_vllm):
    with pytest.raises(GenerationError, match=r"vllm_options may not set \['revision'\]"):
        VLLMBackend(HUB, llm_options={"revision": "main"})


def test_wrong_sample_count_is_an_error(fake_vllm):
    fake_vllm["samples"] = 2
    backend = VLLMBackend(LOCAL)
    with pytest.raises(GenerationError, match="vLLM returned 2 samples for prompt 0, expected 3"):
        backend.generate(PROMPTS, SamplingSettings(n=3))


def test_ray_generation_actor_builds_one_vllm_engine_with_per_prompt_seeds(fake_vllm):
    """What a `completions` actor on Ray does with `backend: vllm` (called here in-process: the stand-in `vllm`
    lives in this interpreter): one engine for every shard it gets, each prompt seeded by itself."""
    config = CompletionsConfig(name="default", backend="vllm", temperatures=(0.7, 1.1), n_samples=2, seed=7)
    actor = GenerateActor(config, LOCAL, None)
    rows = [{"prompt_id": f"p{i}", "prompt": p, "kind": "write", "article_id": "a"} for i, p in enumerate(PROMPTS)]
    shards = {"index": [3, 4], "rows": [json.dumps(rows[:1]), json.dumps(rows[1:])]}
    result = actor(shards)
    assert list(result["index"]) == [3, 4] and len(fake_vllm["llm"]) == 1, "one engine per actor"
    done = [json.loads(rows) for rows in result["rows"]]
    assert [len(shard) for shard in done] == [4, 4]  # 2 temperatures × 2 samples per prompt
    for shard, prompt in zip(done, PROMPTS, strict=True):
        assert {(row["temperature"], row["seed"]) for row in shard} == {
            (t, request_seed(7, prompt, t)) for t in (0.7, 1.1)
        }
        assert all(row["backend"] == "vllm" and row["model_revision"] == "f" * 64 for row in shard)
    assert [params["seed"] for params in fake_vllm["sampling"]] == [
        request_seed(7, prompt, t) for prompt in PROMPTS for t in (0.7, 1.1)
    ]
