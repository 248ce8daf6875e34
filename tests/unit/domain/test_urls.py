"""Every generated page's path and address, from the one module that decides them."""

from __future__ import annotations

import re

import pytest
from sopkb.domain import reserved_names, urls


def test_content_pages_and_their_addresses():
    assert (urls.sop_page("refund"), urls.sop_url("refund")) == ("sops/refund.md", "sops/refund/")
    assert (urls.quiz_page("basics"), urls.quiz_url("basics")) == ("quizzes/basics.md", "quizzes/basics/")
    assert (urls.learning_path_page("new"), urls.learning_path_url("new")) == ("paths/new.md", "paths/new/")
    assert urls.drill_url("refund") == "sops/refund/#drill"  # a drill ends its SOP's page


def test_listing_pages_number_from_one_and_only_later_pages_say_so():
    assert urls.listing_page("tags", "refund") == "tags/refund.md"
    assert urls.listing_page("tags", "refund", 1) == "tags/refund.md"
    assert urls.listing_page("categories", "billing", 3) == "categories/billing-page-3.md"
    assert urls.category_page("Billing & Payments") == "categories/billing-payments.md"
    assert urls.category_page("Billing & Payments", 2) == "categories/billing-payments-page-2.md"
    assert urls.tag_page("Money Back") == "tags/money-back.md"
    assert urls.tag_page("Money Back", 2) == "tags/money-back-page-2.md"
    assert urls.category_url("Billing & Payments") == "categories/billing-payments/"
    assert urls.category_url("Billing", 2) == "categories/billing-page-2/"
    assert urls.tag_url("Café") == "tags/cafe/" and urls.tag_url("Café", 4) == "tags/cafe-page-4/"


def test_the_list_of_quizzes_is_the_quiz_folders_index_then_numbered_pages():
    assert urls.quiz_listing_page(1) == "quizzes/index.md" == urls.QUIZ_INDEX
    assert urls.quiz_listing_page(2) == "quizzes/page-2.md"
    assert (urls.quiz_listing_url(1), urls.quiz_listing_url(2)) == ("quizzes/", "quizzes/page-2/")


def test_whats_new_is_its_folders_index_then_numbered_pages_and_its_feed_is_at_the_root():
    assert urls.whats_new_page(1) == "whats-new/index.md" == urls.WHATS_NEW
    assert urls.whats_new_page(3) == "whats-new/page-3.md"
    assert (urls.whats_new_url(), urls.whats_new_url(2)) == ("whats-new/", "whats-new/page-2/")
    assert urls.sop_changes_url("refund") == "sops/refund/#what-changed"
    assert urls.FEED == "feed.xml"
    assert reserved_names.is_list_page("page-2") and not reserved_names.is_list_page("page-2-x")


def test_learning_data_files():
    assert urls.CATALOG == "learning/data/catalog.json"
    assert urls.quiz_data_file("drill-refund") == "learning/data/quiz/drill-refund.json"
    assert urls.learning_path_data_file("new") == "learning/data/path/new.json"


@pytest.mark.parametrize(
    ("page", "url"),
    [
        ("index.md", ""),
        ("review.md", "review/"),
        ("tags/index.md", "tags/"),
        ("learning/index.md", "learning/"),
        ("learning/assign.md", "learning/assign/"),
        ("sops/refund.md", "sops/refund/"),
        ("sops/reindex.md", "sops/reindex/"),  # ends in "index", is not an index page
        ("a/b/index.md", "a/b/"),
    ],
)
def test_url_of_a_page_is_its_directory_address(page, url):
    assert urls.url_of(page) == url


def test_fixed_pages_addresses():
    assert [urls.HOME_URL, urls.REVIEW_URL, urls.TAGS_URL, urls.QUIZZES_URL, urls.LEARNING_PATHS_URL] == [
        "", "review/", "tags/", "quizzes/", "paths/",
    ]  # fmt: skip
    assert [urls.MY_LEARNING_URL, urls.ASSIGN_URL, urls.ASSIGNMENT_URL, urls.CERTIFICATE_URL] == [
        "learning/", "learning/assign/", "learning/assignment/", "learning/certificate/",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "url"),
    [
        ("about.md", "about/"),
        ("about/index.md", "about/"),
        ("about/README.md", "about/"),
        ("index.md", ""),
        ("README.md", ""),
        ("guide/setup.markdown", "guide/setup/"),
        ("guide/setup.mdown", "guide/setup/"),
        ("guide/setup.mkdn", "guide/setup/"),
        ("guide/setup.mkd", "guide/setup/"),
        ("about/index.html", "about/"),
        ("index.html", ""),
        ("about/page.html", None),  # a static file, not a page
        ("img/logo.png", None),
        ("notes", None),
        ("v1.2/notes.md", "v1.2/notes/"),
    ],
)
def test_page_url_of_source_is_where_mkdocs_serves_a_docs_file(source, url):
    assert reserved_names.page_url_of_source(source) == url


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Billing", "billing"),
        ("Billing & Payments", "billing-payments"),
        ("  --Refund, now!  ", "refund-now"),  # no hyphen at either end
        ("a_b.c/d", "a-b-c-d"),
        ("Tier 2", "tier-2"),
        ("Café", "cafe"),
        ("CAFÉ", "cafe"),
        ("Cafe\u0301", "cafe"),  # the accent as a combining mark: the same address
        ("Straße", "strasse"),  # casefolded, not just lower-cased
        ("ﬁle", "file"),  # compatibility forms decomposed
        ("ＡＢＣ１", "abc1"),
        ("Ελλάδα", "ελλαδα"),
        ("退款 政策", "退款-政策"),
        ("الشحن", "الشحن"),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_slugify(text, slug):
    assert urls.slugify(text) == slug


def test_later_page_numbers_and_quiz_list_pages_are_recognised():
    assert reserved_names.later_page_number("refund-page-2") == 2
    assert reserved_names.later_page_number("refund-page") is None and reserved_names.later_page_number("page-2-x") is None
    assert reserved_names.is_quiz_list_page("page-12") and not reserved_names.is_quiz_list_page("page-12-x")
    assert not reserved_names.is_quiz_list_page("my-page-2")


def test_generated_dir_of_a_path():
    assert reserved_names.generated_dir_of("search-index/manifest.json") == "search-index"
    assert reserved_names.generated_dir_of("search-index") == "search-index"
    assert reserved_names.generated_dir_of("learning/data/catalog.json") == "learning/data"
    assert reserved_names.generated_dir_of("assets/sopkb/x.js") == "assets/sopkb"
    assert reserved_names.generated_dir_of("search-indexes/x") is None
    assert reserved_names.generated_dir_of("learning/index.md") is None


def test_an_sops_data_file_and_its_file_of_changes():
    assert urls.sop_data_file("refund") == "learning/data/sop/refund.json"
    assert urls.sop_changes_file("refund", "1.10") == "learning/data/sop/refund/changes-1.10.json"
    assert urls.browser_urls()["sop_data"] == "learning/data/sop/{id}.json"


def test_any_version_text_gets_a_file_name_a_static_host_serves_as_it_is():
    versions = ["1.10", "2.0-rc1", "v 2/3", "../x", "", "—", "A", "<script>", "..", "1.0\n"]
    names = [urls.sop_changes_file("a", v).removeprefix("learning/data/sop/a/changes-") for v in versions]
    assert names == ["1.10.json", "2.0-rc1.json", "v-2-3.json", "x.json", "version.json", "version.json",
                     "A.json", "script.json", "version.json", "1.0.json"]  # fmt: skip
    assert all(re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\.json", n) for n in names)
