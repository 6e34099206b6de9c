"""Build the offline bundle for an officer's laptop: a folder of wheels, the project's and every
runtime dependency's, and INSTALL.txt saying how to install it with no network.

Usage:
    python scripts/make_wheelhouse.py DIR                      # for this kind of computer
    python scripts/make_wheelhouse.py DIR --platform win_amd64 --python-version 3.12

It runs ``pip wheel . -w DIR``: the project's wheel and every runtime dependency's, built
here when the index has only their source (those are pure Python, so they serve any computer).
With --platform (e.g. ``win_amd64`` for 64-bit Windows, ``macosx_11_0_arm64``) each wheel made
for this computer only (compiled, such as PyYAML's) is replaced by the same version's wheel for
that platform and Python version (``pip download --only-binary=:all: --no-deps``); one that has
none is reported by pip and stops the build. Needs the package index once, here; the laptop then needs none. ``scripts/
check_wheelhouse.sh DIR`` installs the bundle into a fresh environment without any index and
runs a consultation.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "mse-upgrading-advisor"
INSTALL = """MSE Upgrading Advisor: offline installation
============================================
This folder holds the advisor and everything it needs ({platform}). No network is needed.
Python {python} must be installed (its compiled wheels are for that version; Windows: the
python.org installer, with "Add python.exe to PATH").

Windows (Command Prompt, in the folder that holds this one, named {name}):
    py -m venv advisor
    advisor\\Scripts\\pip install --no-index --find-links {name} {project}
    advisor\\Scripts\\mse-advisor serve

Linux and macOS (a terminal, in the folder that holds this one):
    python3 -m venv advisor
    advisor/bin/pip install --no-index --find-links {name} {project}
    advisor/bin/mse-advisor serve

"serve" opens the advisor in the browser; "mse-advisor consult" interviews in the terminal.
See docs/install.md and docs/officer-guide.md in the project for more.
"""


def pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", *args]
    print("+", " ".join(command), file=sys.stderr)
    subprocess.run(command, check=True)


def build(folder: Path, platform: str | None, python_version: str | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pip("wheel", "--quiet", str(ROOT), "-w", str(folder))
    if platform is None:
        return
    for wheel in sorted(folder.glob("*.whl")):
        name, version, *_, abi, tag = wheel.stem.split("-")
        if tag == "any":
            continue
        pip("download", "--quiet", "--only-binary=:all:", "--no-deps", "--platform", platform,
            "--python-version", python_version or "3.11", "-d", str(folder),
            f"{name}=={version}")
        wheel.unlink()
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    (folder / "INSTALL.txt").write_text(INSTALL.format(
        platform=platform or f"built for this kind of computer, Python {here}",
        python=python_version or here, name=folder.name, project=PROJECT), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to put the wheels (made if missing)")
    parser.add_argument("--platform", default=None,
                        help="the laptop's platform tag, e.g. win_amd64 (default: this one)")
    parser.add_argument("--python-version", default=None,
                        help="with --platform: the laptop's Python, e.g. 3.12 (default 3.11)")
    args = parser.parse_args(argv)
    if args.python_version and not args.platform:
        parser.error("--python-version goes with --platform")
    try:
        build(args.folder, args.platform, args.python_version)
    except subprocess.CalledProcessError as exc:
        print(f"error: pip failed ({exc.returncode}); see its message above", file=sys.stderr)
        return 1
    wheels = sorted(p.name for p in args.folder.glob("*.whl"))
    print(f"{len(wheels)} wheels in {args.folder}; see {args.folder / 'INSTALL.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
