"""The bar across the top of a question, as the student reads it."""

from __future__ import annotations

from quiz.ui.widgets.progress import heading_line, progress_line


def test_the_heading_keeps_where_the_student_is_and_cuts_a_long_title_short():
    line = heading_line("Com networks: a crime report in the news", "Question 3 of 28", "Score 2 of 3", 50)
    assert line.plain == "Com networks: a c…  Question 3 of 28  Score 2 of 3"
    assert line.cell_length == 50


def test_a_title_that_fits_is_shown_whole_with_where_at_the_right():
    line = heading_line("Warm-up", "Question 1 of 8", "", 40)
    assert line.plain == "Warm-up" + " " * 18 + "Question 1 of 8"


def test_the_bar_shows_answered_questions_by_shape_not_colour_alone():
    assert progress_line(0, 8, 16).plain == "─" * 16
    assert progress_line(2, 8, 16).plain == "━" * 4 + "─" * 12
    assert progress_line(8, 8, 16).plain == "━" * 16
    assert progress_line(3, 8, 0).plain == ""


def test_in_a_very_narrow_terminal_where_the_student_is_goes_last():
    words = ("Com networks: a crime report in the news", "Question 3 of 28", "Score 2 of 3")
    assert heading_line(*words, 30).plain == "Question 3 of 28  Score 2 of 3"
    assert heading_line(*words, 20).plain == "C…  Question 3 of 28"
    assert heading_line(*words, 12).plain == "Question 3 …"
    assert all(heading_line(*words, w).cell_length == w for w in range(0, 90))
