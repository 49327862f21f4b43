"""Treebank sentences → spaCy `DocBin` training corpora, and held-out sentences → `Example`s for evaluation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.vocab import Vocab

from saga.builders.nlp.treebank import Sentence


def sentences_to_doc(vocab: Vocab, sentences: list[Sentence]) -> Doc:
    """Join sentences into one `Doc`; dependency annotation is kept only when every token has a head."""
    words, spaces, pos, morphs, lemmas, heads, deps, starts = [], [], [], [], [], [], [], []
    with_parse = all(t.head >= 0 for s in sentences for t in s.tokens)
    for sent in sentences:
        offset = len(words)
        for i, tok in enumerate(sent.tokens):
            words.append(tok.form)
            spaces.append("SpaceAfter=No" not in tok.misc)
            pos.append(tok.upos)
            morphs.append("" if tok.feats == "_" else tok.feats)
            lemmas.append(tok.lemma)
            heads.append(offset + tok.head - 1 if tok.head > 0 else offset + i)
            deps.append(tok.deprel)
            starts.append(i == 0)
    parse = {"heads": heads, "deps": deps} if with_parse else {"sent_starts": starts}
    return Doc(vocab, words=words, spaces=spaces, pos=pos, morphs=morphs, lemmas=lemmas, **parse)


def chunk(sentences: Iterable[Sentence], size: int) -> Iterator[list[Sentence]]:
    """Consecutive groups of `size` sentences, so the parser sees sentence boundaries inside documents."""
    group: list[Sentence] = []
    for sent in sentences:
        group.append(sent)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def write_docbin(vocab: Vocab, sentences: Iterable[Sentence], path: Path, sents_per_doc: int = 10) -> int:
    """Write sentences to a `.spacy` file, `sents_per_doc` sentences per `Doc`; returns the number of docs."""
    docbin = DocBin(store_user_data=False)
    for group in chunk(sentences, sents_per_doc):
        docbin.add(sentences_to_doc(vocab, group))
    path.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(path)
    return len(docbin)


def heldout_examples(nlp: Language, sentences: Iterable[Sentence]) -> list[Example]:
    """One `Example` per gold sentence: gold tokenisation, so scores are per token and comparable across pipelines."""
    examples = []
    for sent in sentences:
        reference = sentences_to_doc(nlp.vocab, [sent])
        predicted = Doc(nlp.vocab, words=[t.text for t in reference], spaces=[bool(t.whitespace_) for t in reference])
        examples.append(Example(predicted, reference))
    return examples
