"""The installed command and production mode: `werkconferentie --help`, `check --deploy`, a complete wheel."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The test run's own settings stay out of the commands under test.
ENV_NOT_PASSED = {
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "WERKCONFERENTIE_PRODUCTION",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
}


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ENV_NOT_PASSED}
    environment.update(env)
    return subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def console_script() -> str:
    beside_python = Path(sys.executable).with_name("werkconferentie")
    found = str(beside_python) if beside_python.exists() else shutil.which("werkconferentie")
    assert found, "the `werkconferentie` command is not installed (pip install -e '.[test]')"
    return found


@pytest.mark.parametrize("command", ["console script", "python -m"])
def test_help(command, tmp_path):
    args = [console_script()] if command == "console script" else [sys.executable, "-m", "werkconferentie"]
    result = run([*args, "--help"], cwd=tmp_path, WERKCONFERENTIE_DATA_DIR=str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "usage: werkconferentie" in result.stdout
    for subcommand in ("demo", "serve", "load-event", "manage"):
        assert subcommand in result.stdout


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = run(
        [sys.executable, "-m", "werkconferentie", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=tmp_path,
        WERKCONFERENTIE_PRODUCTION="1",
        WERKCONFERENTIE_DATA_DIR=str(tmp_path / "data"),
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="werkconferentie.example.nl",
    )
    assert result.returncode == 0, f"check --deploy is not clean:\n{result.stdout}\n{result.stderr}"
    assert "no issues" in result.stdout


def checkout_copy(destination: Path) -> Path:
    """Copy what a fresh clone would hold (tracked files plus new, not ignored ones) to build from."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0:  # not a git checkout (an unpacked sdist, say): build from the tree as it is
        return ROOT
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def translation_samples(package: Path) -> list[tuple[str, str, str]]:
    """One simple translated message from each language's django.po, to look up in the installed package."""
    samples = []
    for po in sorted(package.glob("locale/*/LC_MESSAGES/django.po")):
        text = po.read_text(encoding="utf-8")
        for block in text.split("\n\n"):
            match = re.fullmatch(r'(?:#[^\n]*\n)*msgid "(.+)"\nmsgstr "(.+)"\n?', block.strip() + "\n")
            if match and "#, fuzzy" not in block and "\\" not in block:
                samples.append((po.parent.parent.name, match[1], match[2]))
                break
    return samples


@pytest.mark.slow
def test_wheel_is_complete_and_works_from_anywhere(tmp_path):
    """`pip install .` from a clean checkout carries templates, static files, compiled translations, data.

    Built from a copy of what git would commit, so files that exist here only because a script made them
    (compiled .mo files that are ignored, say) do not count.
    """
    source = checkout_copy(tmp_path / "checkout")
    wheels = tmp_path / "wheels"
    result = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(source),
        ],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = wheels.glob("werkconferentie-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    # What should be in the wheel, judged from the same copy (the tree may change meanwhile).
    package = source / "src" / "werkconferentie"
    expected = {"werkconferentie/templates/base.html"}
    for pattern in ("templates", "static", "data"):
        for directory in package.rglob(pattern):
            if directory.is_dir() and "__pycache__" not in directory.parts:
                expected |= {str(path.relative_to(source / "src")) for path in directory.rglob("*") if path.is_file()}
    for po in package.rglob("locale/*/LC_MESSAGES/*.po"):
        expected.add(str(po.with_suffix(".mo").relative_to(source / "src")))
    missing = sorted(name for name in expected - names if not name.endswith((".pyc", "~")))
    assert not missing, "files missing from the wheel built from a clean checkout:\n" + "\n".join(missing)

    # Unpack it on its own and use it from an unrelated directory: nothing may come from the source tree.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(site), "WERKCONFERENTIE_DATA_DIR": str(tmp_path / "data")}
    script = """
import django, werkconferentie
from pathlib import Path
assert Path(werkconferentie.__file__).is_relative_to(Path(SITE)), werkconferentie.__file__
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "werkconferentie.settings"
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from django.utils import translation
client = Client(HTTP_HOST="127.0.0.1")
page = client.get("/over/", headers={"accept-language": "en"})
assert page.status_code == 200, page.status_code
assert b'lang="en"' in page.content
css = client.get("/static/werkconferentie/site.css")
assert css.status_code == 200, css.status_code
import json
for language, msgid, msgstr in json.loads(SAMPLES):
    with translation.override(language):
        got = translation.gettext(msgid)
    assert got == msgstr, f"{language}: {msgid!r} translates to {got!r}, not {msgstr!r}: no compiled translations?"
print("ok")
""".replace("SITE", repr(str(site)))
    script = script.replace("SAMPLES", repr(json.dumps(translation_samples(package))))
    result = run([sys.executable, "-c", script], cwd=elsewhere, **env)
    assert result.returncode == 0 and "ok" in result.stdout, result.stdout + result.stderr
