"""The bundled tiny policy: small, loadable, chat-ready; and the command that trains it is seeded and honest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from huggingface_hub import ModelCard
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl.chat_template_utils import is_chat_template_stop_token_trained

from saga.builders.splits import reserved_for_prompts
from saga.errors import InputDataError
from saga.models import resolve_model
from saga.trainers.tiny_policy import (
    LICENCE_FILES,
    NEWS_FILE,
    WIKI_FILE,
    TinyPolicyConfig,
    read_corpus,
    train_tiny_policy,
)

BUNDLED = Path(resolve_model("tiny_nb_mistral").location)
CHAT = [
    {"role": "user", "content": "Skriv en kort tekst om Bergen."},
    {"role": "assistant", "content": "Bergen er en by på Vestlandet."},
]


def test_bundled_model_is_small_safetensors_with_licences_and_a_card():
    size = sum(path.stat().st_size for path in BUNDLED.rglob("*") if path.is_file())
    assert size <= 20 * 2**20
    assert (BUNDLED / "model.safetensors").is_file() and not list(BUNDLED.glob("*.bin"))
    for licence in LICENCE_FILES.values():
        assert (BUNDLED / licence).is_file()
    card = ModelCard.load(BUNDLED / "README.md")
    assert card.data.license == "cc-by-sa-4.0" and card.data.language == ["nb"]
    assert "CC BY-SA 4.0" in card.text and "CC0" in card.text
    assert "saga model train-tiny --data ../shared/data --out assets/tiny_nb_mistral" in card.text
    config = json.loads((BUNDLED / "config.json").read_text())
    assert config["model_type"] == "mistral" and config["num_key_value_heads"] < config["num_attention_heads"]


def test_tokenizer_round_trips_norwegian_and_its_template_marks_the_answer_for_trl():
    tokenizer = AutoTokenizer.from_pretrained(BUNDLED)
    text = "Blåbærsyltetøy på Ærøy – «sjefsbøddel», 1962."
    assert tokenizer.decode(tokenizer(text)["input_ids"]) == text

    full = tokenizer.apply_chat_template(CHAT, return_dict=True, return_assistant_tokens_mask=True)
    prompt = tokenizer.apply_chat_template(CHAT[:1], add_generation_prompt=True, return_dict=False)
    assert full["input_ids"][: len(prompt)] == prompt  # the prompt is an exact prefix: DPO splits cleanly
    answer = [token for token, masked in zip(full["input_ids"], full["assistant_masks"], strict=True) if masked]
    assert tokenizer.decode(answer) == "Bergen er en by på Vestlandet.</s>"
    assert is_chat_template_stop_token_trained(tokenizer)
    assert full["input_ids"][0] == tokenizer.bos_token_id and tokenizer.pad_token_id != tokenizer.eos_token_id


def test_bundled_model_answers_a_chat_prompt_in_norwegian_looking_text():
    tokenizer = AutoTokenizer.from_pretrained(BUNDLED)
    model = AutoModelForCausalLM.from_pretrained(BUNDLED, dtype=torch.float32).eval()
    inputs = tokenizer.apply_chat_template(CHAT[:1], add_generation_prompt=True, return_tensors="pt", return_dict=True)
    torch.manual_seed(0)
    output = model.generate(**inputs, max_new_tokens=40, do_sample=True, temperature=0.7, top_p=0.95)
    words = tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True).split()
    assert len(words) >= 5
    common = {"og", "i", "er", "en", "et", "av", "på", "som", "til", "det", "den", "med", "for", "var", "har", "de"}
    assert common & {word.lower().strip(".,") for word in words}


@pytest.fixture
def data_dir(tmp_path):
    """A miniature of the shared data folder: news sentences, four articles (one reserved for prompts), licences."""
    news = tmp_path / NEWS_FILE
    news.parent.mkdir(parents=True)
    news.write_text("\n".join(f"Nyheten nummer {i} handler om været i Bergen i dag." for i in range(60)) + "\n")
    articles = []
    for number in range(20):
        article_id = f"art-{number}"
        text = f"Emne {number}\nEmne {number} er et tema. Det har vært kjent lenge. Mange skriver om det. Det er fint."
        articles.append({"id": article_id, "title": f"Emne {number}", "text": text})
    wiki = tmp_path / WIKI_FILE
    wiki.parent.mkdir(parents=True)
    wiki.write_text("".join(json.dumps(article, ensure_ascii=False) + "\n" for article in articles))
    for source in LICENCE_FILES:
        (tmp_path / source).write_text("licence text\n")
    return tmp_path


def test_corpus_leaves_out_the_articles_reserved_for_prompts(data_dir):
    config = TinyPolicyConfig()
    corpus = read_corpus(data_dir, config)
    reserved = [f"art-{n}" for n in range(20) if reserved_for_prompts(f"art-{n}", config.prompt_share)]
    assert reserved and corpus.counts["held_out_articles"] == len(reserved)
    titles = {chat[0]["content"] for chat in corpus.chats}
    for article_id in reserved:
        title = f"Emne {article_id.split('-')[1]}"
        assert not any(title + "." in prompt or f"«{title}»" in prompt for prompt in titles)
        assert not any(text.startswith(f"{title} er et tema") for text in corpus.plain)
    assert any(prompt.startswith("Skriv en kort tekst om Emne") for prompt in titles)


def test_missing_or_broken_input_is_named(data_dir):
    (data_dir / WIKI_FILE).write_text('{"id": "x", "title": "X", "text": "Tekst."}\nnot json\n')
    with pytest.raises(InputDataError, match=r"norquad_wikipedia_nb.jsonl:2: not an article"):
        read_corpus(data_dir, TinyPolicyConfig())
    (data_dir / NEWS_FILE).unlink()
    with pytest.raises(InputDataError, match="npk_cc0_bokmaal_sentences.txt not found"):
        read_corpus(data_dir, TinyPolicyConfig())


def test_training_is_seeded_and_writes_a_loadable_model_folder(data_dir, tmp_path):
    config = dict(vocab_size=400, hidden_size=32, intermediate_size=64, num_hidden_layers=1, block_size=32)
    config.update(max_position_embeddings=64, max_steps=2, batch_size=4, warmup_steps=1, threads=1)
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        first = train_tiny_policy(data_dir, tmp_path / "a", TinyPolicyConfig(**config))
        assert torch.get_num_threads() == 2  # the caller's thread count comes back
    finally:
        torch.set_num_threads(previous)
    train_tiny_policy(data_dir, tmp_path / "b", TinyPolicyConfig(**config))
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (tmp_path / "b" / "model.safetensors").read_bytes()
    assert (tmp_path / "a" / "tokenizer.json").read_bytes() == (tmp_path / "b" / "tokenizer.json").read_bytes()
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "a")
    assert model.config.hidden_size == 32 and model.num_parameters() == first["parameters"]
    assert json.loads((tmp_path / "a" / "saga" / "training.json").read_text())["config"]["max_steps"] == 2
    assert ModelCard.load(tmp_path / "a" / "README.md").data.license == "cc-by-sa-4.0"


def test_config_rejects_inconsistent_sizes():
    with pytest.raises(ValueError, match="must divide by num_attention_heads"):
        TinyPolicyConfig(hidden_size=250)
    with pytest.raises(ValueError, match="exceeds max_position_embeddings"):
        TinyPolicyConfig(block_size=1024)
