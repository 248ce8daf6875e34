"""The QTI 2.1 package of the small KB against golden files, one per member of the zip.

The members' names and contents are compared exactly. The zip container itself is not: `zipfile`
stamps each member with the time of the export, so its bytes differ from run to run.
Regenerate after an intended change with `.venv/bin/python -m pytest tests/unit --update-golden`.
"""

from __future__ import annotations

import io
import zipfile

from tests.golden_files import check_golden


def members(package: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def test_qti_package_members_match_their_golden_files(exported, update_golden):
    found = members(exported("qti"))
    names = [name for name, _ in found]
    assert len(names) == len(set(names))  # a zip may hold a name twice; a folder of golden files cannot
    assert names[-1] == "imsmanifest.xml"  # written last, once every item and test is listed
    check_golden("kb-small-export-qti", dict(found), update_golden)
