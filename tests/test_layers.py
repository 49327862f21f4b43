"""Layers point one way: no module imports from a layer above its own.

base (errors, versions, threads, permissions, references, models) → builders → validation → cards → publishing
(`saga.hub`) → trainers → the stage chain, the recipe runner and the CLI. The test reads every module's imports
(function-level ones too: a deferred import is still a dependency) and names each back edge.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# folder → installed package: the design card's top-level folders install under the saga namespace
PACKAGES = {
    folder: f"saga.{folder}" for folder in ("builders", "validation", "cards", "trainers", "assets", "recipes")
}
PACKAGES["saga"] = "saga"
# (layer, module prefixes), lowest first; a module belongs to the layer of its longest matching prefix.
LAYERS = [
    (
        "base",
        (
            "saga",
            "saga.errors",
            "saga.versions",
            "saga.threads",
            "saga.permissions",
            "saga.models",
            "saga.hub",
            "saga.hub.references",
            "saga.hub.retry",
            "saga.assets",
            "saga.recipes",
        ),
    ),
    ("builders", ("saga.builders",)),
    ("validation", ("saga.validation",)),
    ("cards", ("saga.cards",)),
    ("publishing", ("saga.hub.publish", "saga.hub.folders", "saga.hub.card_merge")),
    ("trainers", ("saga.trainers",)),
    ("top", ("saga.stages", "saga.recipe", "saga.pipeline", "saga.cli")),
]
RANK = {prefix: rank for rank, (_, prefixes) in enumerate(LAYERS) for prefix in prefixes}


def layer_of(module: str) -> int:
    """The rank of the layer a dotted module name belongs to (its longest matching prefix)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in RANK:
            return RANK[".".join(parts[:end])]
    raise KeyError(module)


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            found[".".join((package, *parts)).removesuffix(".__init__")] = path
    return found


def imports(path: Path) -> set[str]:
    """The project modules `path` imports, anywhere in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.split(".")[0] == "saga"}


def test_every_module_has_a_layer():
    assert [m for m in modules() if not _has_layer(m)] == []


def _has_layer(module: str) -> bool:
    try:
        layer_of(module)
    except KeyError:
        return False
    return True


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_module_imports_from_a_layer_above_its_own(module):
    own = layer_of(module)
    above = sorted(name for name in imports(modules()[module]) if layer_of(name) > own)
    assert above == [], f"{module} ({LAYERS[own][0]}) imports {above} from above its layer"
