"""Imports flow one way between the apps (docs/development.md, "Layers"): the import-linter contracts in
pyproject.toml, run over the source, so that an import against the layers fails the suite with the linter's
report."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` over root/src with root/pyproject.toml's contracts (static: nothing is imported)."""
    command = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", command, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_imports_flow_down_the_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_import_against_the_layers_breaks_the_contract(tmp_path):
    """The contracts catch what they are for: events importing registration, core importing events, and the
    allocation engine importing Django."""
    shutil.copytree(
        ROOT / "src" / "werkconferentie",
        tmp_path / "src" / "werkconferentie",
        ignore=shutil.ignore_patterns("static", "locale", "data", "templates", "__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    package = tmp_path / "src" / "werkconferentie"
    with (package / "events" / "views.py").open("a") as module:
        module.write("\nfrom werkconferentie.registration.signup import seats_left  # noqa\n")
    with (package / "core" / "roles.py").open("a") as module:
        module.write("\ndef later():\n    from werkconferentie.events.models import Event  # noqa\n")
    with (package / "allocation" / "model.py").open("a") as module:
        module.write("\nimport django  # noqa\n")

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 kept, 2 broken" in result.stdout
    assert "werkconferentie.events.views -> werkconferentie.registration.signup" in result.stdout
    assert "werkconferentie.core.roles -> werkconferentie.events.models" in result.stdout
    assert "werkconferentie.allocation.model -> django" in result.stdout
