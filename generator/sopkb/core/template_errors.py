"""A KB's own templates (`site_templates/pages/`, `site_templates/theme/`) are source files too: a
mistake in one (a syntax error, a division by zero, an undefined name, an include that is not
there) is reported as `path:line:column: message`, not as a Python traceback.

Jinja rewrites a template's traceback so that each template frame carries the template's file and
line (its globals hold `__jinja_exception__`): the innermost such frame is where the author looks.
A traceback does not cross from a worker process to the build, so an error is located in the
process it happened in (`core.parallel`) and again where the command reports it (`cli`).
"""

from __future__ import annotations

from jinja2 import BaseLoader, TemplateNotFound, TemplateSyntaxError
from jinja2.parser import Parser

from .errors import Problem, shown_path


def template_problem(exc: BaseException) -> Problem | None:
    """Where in a template `exc` happened, as a problem; None if it did not happen in one."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return Problem(shown_path(exc.filename), exc.lineno or 1, 1, f"template syntax: {exc.message}")
    where, reading = None, False
    missing = isinstance(exc, TemplateNotFound)  # the loader's last try is no place: where it is named is
    tb = exc.__traceback__
    while tb is not None:  # the innermost place wins: a template that includes one that cannot be read
        frame = tb.tb_frame
        owner = frame.f_locals.get("self")
        if "__jinja_exception__" in frame.f_globals:
            where, reading = (frame.f_code.co_filename, tb.tb_lineno), False
        elif (
            isinstance(owner, BaseLoader) and isinstance(frame.f_locals.get("filename"), str) and not missing
        ):
            where, reading = (frame.f_locals["filename"], 1), True  # its file being read
        elif isinstance(owner, Parser) and owner.filename:
            where, reading = (owner.filename, owner.stream.current.lineno), True  # being parsed
        tb = tb.tb_next
    if where is None:
        return None
    what = f"cannot read this template: {_unreadable(exc)}" if reading else f"in this template: {_what(exc)}"
    return Problem(shown_path(where[0]), where[1], 1, what)


def _unreadable(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(exc, RecursionError):
        return "its tags are nested too deeply"
    return _what(exc)


def _what(exc: BaseException) -> str:
    if isinstance(exc, TemplateNotFound):
        return f"template not found: {exc.name}"
    words = str(exc)
    return f"{type(exc).__name__}: {words}" if words else type(exc).__name__
