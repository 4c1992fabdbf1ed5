"""Helpers every training command shares."""

import platform

import pytest

from dlref.train import common


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt() tuning is glibc-only")
def test_glibc_accepts_both_allocator_settings():
    # mallopt() returns 0 for a parameter or value it rejects, so a wrong constant fails here.
    assert common.keep_freed_memory() is True


def test_git_commit_marks_uncommitted_code_as_dirty(tmp_path, monkeypatch):
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("needs git")

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "dlref").mkdir()
    (tmp_path / "dlref" / "code.py").write_text("x = 1\n")
    (tmp_path / "notes.md").write_text("notes\n")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c")
    monkeypatch.setattr(common, "REPOSITORY", tmp_path)
    clean = common.git_commit()
    assert len(clean) == 40 and all(c in "0123456789abcdef" for c in clean)
    (tmp_path / "notes.md").write_text("changed notes do not matter\n")
    assert common.git_commit() == clean
    (tmp_path / "dlref" / "code.py").write_text("x = 2\n")
    assert common.git_commit() == clean + "+dirty"
    monkeypatch.setattr(common, "REPOSITORY", tmp_path / "nowhere")
    assert common.git_commit() == "unknown"
