"""KB-wide checks: no two things share a page address, sources are real files inside the KB, and
no flow loops for ever across hand-offs between SOPs; all found by `sopkb validate`, located."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
from pathlib import Path

import pytest
from sopkb.build.site_build import build_site, project_of
from sopkb.core.errors import SourceErrors
from sopkb.domain.flow import reaching
from sopkb.domain.knowledge_base import KnowledgeBase
from sopkb.domain.urls import slugify
from sopkb.pipeline import load_knowledge_base
from sopkb.validation.loops import strongly_connected

TODAY = dt.date(2026, 11, 23)

SOP = """\
id: {id}
title: {title}
summary: A test SOP.
category: {category}
tags: {tags}
status: approved
owner: Ops
version: "1"
effective: 2026-01-01
review_by: 2099-01-01
source: Tests
objective: Test.
steps:
{steps}"""
"""Line 4 is the category (its value at column 11), line 5 the tags (`[` at column 7), line 14 the
first step's `- id:` (the id's value at column 9)."""

ONE_STEP = "  - id: only\n    title: Only\n"


def write_sop(
    root: Path,
    sop_id: str,
    *,
    steps: str = ONE_STEP,
    category: str = "Test",
    tags: str = "[]",
    title: str | None = None,
    name: str | None = None,
) -> Path:
    path = root / "sops" / f"{name or sop_id}.yaml"
    text = SOP.format(id=sop_id, title=title or sop_id.title(), category=category, tags=tags, steps=steps)
    path.write_text(text, encoding="utf-8")
    return path


def problems(root: Path) -> list[str]:
    """Every problem `sopkb validate` would print for the KB at `root`, in report order."""
    with pytest.raises(SourceErrors) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


def load(root: Path) -> KnowledgeBase:
    return load_knowledge_base(project_of(root), today=TODAY)


@pytest.fixture
def kb(kb_copy, monkeypatch) -> Path:
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    return root


def step(step_id: str, *lines: str) -> str:
    """One step of a `steps:` list; `lines` are its further keys, e.g. "next: sop:b"."""
    return f"  - id: {step_id}\n    title: {step_id.title()}\n" + "".join(f"    {line}\n" for line in lines)


def decision(*branches: tuple[str, str]) -> tuple[str, ...]:
    out = ["decision:", "  question: Which way?", "  branches:"]
    for answer, goto in branches:
        out += [f"    - answer: {answer}", f"      goto: {goto}"]
    return tuple(out)


# --- Reserved ids ----------------------------------------------------------------------------------


def test_ids_that_name_listing_pages_are_reserved_for_every_kind(kb):
    write_sop(kb, "index")
    quiz = (kb / "quizzes" / "refund-basics.yaml").read_text()
    (kb / "quizzes" / "index.yaml").write_text(quiz.replace("id: refund-basics", "id: index", 1))
    (kb / "quizzes" / "page.yaml").write_text(quiz.replace("id: refund-basics", "id: page-2", 1))
    (kb / "quizzes" / "page-one.yaml").write_text(quiz.replace("id: refund-basics", "id: page-1", 1))
    (kb / "quizzes" / "pages.yaml").write_text(quiz.replace("id: refund-basics", "id: pages-2", 1))  # allowed
    path = (kb / "paths" / "billing-basics.yaml").read_text()
    (kb / "paths" / "index.yaml").write_text(path.replace("id: billing-basics", "id: index", 1))
    assert problems(kb) == [
        "paths/index.yaml:2:5: id: the id 'index' is kept for listing pages: its page would be paths/, the list of all learning paths; choose another path id",
        "quizzes/index.yaml:1:5: id: the id 'index' is kept for listing pages: its page would be quizzes/, the list of all quizzes; choose another quiz id",
        "quizzes/page-one.yaml:1:5: id: the id 'page-1' is kept for listing pages: its page would be quizzes/page-1/, a page of the list of all quizzes; choose another quiz id",
        "quizzes/page.yaml:1:5: id: the id 'page-2' is kept for listing pages: its page would be quizzes/page-2/, a page of the list of all quizzes; choose another quiz id",
        "sops/index.yaml:1:5: id: the id 'index' is kept for listing pages: its page would be sops/, the address of the folder of every SOP page; choose another SOP id",
    ]


# --- Tags and categories -----------------------------------------------------------------------------


def test_three_spellings_of_one_tag_address_are_each_reported_once_at_their_first_use(kb):
    write_sop(kb, "one", tags="[a-b, x]")
    write_sop(kb, "two", tags="[x, a/b, A B, a/b]")
    write_sop(kb, "zed", tags="[A B, a-b]")
    assert problems(kb) == [
        "sops/two.yaml:5:11: tags[1]: tag 'a/b' has the same address (tags/a-b/) as tag 'a-b' (sops/one.yaml:5:8); use one spelling everywhere",
        "sops/two.yaml:5:16: tags[2]: tag 'A B' has the same address (tags/a-b/) as tag 'a-b' (sops/one.yaml:5:8); use one spelling everywhere",
    ]


def test_tags_and_categories_differing_only_in_case_collide(kb):
    # refund.yaml (read after a.yaml) has category Billing and tags [refund, billing]
    write_sop(kb, "a", category="billing", tags="[Billing, Refund]")
    write_sop(kb, "b", category="BILLING")
    assert problems(kb) == [
        "sops/b.yaml:4:11: category: category 'BILLING' has the same address (categories/billing/) as category 'billing' (sops/a.yaml:4:11); use one spelling everywhere",
        "sops/refund.yaml:4:11: category: category 'Billing' has the same address (categories/billing/) as category 'billing' (sops/a.yaml:4:11); use one spelling everywhere",
        "sops/refund.yaml:5:8: tags[0]: tag 'refund' has the same address (tags/refund/) as tag 'Refund' (sops/a.yaml:5:17); use one spelling everywhere",
        "sops/refund.yaml:5:16: tags[1]: tag 'billing' has the same address (tags/billing/) as tag 'Billing' (sops/a.yaml:5:8); use one spelling everywhere",
    ]


def test_a_tag_and_a_category_of_one_address_do_not_collide(kb):
    write_sop(kb, "a", category="Refund", tags="[General]")  # tags/ and categories/ are separate folders
    assert {e.id for e in load(kb).sops} == {"a", "refund", "escalation"}


def test_names_at_reserved_addresses_or_without_letters_are_refused(kb):
    write_sop(kb, "a", category="Index", tags="['Index', refund page 2, '!!!', '!!!', Page-3]")
    write_sop(kb, "b", category="— · —", tags="['!!!', 'Refund: page 10']")
    assert problems(kb) == [
        "sops/a.yaml:4:11: category: category 'Index' would have the address categories/index/, which is kept for the categories/ folder's own page; choose another name",
        "sops/a.yaml:5:8: tags[0]: tag 'Index' would have the address tags/index/, which is kept for the list of all tags; choose another name",
        "sops/a.yaml:5:17: tags[1]: tag 'refund page 2' would have the address tags/refund-page-2/, which is kept for page 2 of a long list (tags/<name>-page-<n>/); choose another name",
        "sops/a.yaml:5:32: tags[2]: tag '!!!' has no letter or digit to make its page address from; add one",
        "sops/b.yaml:4:11: category: category '— · —' has no letter or digit to make its page address from; add one",
        "sops/b.yaml:5:15: tags[1]: tag 'Refund: page 10' would have the address tags/refund-page-10/, which is kept for page 10 of a long list (tags/<name>-page-<n>/); choose another name",
    ]


def test_a_placeholder_for_a_broken_category_is_not_reported_as_a_name(kb):
    write_sop(kb, "a", category="[not, text]")  # the schema error alone: no "no letter" for its stand-in
    assert problems(kb) == ["sops/a.yaml:4:11: category: expected text but received: a list"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("a/b", "a-b"),
        ("A B", "a-b"),
        ("  --Refund--  ", "refund"),
        ("Café Crème", "cafe-creme"),
        ("Straße", "strasse"),
        ("استرداد", "استرداد"),
        ("退款", "退款"),
        ("Επιστροφή χρημάτων", "επιστροφη-χρηματων"),
        ("ﬁle ①", "file-1"),
        ("!!!", ""),
    ],
)
def test_slugs_keep_letters_and_digits_of_every_script(name, slug):
    assert slugify(name) == slug


def test_arabic_chinese_and_greek_tags_each_get_their_own_page(kb, tmp_path):
    tags = ["استرداد", "شحن", "退款", "配送", "Επιστροφή", "Αποστολή"]
    write_sop(kb, "world", tags="[" + ", ".join(tags) + "]", category="Διεθνή")
    site = tmp_path / "site"
    build_site(kb, site)
    assert len({slugify(tag) for tag in tags}) == len(tags)
    sop_page = (site / "sops" / "world" / "index.html").read_text(encoding="utf-8")
    for tag in tags:
        page = site / "tags" / slugify(tag) / "index.html"
        assert tag in page.read_text(encoding="utf-8")  # each tag's own page, listing the SOP
        assert "world" in page.read_text(encoding="utf-8")
        assert f'href="../../tags/{slugify(tag)}/"' in sop_page
    assert (site / "categories" / "διεθνη" / "index.html").is_file()
    assert not (site / "tags" / "item").exists()


# --- Hand-written pages in docs/ ---------------------------------------------------------------------


def test_hand_written_files_at_generated_addresses_are_located_errors(kb):
    for rel in [
        "index.md",
        "sops/refund.md",
        "learning/data/catalog.json",
        "tags/refund/index.md",
        "categories/billing.md",
        "quizzes/refund-basics/index.html",
        "quizzes/page-3.md",
        "search-index/manifest.json",
        "assets/sopkb/extra.css",
        "whats-new.md",
        "whats-new/page-2.md",
        "whats-new/notes.md",  # fine
        "review/overdue.md",
        "review/not-approved-page-2/index.md",
        "review/checklist.md",  # fine
        "Feed.xml",
        "guide.md",  # fine: no generated page there
        "sops/guide.md",  # fine
        ".hidden/index.md",  # MkDocs skips dot files
    ]:
        path = kb / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Mine\n")
    assert problems(kb) == [
        "docs/Feed.xml:1:1: sopkb writes the Atom feed of What's new at this address (Feed.xml); rename or move this file",
        "docs/assets/sopkb/extra.css:1:1: assets/sopkb/ is written by sopkb (sopkb's scripts and styles): move this file out of it",
        "docs/categories/billing.md:1:1: this file has the address of the generated list of SOPs in category 'Billing' (categories/billing/); rename or move it",
        "docs/index.md:1:1: this file has the address of the generated home page; to change the home page, override the template site_templates/pages/home.md.j2",
        "docs/learning/data/catalog.json:1:1: this file has the address of the generated catalog of quizzes and learning paths (learning/data/catalog.json); learning/data/ is written by sopkb (the learning pages' data files): move this file out of it",
        "docs/quizzes/page-3.md:1:1: this file has the address of the generated page 3 of the list of all quizzes (quizzes/page-3/); rename or move it",
        "docs/quizzes/refund-basics/index.html:1:1: this file has the address of the generated page of quiz 'refund-basics' (quizzes/refund-basics/); rename or move it",
        "docs/review/not-approved-page-2/index.md:1:1: this file has the address of the generated page 2 of the list of Needs review's section 'Drafts and SOPs marked needs-review' (review/not-approved-page-2/); rename or move it",
        "docs/review/overdue.md:1:1: this file has the address of the generated list of Needs review's section 'Past their review date' (review/overdue/); rename or move it",
        "docs/search-index/manifest.json:1:1: search-index/ is written by sopkb (the search index): move this file out of it",
        "docs/sops/refund.md:1:1: this file has the address of the generated page of SOP 'refund' (sops/refund/); rename or move it",
        "docs/tags/refund/index.md:1:1: this file has the address of the generated list of SOPs tagged 'refund' (tags/refund/); rename or move it",
        "docs/whats-new.md:1:1: this file has the address of the generated What's new page (whats-new/); rename or move it",
        "docs/whats-new/page-2.md:1:1: this file has the address of the generated page 2 of What's new (whats-new/page-2/); rename or move it",
    ]


def test_the_docs_folder_is_the_one_mkdocs_yml_names(kb):
    config = kb / "mkdocs.yml"
    config.write_text(config.read_text().replace("docs_dir: docs", "docs_dir: pages"))
    (kb / "pages").mkdir()
    (kb / "pages" / "README.md").write_text("# Home\n")
    (kb / "docs" / "index.md").write_text("# Not read: not the docs folder any more\n")
    assert project_of(kb).docs_dir == kb / "pages"
    assert problems(kb) == [
        "pages/README.md:1:1: this file has the address of the generated home page; to change the home page, override the template site_templates/pages/home.md.j2"
    ]


# --- Sources that are links, or not files --------------------------------------------------------------


@pytest.fixture
def outside(kb) -> Path:
    """A folder beside the KB, with an SOP file and a folder of SOPs in it."""
    folder = kb.parent / "private-drive"
    (folder / "more").mkdir(parents=True)
    shutil.copy(kb / "sops" / "escalation.yaml", folder / "secret.yaml")
    shutil.copy(kb / "sops" / "escalation.yaml", folder / "more" / "secret.yaml")
    return folder


def test_a_link_to_a_file_outside_the_kb_is_refused_at_the_link(kb, outside):
    os.symlink(outside / "secret.yaml", kb / "sops" / "shared.yaml")
    assert problems(kb) == [
        "sops/shared.yaml:1:1: a link to a file outside the KB folder is not read; copy the file into the KB instead"
    ]


def test_a_link_to_a_folder_outside_the_kb_is_refused_at_the_link(kb, outside):
    os.symlink(outside / "more", kb / "sops" / "shared")
    os.symlink("../../private-drive/secret.yaml", kb / "quizzes" / "relative.yaml")
    assert problems(kb) == [
        "quizzes/relative.yaml:1:1: a link to a file outside the KB folder is not read; copy the file into the KB instead",
        "sops/shared:1:1: a link to a folder outside the KB folder is not followed; move the folder into the KB, or make the source folder itself the link",
    ]


def test_no_message_names_where_a_link_leads(kb, outside):
    os.symlink(outside / "secret.yaml", kb / "sops" / "one.yaml")
    os.symlink(outside / "more", kb / "sops" / "two")
    os.symlink(outside / "missing.yaml", kb / "sops" / "three.yaml")
    os.symlink(outside / "more", kb / "paths" / "four")
    with pytest.raises(SourceErrors) as caught:
        load(kb)
    report = caught.value.report()
    assert len(caught.value.problems) == 4
    for secret in (str(outside), "private-drive", "secret", "missing", str(outside.resolve())):
        assert secret not in report


def test_links_inside_the_kb_are_followed_and_each_file_read_once(kb):
    (kb / "shared").mkdir()
    (kb / "sops" / "escalation.yaml").rename(kb / "shared" / "escalation.yaml")
    os.symlink("../shared/escalation.yaml", kb / "sops" / "escalation.yaml")
    os.symlink("../shared", kb / "sops" / "also-shared")  # the same file again, through a folder link
    os.symlink("refund.yaml", kb / "sops" / "refund-again.yaml")  # and refund.yaml twice
    found = project_of(kb).scan_sources(kb / "sops")
    assert found.problems == []
    assert found.files == [kb / "sops" / "escalation.yaml", kb / "sops" / "refund.yaml"]
    assert sorted(e.id for e in load(kb).sops) == ["escalation", "refund"]  # no duplicate-id error


def test_loops_of_folder_links_are_walked_once(kb):
    (kb / "sops" / "a").mkdir()
    (kb / "sops" / "b").mkdir()
    os.symlink("..", kb / "sops" / "a" / "up")
    os.symlink("../b", kb / "sops" / "a" / "to-b")
    os.symlink("../a", kb / "sops" / "b" / "to-a")
    (kb / "sops" / "escalation.yaml").rename(kb / "sops" / "b" / "escalation.yaml")
    found = project_of(kb).scan_sources(kb / "sops")
    assert found.problems == []
    assert found.files == [kb / "sops" / "b" / "escalation.yaml", kb / "sops" / "refund.yaml"]
    assert sorted(e.id for e in load(kb).sops) == ["escalation", "refund"]


def test_broken_and_looping_links_are_not_regular_files(kb):
    os.symlink("nowhere.yaml", kb / "sops" / "gone.yaml")
    os.symlink("round.yaml", kb / "sops" / "round.yaml")
    os.symlink("nowhere", kb / "sops" / "gone-folder")  # not named as a source: could be anything
    assert problems(kb) == [
        "sops/gone.yaml:1:1: is not a regular file (a broken link), so it is not read",
        "sops/round.yaml:1:1: is not a regular file (a link that leads round in a loop), so it is not read",
    ]


def test_a_named_pipe_is_refused_without_being_opened(kb):
    os.mkfifo(kb / "sops" / "pipe.yaml")
    os.mkfifo(kb / "quizzes" / "pipe.yml")
    os.symlink("pipe.yaml", kb / "sops" / "to-pipe.yaml")
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("a source pipe was opened"))
    signal.alarm(20)  # opening a FIFO blocks until a writer comes: fail instead of hanging
    try:
        found = problems(kb)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert found == [
        "quizzes/pipe.yml:1:1: is not a regular file (a named pipe), so it is not read",
        "sops/pipe.yaml:1:1: is not a regular file (a named pipe), so it is not read",
        "sops/to-pipe.yaml:1:1: is not a regular file (a named pipe), so it is not read",
    ]


def test_a_source_folder_that_is_itself_a_link_is_judged_by_its_target(kb, outside):
    drive = kb.parent / "drive"
    drive.mkdir()
    (kb / "sops").rename(drive / "sops")
    os.symlink(drive / "sops", kb / "sops")
    (drive / "sops" / "old").mkdir()
    os.symlink("../refund.yaml", drive / "sops" / "old" / "refund.yaml")  # inside the drive's folder: read
    os.symlink(outside / "secret.yaml", drive / "sops" / "elsewhere.yaml")  # outside both: refused
    assert problems(kb) == [
        "sops/elsewhere.yaml:1:1: a link to a file outside the KB folder is not read; copy the file into the KB instead"
    ]
    (drive / "sops" / "elsewhere.yaml").unlink()
    assert sorted(e.id for e in load(kb).sops) == ["escalation", "refund"]


def test_deeply_nested_source_folders_need_no_recursion(kb):
    folder = kb / "sops"
    for _ in range(300):
        folder = folder / "d"
    folder.mkdir(parents=True)
    (kb / "sops" / "escalation.yaml").rename(folder / "escalation.yaml")
    assert sorted(e.id for e in load(kb).sops) == ["escalation", "refund"]


# --- Loops across hand-offs ---------------------------------------------------------------------------

LOOPS = "leads nowhere: every path from it loops back without reaching `end`"


def test_two_sops_handing_off_to_each_other_loop(kb):
    write_sop(kb, "a", steps=step("start", "next: sop:b"))
    write_sop(kb, "b", steps=step("take", "next: sop:a"))
    assert problems(kb) == [
        f"sops/a.yaml:14:9: steps[0].id: step 'start' {LOOPS} (through SOP 'b')",
        f"sops/b.yaml:14:9: steps[0].id: step 'take' {LOOPS} (through SOP 'a')",
    ]


def test_three_sops_in_a_ring_loop_and_each_step_names_the_others(kb):
    write_sop(kb, "a", steps=step("start", "next: sop:b"))
    write_sop(kb, "b", steps=step("hand", "next: sop:c#pass"))
    write_sop(kb, "c", steps=step("first") + step("pass", "next: sop:a"))
    assert problems(kb) == [
        f"sops/a.yaml:14:9: steps[0].id: step 'start' {LOOPS} (through SOPs 'b' and 'c')",
        f"sops/b.yaml:14:9: steps[0].id: step 'hand' {LOOPS} (through SOPs 'a' and 'c')",
        f"sops/c.yaml:14:9: steps[0].id: step 'first' {LOOPS} (through SOPs 'a' and 'b')",
        f"sops/c.yaml:16:9: steps[1].id: step 'pass' {LOOPS} (through SOPs 'a' and 'b')",
    ]


def test_a_loop_inside_the_target_sop_is_reported_there_only(kb):
    write_sop(kb, "a", steps=step("start", "next: sop:b#spin"))
    b_steps = step("intro", *decision(("Done", "end"), ("Again", "spin")))
    write_sop(kb, "b", steps=b_steps + step("spin", "next: spin-more") + step("spin-more", "next: spin"))
    assert problems(kb) == [
        f"sops/b.yaml:23:9: steps[1].id: step 'spin' {LOOPS}",
        f"sops/b.yaml:26:9: steps[2].id: step 'spin-more' {LOOPS}",
    ]


def test_a_way_out_through_a_third_sop_is_no_loop(kb):
    write_sop(kb, "a", steps=step("start", "next: sop:b"))
    write_sop(kb, "b", steps=step("choose", *decision(("Back", "sop:a"), ("On", "sop:c"))))
    write_sop(kb, "c", steps=step("finish"))
    assert {e.id for e in load(kb).sops} >= {"a", "b", "c"}


def test_only_the_steps_caught_in_the_loop_are_reported(kb):
    a_steps = step("start", *decision(("Stay", "work"), ("Leave", "sop:b"))) + step("work", "next: end")
    write_sop(kb, "a", steps=a_steps + step("trap", "next: sop:b#back"))  # `trap`: never reached
    write_sop(kb, "b", steps=step("greet", "next: end") + step("back", "next: sop:a#trap"))
    assert problems(kb) == [
        "sops/a.yaml:26:9: steps[2].id: step 'trap' is never reached: no step or branch leads to it",
        "sops/b.yaml:17:9: steps[1].id: step 'back' is never reached: no step or branch leads to it",
    ]


def test_hand_offs_to_unknown_or_unreadable_sops_count_as_ways_out(kb):
    write_sop(kb, "a", steps=step("start", *decision(("Gone", "sop:ghost"), ("Round", "sop:b"))))
    write_sop(kb, "b", steps=step("first", *decision(("Back", "sop:a"), ("Broken", "sop:broken#x"))))
    (kb / "sops" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    messages = problems(kb)
    assert not any("leads nowhere" in m for m in messages)
    assert (
        "sops/a.yaml:20:17: steps[0].decision.branches[0].goto: unknown SOP 'ghost'; expected one of: a, b, escalation, refund"
        in messages
    )


def test_a_hand_off_back_into_the_same_sop_can_loop(kb):
    write_sop(kb, "a", steps=step("start") + step("again", "next: sop:a#again"))
    assert problems(kb) == [
        f"sops/a.yaml:14:9: steps[0].id: step 'start' {LOOPS} (through a hand-off back into SOP 'a')",
        f"sops/a.yaml:16:9: steps[1].id: step 'again' {LOOPS} (through a hand-off back into SOP 'a')",
    ]


# --- Linear work ---------------------------------------------------------------------------------------


class CountingLists(list):
    """An adjacency list that counts every neighbour handed out."""

    def __init__(self, lists: list[list[int]]):
        super().__init__(lists)
        self.visited = 0

    def __getitem__(self, node):  # noqa: ANN001, ANN204
        for neighbour in super().__getitem__(node):
            self.visited += 1
            yield neighbour


def worst_case_chain(n: int) -> tuple[list[list[int]], list[list[int]]]:
    """Node i goes on to i + 1 and jumps back to 0; only the last node is a way out. A fixpoint
    that marks a node when a successor is marked needs n sweeps of n nodes here."""
    successors = [[i + 1, 0] for i in range(n - 1)] + [[]]
    predecessors: list[list[int]] = [[] for _ in range(n)]
    for node, after in enumerate(successors):
        for nxt in after:
            predecessors[nxt].append(node)
    return successors, predecessors


def test_the_backward_search_looks_at_each_edge_once():
    n = 20_000
    successors, predecessors = worst_case_chain(n)
    edges = sum(len(a) for a in successors)
    counting = CountingLists(predecessors)
    assert reaching([n - 1], counting) == set(range(n))
    assert counting.visited == edges


def test_the_loop_search_looks_at_each_edge_once():
    n = 20_000
    successors, _ = worst_case_chain(n)
    successors[-1] = [0]  # now one closed loop through every node
    counting = CountingLists(successors)
    components = strongly_connected(list(range(n)), counting, set(range(n)))
    assert [sorted(c) for c in components] == [list(range(n))]
    assert counting.visited == sum(len(a) for a in successors)


def test_a_long_sop_loads_without_quadratic_work(kb):
    n = 5_000
    steps = "".join(
        step(f"s{k}", *decision(("Yes", f"s{k + 1}"), ("No", f"s{k - 5}")))
        if k % 10 == 9 and k + 1 < n
        else step(f"s{k}")
        for k in range(n)
    )
    write_sop(kb, "long", steps=steps)
    assert len(load(kb).by_id["long"].sop.all_steps()) == n


def test_hand_written_files_over_the_themes_own_files_are_located_errors(kb):
    """MkDocs writes the theme's 404 page and sitemap over a hand-written one, and a hand-written
    copy of a theme script would replace it on every page: both are refused, favicons are not."""
    from sopkb.domain.reserved_names import theme_assets

    bundle = next(a for a in sorted(theme_assets()) if a.startswith("assets/javascripts/bundle."))
    for rel in [
        "404.html",
        "sitemap.xml",
        bundle,
        "assets/sopkb/material/palette.js",
        "assets/images/favicon.png",
    ]:
        path = kb / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("mine\n")
    assert problems(kb) == [
        "docs/404.html:1:1: the theme writes the page-not-found page at this address (404.html); rename or move this file",
        f"docs/{bundle}:1:1: this file would replace the theme's own {bundle} on every page; give it another name (add styles and scripts with extra_css and extra_javascript in mkdocs.yml)",
        "docs/assets/sopkb/material/palette.js:1:1: this file would replace the theme's own assets/sopkb/material/palette.js on every page; give it another name (add styles and scripts with extra_css and extra_javascript in mkdocs.yml)",
        "docs/sitemap.xml:1:1: the theme writes the sitemap at this address (sitemap.xml); rename or move this file",
    ]


def test_docs_follows_the_sources_rules_and_publishes_nothing_that_can_run_script(kb, tmp_path):
    """MkDocs publishes docs/ as it finds it: a link there would publish /etc, a pipe would hang
    the build, /dev/zero would fill the disk, and an HTML, SVG or JavaScript file would run
    script on the site's origin outside every page's policy."""
    docs = kb / "docs"
    secret = tmp_path / "secret.txt"
    secret.write_text("root:hash\n")
    (docs / "shadow.txt").symlink_to(secret)
    (docs / "etc").symlink_to(tmp_path)
    (docs / "zero.bin").symlink_to("/dev/zero")
    os.mkfifo(docs / "pipe.md")
    for name in ("raw.html", "img.svg", "page.XHTML", "x.js", "data.xml"):
        (docs / name).write_text("<script>alert(1)</script>\n")
    for name in ("diagram.png", "guide.pdf", "extra.css", "notes.md", "images/chart.png"):
        (docs / name).parent.mkdir(exist_ok=True)
        (docs / name).write_bytes(b"fine")
    (docs / "Sops").mkdir()
    (docs / "Sops" / "Refund.md").write_text("# same address as sops/refund/ on IIS or a shared drive\n")
    active = (
        "a file that can run script when opened (HTML, SVG, JavaScript, XML) is not published from docs/: "
        "write the page in Markdown, put a diagram in as PNG, or ship a file you trust with the theme "
        "(site_templates/theme/), which is configuration"
    )
    found = problems(kb)
    assert found == [
        "docs/Sops/Refund.md:1:1: this file has the address of the generated page of SOP 'refund' (Sops/Refund/); rename or move it",
        f"docs/data.xml:1:1: {active}",
        "docs/etc:1:1: a link to a folder outside the KB folder is not followed; move the folder into the KB, or make the source folder itself the link",
        f"docs/img.svg:1:1: {active}",
        f"docs/page.XHTML:1:1: {active}",
        "docs/pipe.md:1:1: is not a regular file (a named pipe), so it is not read",
        f"docs/raw.html:1:1: {active}",
        "docs/shadow.txt:1:1: a link to a file outside the KB folder is not read; copy the file into the KB instead",
        f"docs/x.js:1:1: {active}",
        "docs/zero.bin:1:1: a link to a file outside the KB folder is not read; copy the file into the KB instead",
    ]
    assert not any(str(tmp_path) in line for line in found)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda kb, outside: kb.joinpath("synonyms.yaml").symlink_to(outside), "a link to a file outside the KB folder is not read; copy the file into the KB instead"),
        (lambda kb, outside: kb.joinpath("synonyms.yaml").symlink_to("/dev/zero"), "a link to a file outside the KB folder is not read; copy the file into the KB instead"),
        (lambda kb, outside: os.mkfifo(kb / "synonyms.yaml"), "is not a regular file (a named pipe), so it is not read"),
        (lambda kb, outside: kb.joinpath("synonyms.yaml").mkdir(), "is not a regular file (a folder), so it is not read"),
        (lambda kb, outside: kb.joinpath("synonyms.yaml").symlink_to(kb / "missing.yaml"), "is not a regular file (a broken link), so it is not read"),
    ],
)  # fmt: skip
def test_synonyms_yaml_follows_the_sources_rules(kb, tmp_path, make, message):
    secret = tmp_path / "shadow"
    secret.write_text("root:hash-of-a-password:20228\n")
    make(kb, secret)
    found = problems(kb)
    assert found == [f"synonyms.yaml:1:1: {message}"]
    assert "hash-of-a-password" not in " ".join(found)


def test_synonyms_yaml_linked_inside_the_kb_is_read(kb):
    (kb / "shared").mkdir()
    (kb / "shared" / "words.yaml").write_text("groups:\n  - [refund, reimbursement]\n")
    (kb / "synonyms.yaml").symlink_to(kb / "shared" / "words.yaml")
    assert load(kb).synonyms == [["refund", "reimbursement"]]


def test_names_too_long_to_be_file_names_are_refused_by_validate_not_by_the_build(kb):
    """A 300-character id or a tag of 100 Chinese characters (300 bytes) passed `validate` and
    then failed the build with 'File name too long', located nowhere."""
    source = kb / "sops" / "refund.yaml"
    text = source.read_text()
    source.write_text(text.replace("tags: [", "tags: [" + "退" * 100 + ", "))
    (tag,) = problems(kb)
    assert tag.startswith("sops/refund.yaml:5:8: tags[0]: tag '退退退")
    assert tag.endswith(
        "is too long to be a page address (300 bytes; file systems allow 200 with room for page numbers); shorten it"
    )
    assert len(tag) < 250  # the name is quoted cut short
    source.write_text(text.replace("id: refund", "id: " + "r" * 300))
    assert "sops/refund.yaml:1:5: id: must be at most 80 characters long but has 300" in problems(kb)


def test_a_sop_handing_off_into_another_sops_loop_of_hand_offs_is_reported_too(kb):
    """b alone would be checked alone (its loop is through a hand-off back into itself); a enters
    it, so the two are checked together and a's step is reported through b."""
    write_sop(kb, "b", steps=step("start") + step("again", "next: sop:b#again"))
    write_sop(kb, "a", steps=step("start", "next: sop:b#again"))
    assert problems(kb) == [
        f"sops/a.yaml:14:9: steps[0].id: step 'start' {LOOPS} (through SOP 'b')",
        f"sops/b.yaml:14:9: steps[0].id: step 'start' {LOOPS} (through a hand-off back into SOP 'b')",
        f"sops/b.yaml:16:9: steps[1].id: step 'again' {LOOPS} (through a hand-off back into SOP 'b')",
    ]


def test_checks_kept_while_serving_follow_an_sop_that_comes_to_enter_another(kb):
    from sopkb.validation.source_memo import SourceMemo

    memo = SourceMemo()

    def served() -> list[str]:
        with pytest.raises(SourceErrors) as caught:
            load_knowledge_base(project_of(kb), today=TODAY, memo=memo)
        return [str(p) for p in caught.value.problems]

    write_sop(kb, "b", steps=step("start") + step("again", "next: sop:b#again"))
    write_sop(kb, "a", steps=step("start", "next: end"))
    assert served() == problems(kb)
    write_sop(kb, "a", steps=step("start", "next: sop:b#again"))  # b's loop is now a's too
    assert served() == problems(kb)
    assert any("'start' leads nowhere" in p and p.startswith("sops/a.yaml") for p in served())
