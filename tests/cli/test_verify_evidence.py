"""energy-ties verify-evidence: every span against the source texts, found by their hash."""

from __future__ import annotations

import shutil

import pytest

from helpers import ROOT, TEXTS
from helpers.cli import run

needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/sources is not present")


@needs_texts
def test_verify_evidence_command(tmp_path):
    none = run("verify-evidence", cwd=ROOT)
    assert none.returncode == 2 and "no texts given" in none.stderr
    good = run("verify-evidence", "--texts", TEXTS, cwd=ROOT)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "evidence spans match" in good.stdout
    # texts are found by their hash, not their names
    renamed = tmp_path / "texts"
    renamed.mkdir()
    for i, f in enumerate(sorted(TEXTS.iterdir())):
        shutil.copy(f, renamed / f"article-{i}.txt")
    assert run("verify-evidence", "--texts", renamed, cwd=ROOT).returncode == 0
    # an altered text is found by nobody
    victim = next(renamed.iterdir())
    victim.write_text(victim.read_text(encoding="utf-8") + " ", encoding="utf-8")
    bad = run("verify-evidence", "--texts", renamed, cwd=ROOT)
    assert bad.returncode == 1 and "no file" in bad.stdout
