"""The commented starter pack that `quiz new FILE` writes.

It uses every question type, reads a short made-up news story, validates as
written (a test proves it), and its comments teach a teacher how to write
each type. Its first line points editors that use yaml-language-server (VS
Code's YAML extension, Neovim, Helix...) at the pack schema.

The schema is given as `pack-1.json`, a path relative to the pack: editors
find it when the schema file sits beside the pack. `SCHEMA_PATH` is the copy
installed with the quiz, so a command can write `starter_text(...)` with
another reference (say `SCHEMA_PATH.as_uri()`) instead.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "pack-1.json"
SCHEMA_REF = "pack-1.json"

_MODELINE = "# yaml-language-server: $schema={schema}\n"

_BODY = """\
#
# A starter pack for the media-literacy quiz. Change anything you like, then
# check it with:
#
#     quiz validate my-pack.yaml
#
# Every problem is reported as  file:line:column: what is wrong and what to do.
#
# The first line lets editors check this file while you type, against the
# pack schema (pack-1.json) at the place the line names: `quiz new` names the
# copy installed with the quiz. On another computer, point the line at a copy
# of pack-1.json from the quiz's `schema` folder, or delete the line.
#
# YAML in a few lines:
#   key: value      one setting per line; keys are lower-case, as below
#   indenting       spaces only, never tabs; each item of a list starts "- "
#   "quotes"        put text in quotes when it contains ": " or " #", or starts
#                   with one of  [ ] { } & * ! | > ' " % @ `
#   text: |         a long text: the indented lines below it, kept as written
#   # a comment     ignored by the quiz, like this one
#
# Text is shown exactly as written: [red] stays [red], nothing is formatted.

pack: 1                   # the format of this file: always 1
id: cycling-to-school     # a short name: lower-case letters, digits, hyphens
title: "Cycling to school: reading a local news story"
version: "1.0"            # your own version number, recorded with every attempt
language: en-GB
audience: "Ages 11-14"
authors: ["Your Name"]
license: CC-BY-4.0
description: A made-up local news story, to practise checking sources and figures.

# Optional. Shown before the first question; students must acknowledge it.
# content_note: |
#   This pack mentions road accidents.

source:                   # the article students read
  title: "More pupils cycle to school after new bike lanes"
  publisher: The Example Gazette
  published: 2026-01-12   # year-month-day
  url: https://example.org/cycling
  # Separate paragraphs with a blank line. Every `claim`, and every option of
  # a `phrase` question, must be copied from this text word for word (line
  # breaks and spacing may differ, nothing else).
  text: |
    The number of pupils cycling to Hillside School has doubled since new bike
    lanes opened in September, the school's head teacher said on Monday.

    A survey of 25 pupils found that 12 now cycle at least once a week,
    compared with 6 last year.

    "The lanes have transformed the town," said a local councillor who
    campaigned for them. Everyone agrees the roads are safer now.

    The council said the lanes cost 80,000 pounds.

# The skills your questions practise; the results show a score for each.
# Leave `skills:` out to use these three.
skills:
  source: Who is the source?
  sample-size: What do the figures count?
  framing: Is the framing fair?

# Optional settings for the whole pack:
# hint_penalty: 0.5       # a hint costs this share of the points (0 up to, not including, 1)
# confidence: true        # ask "How sure are you?" after each answer
# mode: test              # practice or test; leave out to let students choose

# Every question has an `id` (unique in the pack), a `skill` (from `skills`),
# a `type` and a `prompt`. Optional on every type: `points` (default 1),
# `hint`, `explain` (shown after the answer) and `claim` (words quoted from
# the source, which the quiz highlights).
questions:

  # choice: students pick one option; exactly one is `correct: true`.
  - id: who-says-doubled
    skill: source
    type: choice
    claim: "the school's head teacher said on Monday"
    prompt: Who says the number of pupils cycling has doubled?
    hint: Look for the word "said" in the first paragraph.
    explain: The claim comes from the head teacher; the article gives no count to back it.
    options:
      - text: The head teacher
        correct: true
        explain: The first paragraph ends "the school's head teacher said on Monday".
      - text: The council
        explain: The council is only quoted about the cost.
      - text: A count of every pupil
        explain: Nobody counted every pupil; a survey asked 25.

  # multi: students pick every option they think is right; one or more are
  # correct. Partial marks: (right picks - wrong picks) / number of right options.
  - id: what-has-a-number
    skill: sample-size
    type: multi
    prompt: Which of these does the article give a number for?
    points: 2
    options:
      - text: How many pupils were surveyed
        correct: true
      - text: What the lanes cost
        correct: true
      - text: How many accidents there were
        explain: The article says the roads are safer, but gives no figures.

  # phrase: every option is a phrase copied from the source text, word for
  # word; students find the one that answers the prompt. Exactly one is correct.
  - id: opinion-as-fact
    skill: framing
    type: phrase
    prompt: Which words state an opinion as if it were a fact?
    options:
      - text: Everyone agrees the roads are safer now
        correct: true
        explain: Nobody asked everyone, and no figures are given.
      - text: The council said the lanes cost 80,000 pounds
        explain: This is a claim with its source named.

  # number: students type a number. Written answers such as "25", "6x",
  # "6-fold", "80,000" and "5.7%" are all read as numbers. Add `tolerance: 2`
  # to accept answers within 2 of the answer, or `range: [20, 30]` to accept
  # anything from 20 to 30 (not both). `unit` is shown after the box.
  - id: how-many-asked
    skill: sample-size
    type: number
    claim: "A survey of 25 pupils"
    prompt: How many pupils were asked in the survey?
    answer: 25
    unit: pupils
    explain: Twenty-five pupils is a small sample for a whole school.

  # text: students type a few words. Any answer in `accept` counts as right;
  # capitals, spacing, punctuation and a leading "the" are ignored, and a name
  # with its other form in brackets counts either way round. `typos: 1` lets
  # one letter be wrong, but only in answers of 4 letters or more.
  - id: who-campaigned
    skill: source
    type: text
    prompt: Who campaigned for the bike lanes?
    accept: ["a local councillor", "councillor"]
    typos: 1
    explain: The person praising the lanes had campaigned for them.

  # match: students sort each item into one of the `categories`; each item's
  # `answer` is one of them. Partial marks: one share for each item sorted right.
  - id: fact-or-opinion
    skill: framing
    type: match
    prompt: Sort each statement into fact or opinion.
    categories: [fact, opinion]
    items:
      - text: 12 of the 25 pupils surveyed cycle at least once a week
        answer: fact
      - text: The lanes have transformed the town
        answer: opinion
        explain: A councillor's view, and one who campaigned for the lanes.

  # verdict: students judge a `claim` from the source as `fair` or
  # `misleading`. Mix fair claims with misleading ones, so that calling
  # everything misleading does not score full marks.
  - id: doubled-verdict
    skill: framing
    type: verdict
    claim: "The number of pupils cycling to Hillside School has doubled"
    prompt: Is this claim fairly reported?
    verdict: misleading
    explain: It rests on 25 pupils, from 6 to 12; that is too few to say it for the whole school.

  - id: cost-verdict
    skill: source
    type: verdict
    claim: "The council said the lanes cost 80,000 pounds."
    prompt: Is this claim fairly reported?
    verdict: fair
    explain: The figure is given with who said it.

# Optional: sections play one after another, each under its title; the
# questions are shuffled only within a section (`shuffle: within-sections`,
# the default here). `shuffle: none` keeps this order, `shuffle: all` mixes
# every question. Every question is listed in exactly one section. A section
# may ask only some of its questions, chosen for each student: `draw: 2`.
shuffle: within-sections
sections:
  - title: Who says so?
    questions: [who-says-doubled, who-campaigned, cost-verdict]
  - title: What do the figures count?
    questions: [what-has-a-number, how-many-asked]
  - title: Is the framing fair?
    questions: [opinion-as-fact, fact-or-opinion, doubled-verdict]
"""


def starter_text(schema: str = SCHEMA_REF) -> str:
    """The starter pack, its first line pointing editors at `schema` (a path or URL)."""
    return _MODELINE.format(schema=schema) + _BODY


STARTER = starter_text()
