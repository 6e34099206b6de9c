"""The engine's layers and packaging: what ``pyproject.toml`` promises holds.

``[tool.importlinter]`` states the layers (api > kbtools > reports | history > consultation >
inference > knowledge > language > files | compat > errors), that language and knowledge never
import experta, that the engine never imports click, that reports never import inference, and
that no sibling modules import each other in a cycle; ``lint-imports`` checks them, here on every
test run. ``[tool.setuptools.packages.find]`` must include every package directory, or a
non-editable install silently lacks it (as it once lacked every subpackage).
"""
import os
import shutil
import subprocess
import sys
import warnings

import setuptools
from setuptools.config.pyprojecttoml import read_configuration

from tests.conftest import ROOT


def test_the_import_contracts_of_pyproject_hold():
    lint_imports = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or \
        shutil.which("lint-imports")
    assert lint_imports, "lint-imports is not installed: pip install -e '.[test]'"
    run = subprocess.run([lint_imports, "--no-cache", "--no-logo"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_every_package_directory_is_installed():
    with warnings.catch_warnings():  # "[tool.setuptools] support is beta"
        warnings.simplefilter("ignore")
        config = read_configuration(ROOT / "pyproject.toml", expand=False)
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    found = set(setuptools.find_packages(where=str(ROOT), include=include))
    on_disk = {".".join(p.parent.relative_to(ROOT).parts)
               for top in ("engine", "commands", "web", "knowledge_base") for p in (ROOT / top).rglob("__init__.py")
               if "__pycache__" not in p.parts}
    assert on_disk <= found, f"not installed: {sorted(on_disk - found)}"
    assert {"engine.api", "engine.inference.rete", "engine.kbtools.lint"} <= found


def test_every_data_file_the_engine_reads_is_package_data():
    """The catalogues (.pot, .po, .mo) and the translation files ship with a non-editable
    install: each matches a package-data glob of its package."""
    from fnmatch import fnmatch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        config = read_configuration(ROOT / "pyproject.toml", expand=False)
    data = config["tool"]["setuptools"]["package-data"]
    wanted = {"engine.translation": [p for p in (ROOT / "engine" / "translation" / "locales")
                                     .rglob("*") if p.suffix in (".pot", ".po", ".mo")],
              "knowledge_base": list((ROOT / "knowledge_base" / "translations").glob("*.yaml"))}
    for package, files in wanted.items():
        base = ROOT.joinpath(*package.split("."))
        assert files, f"no data files found for {package}"
        for path in files:
            relative = path.relative_to(base).as_posix()
            assert any(fnmatch(relative, glob) for glob in data.get(package, [])), \
                f"{relative} of {package} is not package data in pyproject.toml"
