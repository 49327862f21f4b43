"""Finished shards round-trip, unfinished ones read as missing, and corrupt ones are named."""

import json

import pytest

from saga.builders.generation.shards import ShardStore
from saga.errors import InputDataError


def test_shards_round_trip_and_describe_their_run(tmp_path):
    store = ShardStore(tmp_path, "key1", {"model": "rev"})
    assert store.load("train", 0) is None
    rows = [{"completion": "Huset er stort.", "prompt": [{"role": "user", "content": "Æ ø å"}]}]
    store.save("train", 0, rows)
    assert store.load("train", 0) == rows
    assert store.load("test", 0) is None
    assert json.loads((tmp_path / "key1" / "run.json").read_text()) == {"model": "rev"}
    assert sorted(p.name for p in (tmp_path / "key1").iterdir()) == ["run.json", "train-00000.jsonl"], "no temp files"


def test_corrupt_shard_is_named(tmp_path):
    store = ShardStore(tmp_path, "key1")
    store.path("train", 3).write_text('{"completion": "a"}\n{"completion": \n', encoding="utf-8")
    with pytest.raises(InputDataError, match=r"train-00003.jsonl:2: corrupt shard"):
        store.load("train", 3)
