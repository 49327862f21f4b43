"""`python -m bench [NAME ...]`: run every `bench/bench_*.py` module's `main()` (or the named ones), in order."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main(names: list[str]) -> int:
    modules = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    unknown = sorted(set(names) - set(modules))
    if unknown:
        print(f"unknown benchmark(s) {unknown}; known: {modules}", file=sys.stderr)
        return 2
    for name in names or modules:
        print(f"\n## {name}\n", flush=True)
        importlib.import_module(f"bench.{name}").main([])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
