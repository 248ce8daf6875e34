"""Cache folders are used only when they are real folders of this user's that others cannot write."""

from __future__ import annotations

import os

from sopkb.core.folders import real_folders


def test_a_folder_of_ones_own_or_none_yet_is_usable(tmp_path):
    (tmp_path / "mine").mkdir(mode=0o755)
    assert real_folders(tmp_path / "mine", tmp_path / "not-there-yet")


def test_a_link_a_file_a_strangers_or_a_world_writable_folder_is_not(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "file").write_text("x")
    (tmp_path / "strangers").mkdir()
    os.chown(tmp_path / "strangers", os.getuid() + 1, -1)
    (tmp_path / "open").mkdir()
    os.chmod(tmp_path / "open", 0o777)
    for name in ("link", "file", "strangers", "open"):
        assert not real_folders(tmp_path / name), name
