"""How numbers and text read to a person: one formatter for every screen, file and printed line."""

import math

import pytest

from quiz import display


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (2, "2"),
        (2.5, "2.5"),
        (2 / 3, "0.67"),
        (0.125, "0.13"),  # half up, although 0.125 rounds down in binary
        (2.675, "2.68"),
        (18.1666, "18.17"),
        (-0.001, "0"),  # never "-0"
        (-2.5, "-2.5"),
        (None, "–"),
        (math.nan, "–"),
        (math.inf, "–"),
    ],
)
def test_a_mark_reads_as_people_write_it(value, written):
    assert display.number(value) == written


def test_figures_from_an_article_keep_their_digits_and_commas():
    assert display.number(291273, places=10, grouping=True) == "291,273"
    assert display.number(5.675, places=10, grouping=True) == "5.675"


@pytest.mark.parametrize(
    ("fraction", "written"),
    [(0.625, "63%"), (0.6249, "62%"), (0.285, "29%"), (0.005, "1%"), (0, "0%"), (-0.001, "0%"), (1, "100%"), (None, "–")],
)
def test_a_percentage_is_whole_and_rounded_half_up(fraction, written):
    assert display.percent(fraction) == written


def test_a_score_against_its_maximum_and_a_signed_mark():
    assert display.score(18.1666, 29) == "18.17 of 29"
    assert [display.signed(x) for x in (3, -6, 0, 1.5)] == ["+3", "−6", "0", "+1.5"]
    assert display.fixed(0.5) == "0.50" and display.fixed(-0.001) == "0.00"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]52;c;aGk=\x07", "␛]52;c;aGk=␇"),  # clipboard
        ("\x1b]0;title\x07", "␛]0;title␇"),  # window title
        ("\x1b[2J", "␛[2J"),  # clear screen
        ("\x1b[5m", "␛[5m"),  # blink
        ("a\x9bb", "a<U+009B>b"),  # a C1 control, ESC [ in one byte
        ("evil\u202egnp.exe", "evil<U+202E>gnp.exe"),  # reads backwards without this
        ("[/] [b]x[/b]", "[/] [b]x[/b]"),  # markup is not this module's business: it stays as typed
        ("tab\tand\nnewline", "tab\tand\nnewline"),
    ],
)
def test_control_characters_become_visible_symbols(text, shown):
    assert display.printable(text) == shown
    assert "\x1b" not in display.printable(text)


def test_one_line_folds_line_breaks_for_a_table_cell():
    assert display.one_line("Sam\n  Lee\t10B\x1b") == "Sam Lee 10B␛"


def test_control_characters_are_located_and_named():
    assert display.control_characters("ok\x1b[2J") == [(2, "ESC (U+001B)")]
    assert display.control_characters("fine\tand\nfine") == []
