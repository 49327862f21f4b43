"""saga's installed names: the design card's top-level folders (`builders/`, `cards/`, `trainers/`, `validation/`,
`assets/`, `recipes/`) install as `saga.builders`, `saga.cards`, ..., so they cannot collide with PyPI's `builders`,
`cards` or `validation` in one environment. Everything else about the package is in `pyproject.toml`; this file
only computes the package list and the folder mapping, which `pyproject.toml` cannot express for subpackages found
at build time.
"""

from setuptools import find_packages, setup

FOLDERS = ("builders", "cards", "trainers", "validation", "assets", "recipes")

packages = find_packages(include=["saga", "saga.*"])
package_dir = {"saga": "saga"}
for folder in FOLDERS:
    packages += [f"saga.{name}" for name in find_packages(include=[folder, f"{folder}.*"])]
    package_dir[f"saga.{folder}"] = folder

setup(packages=packages, package_dir=package_dir)
