"""Every docstring example in the product runs and prints what it shows.

The examples sit in ```python fences (the Hugging Face docstring style), which the standard doctest parser would
read as part of an example's expected output; `FencedDocTestParser` drops the fence lines first, as transformers'
`HfDocTestParser` does. One test per module, so a wrong example names its module.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import pytest

PACKAGES = ("saga", "saga.builders", "saga.trainers", "saga.validation", "saga.cards")
FENCE = re.compile(r"^[ \t]*```[a-z]*[ \t]*$", flags=re.MULTILINE)


class FencedDocTestParser(doctest.DocTestParser):
    """A doctest parser that reads examples inside Markdown code fences."""

    def parse(self, string: str, name: str = "<string>") -> list:
        return super().parse(FENCE.sub("", string), name)


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        names.append(package)
        path = importlib.import_module(package).__path__
        names += [info.name for info in pkgutil.walk_packages(path, f"{package}.")]
    return list(dict.fromkeys(names))  # an installed wheel holds saga.builders inside saga's own folder


FINDER = doctest.DocTestFinder(parser=FencedDocTestParser())
WITH_EXAMPLES = [name for name in _modules() if any(t.examples for t in FINDER.find(importlib.import_module(name)))]


def test_examples_are_found():
    assert {"saga.builders.scoring.scorer", "saga.builders.nlp.loading", "saga.trainers.dpo_config"} <= set(
        WITH_EXAMPLES
    )


@pytest.mark.parametrize("module", WITH_EXAMPLES)
def test_docstring_examples(module):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in FINDER.find(importlib.import_module(module)):
        runner.run(test, out=report.append)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, "".join(report)
