"""The `saga` command's entry point: only the group of the command being run is imported."""

import subprocess
import sys
import time

import pytest

from saga.cli.main import COMMANDS, build_parser, main

HEAVY = ("torch", "spacy", "transformers", "trl", "datasets", "great_expectations")
PROBE = """
import contextlib, io, sys
from saga.cli.main import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(sys.argv[1:])
print(" ".join(sorted(name.split(".")[0] for name in sys.modules)))
"""


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_import_nothing_heavy_and_answer_fast(argv):
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "saga.cli.main", *argv], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and time.perf_counter() - started < 2.0
    probe = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=60)
    loaded = set(probe.stdout.split())
    assert "saga" in loaded and not loaded & set(HEAVY)


def test_the_help_lists_every_command_and_each_command_parses_in_full():
    listing = build_parser([]).format_help()
    assert all(f"    {name} " in listing for name in COMMANDS)
    full = build_parser()
    commands = full._subparsers._group_actions[0].choices
    assert set(commands) == set(COMMANDS)
    assert "--repo-id" in commands["push"].format_help()  # a real parser, not a help line


def test_an_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["pusj"])
    assert exit_info.value.code == 2 and "invalid choice: 'pusj'" in capsys.readouterr().err
