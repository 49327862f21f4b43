"""The bundled tiny Norwegian policy: a small Mistral trained for a few CPU minutes on news and Wikipedia text.

NorMistral-7B cannot be downloaded or run on a laptop CPU, so the trainers, the generation stage and the tests run
their real code paths on this model. It is deliberately weak: trained on about a million tokens, it writes
Norwegian-looking text whose grammar is sometimes right and often not, which gives grammar alignment something to
improve. The corpus mixes plain text (news sentences, Wikipedia paragraphs) with chat examples rendered through the
tokenizer's chat template ("Skriv en kort tekst om {title}." → the article's first sentences), so the model answers
chat prompts. Wikipedia articles that saga's `prompts` builder reserves for DPO prompts are left out, so the
held-out evaluation prompts are about articles the model never read.

Run with `saga model train-tiny --data ../shared/data --out assets/tiny_nb_mistral` (about 8 minutes on one core).
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import datasets
import torch
from transformers import (
    GenerationConfig,
    MistralConfig,
    MistralForCausalLM,
    PreTrainedTokenizerFast,
    Trainer,
    TrainingArguments,
    default_data_collator,
)

from saga.builders.splits import reserved_for_prompts
from saga.builders.text.cleaning import paragraphs
from saga.builders.text.splitting import split_sentences
from saga.cards.model import render_tiny_policy_card
from saga.errors import InputDataError
from saga.permissions import share_like_other_files
from saga.threads import torch_threads
from saga.trainers.tiny_tokenizer import train_tokenizer

logger = logging.getLogger(__name__)

NEWS_FILE = Path("news_nb") / "npk_cc0_bokmaal_sentences.txt"
WIKI_FILE = Path("wiki_nb") / "norquad_wikipedia_nb.jsonl"
TOPIC_PROMPTS = ("Skriv en kort tekst om {title}.", "Fortell kort om {title}.")
SENTENCE_PROMPTS = (
    "Skriv en setning om {title}.",
    "Fortell noe om {title} i én setning.",
    "Skriv én grammatisk korrekt setning om emnet «{title}».",
)
NEWS_PROMPTS = ("Skriv en kort nyhetstekst.", "Skriv en setning.")
COMMAND = "saga model train-tiny --data ../shared/data --out assets/tiny_nb_mistral"
LICENCE_FILES = {
    "news_nb/npk_cc0_LICENSE_repo_apache2.txt": "LICENSE_news_nb_repo_apache2.txt",
    "wiki_nb/norquad_LICENSE_CC0.txt": "LICENSE_norquad_CC0.txt",
}


@dataclass
class TinyPolicyConfig:
    """Architecture, corpus and optimisation of the tiny policy; every field is recorded in `saga/training.json`.

    Args:
        vocab_size (`int`, *optional*, defaults to 8000): BPE vocabulary size.
        hidden_size (`int`, *optional*, defaults to 256): model width.
        intermediate_size (`int`, *optional*, defaults to 512): MLP width (`gate_proj`/`up_proj`/`down_proj`).
        num_hidden_layers (`int`, *optional*, defaults to 4): decoder layers.
        num_attention_heads (`int`, *optional*, defaults to 4): query heads.
        num_key_value_heads (`int`, *optional*, defaults to 2): key/value heads (grouped-query attention, as
            NorMistral).
        block_size (`int`, *optional*, defaults to 128): tokens per training block (the corpus is packed).
        max_position_embeddings (`int`, *optional*, defaults to 512): the longest sequence the model accepts.
        max_steps (`int`, *optional*, defaults to 450): optimiser steps (a fixed count, not a time budget, so the
            run is reproducible).
        batch_size (`int`, *optional*, defaults to 16): blocks per step.
        learning_rate (`float`, *optional*, defaults to 3e-3): peak learning rate (cosine decay, linear warm-up).
        warmup_steps (`int`, *optional*, defaults to 30): warm-up steps.
        weight_decay (`float`, *optional*, defaults to 0.1): AdamW weight decay.
        prompt_share (`float`, *optional*, defaults to 0.2): share of Wikipedia articles reserved for DPO prompts
            (must equal the `prompts` builder's); those articles are left out of training.
        seed (`int`, *optional*, defaults to 42): seeds weight init, corpus order and data loading.
        threads (`int`, *optional*, defaults to 1): torch CPU threads.
    """

    vocab_size: int = 8000
    hidden_size: int = 256
    intermediate_size: int = 512
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    block_size: int = 128
    max_position_embeddings: int = 512
    max_steps: int = 450
    batch_size: int = 16
    learning_rate: float = 3e-3
    warmup_steps: int = 30
    weight_decay: float = 0.1
    prompt_share: float = 0.2
    seed: int = 42
    threads: int = 1

    def __post_init__(self):
        if self.hidden_size % self.num_attention_heads or self.num_attention_heads % self.num_key_value_heads:
            raise ValueError(
                f"hidden_size ({self.hidden_size}) must divide by num_attention_heads ({self.num_attention_heads}), "
                f"which must divide by num_key_value_heads ({self.num_key_value_heads})"
            )
        if self.block_size > self.max_position_embeddings:
            raise ValueError(
                f"block_size {self.block_size} exceeds max_position_embeddings {self.max_position_embeddings}"
            )

    def model_config(self, tokenizer: PreTrainedTokenizerFast) -> MistralConfig:
        """The `MistralConfig` for this size, with the tokenizer's special token ids."""
        return MistralConfig(
            vocab_size=len(tokenizer),
            hidden_size=self.hidden_size,
            intermediate_size=self.intermediate_size,
            num_hidden_layers=self.num_hidden_layers,
            num_attention_heads=self.num_attention_heads,
            num_key_value_heads=self.num_key_value_heads,
            head_dim=self.hidden_size // self.num_attention_heads,
            max_position_embeddings=self.max_position_embeddings,
            sliding_window=None,
            tie_word_embeddings=True,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )


@dataclass(frozen=True)
class TinyCorpus:
    """The training text: plain documents and chat conversations, in a seeded order.

    Args:
        plain (`list[str]`): news sentences and Wikipedia paragraphs.
        chats (`list[list[dict]]`): user/assistant conversations.
        counts (`dict[str, int]`): how many of each kind, and how many articles were held out.
    """

    plain: list[str]
    chats: list[list[dict]]
    counts: dict[str, int]


def read_corpus(data_dir: Path, config: TinyPolicyConfig) -> TinyCorpus:
    """Read the news sentences and the Wikipedia sample from `data_dir` and build plain and chat examples.

    Args:
        data_dir (`Path`): the shared data folder holding `news_nb/` and `wiki_nb/`.
        config (`TinyPolicyConfig`): for `prompt_share` and `seed`.

    Raises:
        [`InputDataError`]: a file is missing or a Wikipedia line is not a JSON object with `id`, `title`, `text`.
    """
    news_path, wiki_path = data_dir / NEWS_FILE, data_dir / WIKI_FILE
    for path in (news_path, wiki_path):
        if not path.is_file():
            raise InputDataError(f"{path} not found", hint="pass --data pointing at the shared data folder")
    rng = random.Random(config.seed)
    news = [line.strip() for line in news_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    plain = list(news)
    chats = [_chat(rng.choice(NEWS_PROMPTS), " ".join(news[i : i + 2])) for i in range(0, len(news), 6)]
    held_out = 0
    for number, line in enumerate(wiki_path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            article = json.loads(line)
            article_id, title, text = article["id"], article["title"], article["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise InputDataError(f"{wiki_path}:{number}: not an article with id, title, text ({err})") from err
        if reserved_for_prompts(article_id, config.prompt_share):
            held_out += 1
            continue
        kept, _ = paragraphs(text, title)
        plain.extend(kept)
        sentences = [s for paragraph in kept for s in split_sentences(paragraph)]
        if len(sentences) < 3:
            continue
        for template in TOPIC_PROMPTS:
            chats.append(_chat(template.format(title=title), " ".join(sentences[:3])))
        chats.append(_chat(f"Fortsett teksten: {sentences[0]}", " ".join(sentences[1:3])))
        for sentence in rng.sample(sentences, min(4, len(sentences))):
            chats.append(_chat(rng.choice(SENTENCE_PROMPTS).format(title=title), sentence))
    rng.shuffle(plain)
    rng.shuffle(chats)
    counts = {
        "plain_texts": len(plain),
        "chats": len(chats),
        "news_sentences": len(news),
        "held_out_articles": held_out,
    }
    return TinyCorpus(plain=plain, chats=chats, counts=counts)


def _chat(prompt: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]


def pack_blocks(corpus: TinyCorpus, tokenizer: PreTrainedTokenizerFast, block_size: int, seed: int) -> list[list[int]]:
    """Tokenize every document (plain: `<s> text </s>`; chat: the chat template) and pack them into full blocks.

    Args:
        corpus (`TinyCorpus`): the documents.
        tokenizer (`PreTrainedTokenizerFast`): the trained tokenizer.
        block_size (`int`): tokens per block; the tail shorter than a block is dropped (logged).
        seed (`int`): the order in which plain and chat documents are interleaved.
    """
    documents = [
        [tokenizer.bos_token_id, *ids, tokenizer.eos_token_id]
        for ids in tokenizer(corpus.plain, add_special_tokens=False)["input_ids"]
    ]
    documents += tokenizer.apply_chat_template(corpus.chats, tokenize=True, return_dict=False)
    random.Random(seed).shuffle(documents)
    stream = [token for document in documents for token in document]
    blocks = [stream[i : i + block_size] for i in range(0, len(stream) - block_size + 1, block_size)]
    logger.info("%d tokens in %d documents → %d blocks of %d", len(stream), len(documents), len(blocks), block_size)
    return blocks


def train_tiny_policy(data_dir: str | Path, out_dir: str | Path, config: TinyPolicyConfig | None = None) -> dict:
    """Train the tokenizer and the model and write a loadable model folder with its licences and record.

    Args:
        data_dir (`str` or `Path`): the shared data folder (`news_nb/`, `wiki_nb/`).
        out_dir (`str` or `Path`): the model folder to write; an earlier tiny-policy folder there is replaced.
        config (`TinyPolicyConfig`, *optional*): defaults to `TinyPolicyConfig()`.

    Returns:
        `dict`: the training record, also written to `saga/training.json` in `out_dir`.
    """
    config = config or TinyPolicyConfig()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    check_output(out_dir)
    with torch_threads(config.threads):
        started = time.monotonic()
        corpus = read_corpus(data_dir, config)
        tokenizer = train_tokenizer(
            corpus.plain + [m["content"] for chat in corpus.chats for m in chat],
            config.vocab_size,
            config.max_position_embeddings,
        )
        blocks = pack_blocks(corpus, tokenizer, config.block_size, config.seed)
        torch.manual_seed(config.seed)
        model = MistralForCausalLM(config.model_config(tokenizer))
        train_dataset = datasets.Dataset.from_dict({"input_ids": blocks, "labels": blocks})
        with tempfile.TemporaryDirectory(prefix="saga-tiny-") as scratch:
            args = TrainingArguments(
                output_dir=scratch,
                max_steps=config.max_steps,
                per_device_train_batch_size=config.batch_size,
                learning_rate=config.learning_rate,
                lr_scheduler_type="cosine",
                warmup_steps=config.warmup_steps,
                weight_decay=config.weight_decay,
                adam_beta2=0.95,
                seed=config.seed,
                data_seed=config.seed,
                use_cpu=True,
                report_to="none",
                save_strategy="no",
                logging_steps=min(50, config.max_steps),
                disable_tqdm=True,
            )
            trainer = Trainer(model=model, args=args, train_dataset=train_dataset, data_collator=default_data_collator)
            result = trainer.train()
        losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
        record = {
            "config": asdict(config),
            "corpus": {**corpus.counts, "blocks": len(blocks), "tokens": len(blocks) * config.block_size},
            "parameters": model.num_parameters(),
            "train_loss": result.training_loss,
            "final_logged_loss": losses[-1] if losses else None,
            "train_seconds": round(time.monotonic() - started, 1),
        }
        _save(model, tokenizer, out_dir, data_dir, record)
    return record


def check_output(out_dir: Path) -> None:
    """Allow an empty or missing folder, or an earlier tiny-policy folder (which is replaced); refuse anything else.

    Raises:
        [`InputDataError`]: a non-empty folder that this command did not write.
    """
    if not out_dir.exists() or (out_dir.is_dir() and not any(out_dir.iterdir())):
        return
    record = out_dir / "saga" / "training.json"
    if not (record.is_file() and "corpus" in json.loads(record.read_text(encoding="utf-8"))):
        raise InputDataError(f"{out_dir} is not empty and is not a tiny-policy folder; refusing to replace it")


def _save(model: MistralForCausalLM, tokenizer, out_dir: Path, data_dir: Path, record: dict) -> None:
    if out_dir.exists():
        shutil.rmtree(out_dir)  # an earlier tiny-policy folder (`check_output`)
    model.generation_config = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        max_new_tokens=64,
    )
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    share_like_other_files(out_dir)
    for source, target in LICENCE_FILES.items():
        shutil.copyfile(data_dir / source, out_dir / target)
    (out_dir / "saga").mkdir()
    (out_dir / "saga" / "training.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    render_tiny_policy_card(out_dir, record, COMMAND)
