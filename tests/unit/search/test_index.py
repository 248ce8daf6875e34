"""The search index of the small fixture KB, file by file, against reviewed golden files.

Regenerate after an intended change with `.venv/bin/python -m pytest tests/unit --update-golden`.
"""

from __future__ import annotations

from sopkb.search.index import FOLDER, build_index, builtin_synonyms, write_index

from tests.golden_files import check_golden, files_under


def test_search_index_files_match_golden_files(small_kb, tmp_path, update_golden):
    # as the build calls it: the built-in synonym groups, then the KB's own (none in kb-small)
    files = build_index(small_kb, builtin_synonyms() + small_kb.synonyms)
    write_index(files, tmp_path)
    written = files_under(tmp_path)
    assert sorted(written) == sorted(files) and all(path.startswith(f"{FOLDER}/") for path in files)
    check_golden("kb-small-search-index", written, update_golden)


def test_search_index_is_the_same_read_in_worker_processes(small_kb):
    synonyms = builtin_synonyms() + small_kb.synonyms
    assert build_index(small_kb, synonyms, jobs=2) == build_index(small_kb, synonyms)
