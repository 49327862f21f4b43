"""Flags generated from config dataclasses: one per scalar field, both spellings, help from the docstring, defaults
left to the dataclass."""

import argparse
from dataclasses import dataclass, field

import pytest

from saga.cli.config_flags import add_config_arguments, config_arguments
from saga.trainers.eval_config import EvalConfig


@dataclass
class Settings:
    """Settings of a test.

    Args:
        max_rows (`int`, *optional*): at most this many rows; a 100%
            share of the input otherwise.
        label (`str`, defaults to `"x"`): what to call it.
        weights (`dict`): not a scalar.
    """

    max_rows: int | None = None
    label: str = "x"
    weights: dict = field(default_factory=dict)


def parser_for(config_class, **options) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    add_config_arguments(parser, config_class, **options)
    return parser


def test_each_scalar_field_is_a_flag_in_both_spellings_and_unset_flags_keep_the_defaults():
    parser = parser_for(Settings)
    assert config_arguments(parser.parse_args(["--max-rows", "3"]), Settings) == {"max_rows": 3}
    assert config_arguments(parser.parse_args(["--max_rows", "4", "--label", "y"]), Settings) == {
        "max_rows": 4,
        "label": "y",
    }
    assert Settings(**config_arguments(parser.parse_args([]), Settings)) == Settings()
    with pytest.raises(SystemExit):
        parser.parse_args(["--weights", "{}"])  # a dict field has no flag


def test_help_comes_from_the_docstring_with_its_continuation_lines(capsys):
    with pytest.raises(SystemExit):
        parser_for(Settings).parse_args(["--help"])
    assert "at most this many rows; a 100% share of the input otherwise." in " ".join(capsys.readouterr().out.split())


def test_a_field_asked_for_by_name_must_have_a_command_line_form():
    with pytest.raises(TypeError, match=r"Settings.weights \(dict\) has no command-line form"):
        parser_for(Settings, only=("weights",))


def test_every_evaluation_setting_but_vllm_options_is_a_flag():
    flags = {action.dest for action in parser_for(EvalConfig)._actions} - {"help"}
    assert flags == {name for name in EvalConfig.__dataclass_fields__ if name != "vllm_options"}
