"""A pack as YAML text: what `quiz import` writes and a teacher then edits.

`dump_pack` writes the keys in the order of the design's example, leaves out
what is at its default, uses `|` blocks for text of several lines and quotes
only where YAML needs it. Reading the text back gives the same pack.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from quiz.model import DEFAULT_SKILLS, FORMAT_VERSION, MatchItem, Option, Pack, Question, Section, Source
from quiz.timing import compact


class _Flow(list):
    """A short list written on one line: `range: [1, 5]`."""


class _PackDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent lists under their key, as teachers write them (design.md's example).
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        # "Moodle's" reads better than 'Moodle''s' when quotes are needed at all.
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    # Whole numbers read better without ".0" (`points: 2`, `answer: 500`).
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


def _represent_flow(dumper: yaml.SafeDumper, items: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_PackDumper.add_representer(str, _represent_str)
_PackDumper.add_representer(float, _represent_float)
_PackDumper.add_representer(_Flow, _represent_flow)


def dump_pack(pack: Pack) -> str:
    """YAML text of a pack that the validator accepts and that loads back to the same pack."""
    return yaml.dump(
        pack_data(pack),
        Dumper=_PackDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,  # never fold a long line: teachers edit these files by hand
    )


def pack_data(pack: Pack) -> dict[str, Any]:
    """The pack as plain data, keys in the design's order, defaults left out."""
    data: dict[str, Any] = {
        "pack": pack.format or FORMAT_VERSION,
        "id": pack.id,
        "title": pack.title,
        "version": pack.version,
    }
    _put(data, "language", pack.language)  # an imported pack's language is not known
    _put(data, "description", pack.description)
    _put(data, "audience", pack.audience)
    if pack.authors:
        data["authors"] = list(pack.authors)
    _put(data, "license", pack.license)
    if pack.hint_penalty != 0.5:
        data["hint_penalty"] = float(pack.hint_penalty)
    if pack.confidence:
        data["confidence"] = True
    _put(data, "mode", pack.mode)
    if pack.time_limit:
        data["time_limit"] = compact(pack.time_limit)
    _put(data, "content_note", pack.content_note)
    if pack.source is not None:
        data["source"] = _source_data(pack.source)
    if dict(pack.skills) != dict(DEFAULT_SKILLS) or not pack.skills:
        data["skills"] = dict(pack.skills)
    _put(data, "shuffle", pack.shuffle)
    if pack.sections:
        data["sections"] = [_section_data(s) for s in pack.sections]
    data["questions"] = [question_data(q) for q in pack.questions]
    return data


def _section_data(section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {"title": section.title, "questions": _Flow(section.questions)}
    if section.draw is not None:
        data["draw"] = section.draw
    return data


def _source_data(source: Source) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in ("title", "publisher", "published", "url", "description"):
        _put(data, key, getattr(source, key))
    data["text"] = source.text
    return data


def question_data(q: Question) -> dict[str, Any]:
    """One question as plain data, keys in the design's order."""
    data: dict[str, Any] = {"id": q.id, "skill": q.skill, "type": q.type}
    _put(data, "claim", q.claim)
    data["prompt"] = q.prompt
    if q.points != 1:
        data["points"] = float(q.points)
    _put(data, "hint", q.hint)
    _put(data, "explain", q.explain)
    if q.type in ("choice", "multi", "phrase"):
        data["options"] = [_option_data(o) for o in q.options]
    elif q.type == "number":
        if q.answer is not None:
            data["answer"] = float(q.answer)
            if q.tolerance:
                data["tolerance"] = float(q.tolerance)
        if q.low is not None and q.high is not None:
            data["range"] = _Flow([float(q.low), float(q.high)])
        _put(data, "unit", q.unit)
    elif q.type == "text":
        data["accept"] = list(q.accept)
        if q.typos:
            data["typos"] = q.typos
    elif q.type == "match":
        data["items"] = [_item_data(i) for i in q.items]
        data["categories"] = list(q.categories)
    elif q.type == "verdict":
        data["verdict"] = q.verdict
    return data


def _option_data(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"text": option.text}
    if option.correct:
        data["correct"] = True
    _put(data, "explain", option.explain)
    return data


def _item_data(item: MatchItem) -> dict[str, Any]:
    data: dict[str, Any] = {"text": item.text, "answer": item.answer}
    _put(data, "explain", item.explain)
    return data


def _put(data: dict[str, Any], key: str, value: str) -> None:
    """Set a text key only when it says something."""
    if value:
        data[key] = value
