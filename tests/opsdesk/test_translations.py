"""Every UI string is translated into Chinese, and the compiled catalogue matches the source."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"


def _entries(catalogue) -> dict[tuple[str | None, str], str]:
    return {(entry.msgctxt, entry.msgid): entry.msgstr for entry in catalogue if entry.msgid}


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(PO_FILE))
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()


def test_compiled_catalogue_matches_the_source():
    po = _entries(polib.pofile(str(PO_FILE)))
    mo = _entries(polib.mofile(str(PO_FILE.with_suffix(".mo"))))
    assert mo == po, "run `make messages` to recompile locale/zh_Hans/LC_MESSAGES/django.mo"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
def test_catalogue_holds_every_string_of_the_code(tmp_path):
    """makemessages over a copy of the tree finds no string the committed catalogue lacks."""
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        tree,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "tests", "staticfiles", "*.sqlite3", "__pycache__", "bench"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tree,
        check=True,
        capture_output=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
    )
    fresh = set(_entries(polib.pofile(str(tree / "locale/zh_Hans/LC_MESSAGES/django.po"))))
    committed = set(_entries(polib.pofile(str(PO_FILE))))
    assert fresh - committed == set(), "run `make messages` and translate the new strings"
