"""The tiny policy's tokenizer: byte-level BPE trained on Norwegian text, with a chat template for TRL.

Byte-level BPE never meets an unknown character (every byte is in the alphabet), so any Norwegian text — and any
completion the policy generates — round-trips. The chat template wraps the assistant turn, end-of-sequence token
included, in `{% generation %}` markers, so TRL's `assistant_only_loss` masks everything but what the model must
learn to write, and it renders a prompt with `add_generation_prompt=True` as an exact prefix of the full
conversation, so DPO's prompt/completion split falls on a token boundary.
"""

from __future__ import annotations

from collections.abc import Iterable

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

PAD, BOS, EOS = "<pad>", "<s>", "</s>"
ROLE_TOKENS = ("<|system|>", "<|user|>", "<|assistant|>")
SPECIAL_TOKENS = (PAD, BOS, EOS, *ROLE_TOKENS)
CHAT_TEMPLATE = (
    "{{- bos_token }}"
    "{%- for message in messages %}"
    "{%- if message['role'] == 'system' %}{{- '<|system|>\\n' + message['content'] + '\\n' }}"
    "{%- elif message['role'] == 'user' %}{{- '<|user|>\\n' + message['content'] + '\\n' }}"
    "{%- elif message['role'] == 'assistant' %}{{- '<|assistant|>\\n' }}"
    "{%- generation %}{{- message['content'] + eos_token }}{%- endgeneration %}"
    "{%- else %}{{- raise_exception('unknown role ' + message['role']) }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|assistant|>\\n' }}{%- endif %}"
)


def train_tokenizer(texts: Iterable[str], vocab_size: int, model_max_length: int) -> PreTrainedTokenizerFast:
    """Train a byte-level BPE tokenizer on `texts` and wrap it for transformers, with bos/eos/pad and the template.

    Args:
        texts (`Iterable[str]`): training text, in a fixed order (the BPE merges depend on it only through counts,
            so the same texts give the same vocabulary).
        vocab_size (`int`): the vocabulary size, special tokens and the 256 byte symbols included.
        model_max_length (`int`): the longest sequence the model is trained for (the position embedding range).

    Returns:
        [`~transformers.PreTrainedTokenizerFast`]: ready for `save_pretrained`.
    """
    tokenizer = Tokenizer(models.BPE())
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=BOS,
        eos_token=EOS,
        pad_token=PAD,
        extra_special_tokens=list(ROLE_TOKENS),
        chat_template=CHAT_TEMPLATE,
        model_max_length=model_max_length,
        padding_side="right",
        clean_up_tokenization_spaces=False,
    )
