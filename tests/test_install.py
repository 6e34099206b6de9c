"""Installing on an officer's laptop: the pieces of the offline bundle and of the web pages'
packaging, checked quickly (the whole bundle is built and installed offline by
scripts/make_wheelhouse.py and scripts/check_wheelhouse.sh, which take longer than a test
should; docs/install.md)."""
from __future__ import annotations

import fnmatch
import importlib.util
import subprocess
import tomllib

from tests.conftest import ROOT


def pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def wheelhouse_script():
    spec = importlib.util.spec_from_file_location("make_wheelhouse",
                                                  ROOT / "scripts" / "make_wheelhouse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundle_installs_the_project_by_its_own_name_on_windows_and_elsewhere(tmp_path):
    script = wheelhouse_script()
    assert script.PROJECT == pyproject()["project"]["name"]
    note = script.INSTALL.format(platform="win_amd64", python="3.12", name="bundle",
                                 project=script.PROJECT)
    for line in (r"py -m venv advisor",
                 rf"advisor\Scripts\pip install --no-index --find-links bundle {script.PROJECT}",
                 r"advisor\Scripts\mse-advisor serve",
                 f"advisor/bin/pip install --no-index --find-links bundle {script.PROJECT}"):
        assert line in note


def test_the_check_script_cuts_pip_off_from_every_index():
    text = (ROOT / "scripts" / "check_wheelhouse.sh").read_text()
    assert subprocess.run(["bash", "-n", str(ROOT / "scripts" / "check_wheelhouse.sh")]).returncode == 0
    assert "--no-index" in text and "PIP_CONFIG_FILE=/dev/null" in text and "--proxy" in text
    assert pyproject()["project"]["name"] in text


def test_every_template_and_style_sheet_is_installed_with_the_package():
    patterns = pyproject()["tool"]["setuptools"]["package-data"]["web"]
    shipped = [p.relative_to(ROOT / "web").as_posix()
               for folder in ("templates", "static") for p in (ROOT / "web" / folder).rglob("*")
               if p.is_file()]
    assert shipped
    missing = [f for f in shipped if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert not missing, f"not installed by pyproject's package-data: {missing}"
    assert {"flask", "flask-wtf"} <= {d.split(">")[0].split("=")[0].strip()
                                     for d in pyproject()["project"]["dependencies"]}


def test_the_readme_gives_the_windows_commands_beside_the_others():
    readme = (ROOT / "README.md").read_text()
    for command in (r"py -m venv .venv", r".venv\Scripts\pip install", r".venv\Scripts\mse-advisor serve",
                    "python3 -m venv .venv", ".venv/bin/mse-advisor serve", "docs/install.md"):
        assert command in readme
