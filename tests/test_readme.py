"""The README's Python example runs as printed, on a small articles file in the working directory it names."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_own_data_python_example_runs_as_printed(tmp_path):
    section = README.read_text(encoding="utf-8").split("## Use it on your own data", 1)[1].split("\n## ", 1)[0]
    [example] = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    text = "Bergen er en by på Vestlandet. Byen ble grunnlagt i 1070. Den har mange innbyggere og en stor havn."
    article = {"id": "1", "title": "Bergen", "text": text}
    (tmp_path / "my_articles.jsonl").write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    folder, score = run.stdout.splitlines()
    assert folder.startswith("build/mine/sentences {") and (tmp_path / "build/mine/sentences/README.md").is_file()
    assert -1.0 <= float(score.split()[0]) <= 1.0
