"""A KB's own search vocabulary: groups of words that mean the same to its customers."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from ..text.words import as_one_word
from .base import Model


def _one_word(value: str) -> str:
    if as_one_word(value) is None:
        raise ValueError(
            f"{value!r} is not one word: synonyms are single words; put phrases such as "
            "'porch pirate' in an SOP's `keywords`"
        )
    return value


Word = Annotated[str, Field(min_length=1), AfterValidator(_one_word)]


class Synonyms(Model):
    groups: list[Annotated[list[Word], Field(min_length=2)]] = Field(
        description="Each group is one idea: searching any of its words also finds the others."
    )
