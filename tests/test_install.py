"""saga installs under one namespace: its wheel works beside PyPI's `builders`, `cards` and `validation`.

The design card keeps the top-level folders `builders/`, `cards/`, `trainers/`, `validation/` and `assets/`; the wheel
installs them as `saga.builders`, `saga.cards`, ... (`setup.py`), so `pip install saga` next to the PyPI packages of
those names breaks neither. The check builds the wheel from the tracked files, installs it without dependencies
into a fresh venv that reads saga's dependencies from this environment, adds the PyPI packages (from the package
index), and imports both sides from a folder outside the checkout.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPI_NAMESAKES = ("builders==1.2.8", "cards==2.0.3", "validation==0.8.3")
PROBE = """
import builders, cards, validation
import saga.builders.scoring, saga.cards.dataset, saga.trainers.runs, saga.validation.suites
from saga.models import resolve_model
for module in (builders, cards, validation, saga.builders, saga.cards, saga.validation, saga.trainers):
    print(module.__name__, module.__file__)
print("tiny_nb_mistral", resolve_model("tiny_nb_mistral").location)
"""


def run(command: list, **kwargs) -> str:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_wheel_installs_beside_pypis_builders_cards_and_validation(tmp_path):
    source = tmp_path / "source"  # a copy of the tracked files: building writes build/ and *.egg-info into its tree
    for name in run(["git", "ls-files"], cwd=ROOT).splitlines():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp_path, source])
    [wheel] = tmp_path.glob("saga-*.whl")

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    venv_site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).strip())
    (venv_site / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")  # torch & co. from here
    run([python, "-m", "pip", "install", "-q", "--no-deps", wheel])
    run([python, "-m", "pip", "install", "-q", *PYPI_NAMESAKES])

    modules = dict(line.split(" ", 1) for line in run([python, "-c", PROBE], cwd=tmp_path).splitlines())
    for name in ("builders", "cards", "validation"):
        assert modules[name] == str(venv_site / name / "__init__.py")  # PyPI's package
        assert modules[f"saga.{name}"] == str(venv_site / "saga" / name / "__init__.py")  # saga's, from the wheel
    assert modules["saga.trainers"] == str(venv_site / "saga" / "trainers" / "__init__.py")
    assert (Path(modules["tiny_nb_mistral"]) / "model.safetensors").is_file()  # assets travel inside saga
    assert run([venv / "bin" / "saga", "--version"], cwd=tmp_path).startswith("saga ")
    plan = run([venv / "bin" / "saga", "demo", "--dry-run"], cwd=tmp_path)  # the recipes travel inside saga too
    assert plan.startswith(f"recipe demo-cpu ({venv_site / 'saga' / 'recipes' / 'demo-cpu.yaml'}) → build/demo-cpu")
