"""The class report, checked against numbers worked out by hand.

The class of five in tests/fixtures/attempts/classroom.py took six questions;
its docstring has the table of marks every expectation below starts from.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from fixtures.attempts.classroom import ANSWERS, MONDAY, PACK, class_pack, play, the_class_over
from quiz import store
from quiz.model import Answer, Attempt
from quiz.report import (
    GRADEBOOK_COLUMNS,
    ITEM_COLUMNS,
    VERDICT_COLUMNS,
    ReportError,
    build_report,
    csv_text,
    attempt_copy,
    export_attempt,
    gradebook_csv,
    gradebook_header,
    items_csv,
    load_report,
    parse_since,
    report_dict,
    report_json,
    report_markdown,
    write_items,
    write_report,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "attempts"
CLASS = FIXTURES / "class"
BROKEN = FIXTURES / "broken"


def class_report(**kw):
    kw.setdefault("packs", [PACK])
    return load_report([CLASS], **kw)


def class_of_twenty():
    """The class of five four times over: the same statistics, enough attempts to flag questions."""
    return build_report([(None, a) for a in the_class_over(4)], packs=[PACK])


def section(report):
    assert len(report.sections) == 1
    return report.sections[0]


def item(report, qid):
    return next(it for it in section(report).items if it.id == qid)


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "the CSV must start with a UTF-8 byte-order mark for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# --------------------------------------------------------------------------
# Item analysis, worked out by hand
# --------------------------------------------------------------------------


@pytest.mark.parametrize("packs", [[PACK], []], ids=["with the pack", "from the files alone"])
def test_facility_sd_and_discrimination_of_who_match_the_hand_working(packs):
    it = item(class_report(packs=packs), "who")
    # Marks x on "who" (max 1), Ana..Eve: 1 1 0 1 0; totals 6 4 2 5 2.
    # Rest of the test y = total - x:       5 3 2 4 2.
    # facility = mean(x) / max = 3/5 = 0.6
    assert it.facility == pytest.approx(0.6)
    # x - 0.6 = .4 .4 -.6 .4 -.6; sum of squares = 3(.16) + 2(.36) = 1.2;
    # sample variance = 1.2 / 4 = 0.3, SD = sqrt(0.3) = 0.5477 (over max 1).
    assert it.sd == pytest.approx(math.sqrt(0.3))
    # mean(y) = 16/5 = 3.2; y - 3.2 = 1.8 -.2 -1.2 .8 -1.2; sum of squares = 6.8
    # sum of (x - 0.6)(y - 3.2) = .72 - .08 + .72 + .32 + .72 = 2.4
    # r = 2.4 / sqrt(1.2 * 6.8) = 2.4 / 2.8566 = 0.8402
    assert it.discrimination == pytest.approx(2.4 / math.sqrt(1.2 * 6.8))
    # Sorted, x = 0 0 1 1 1 and y = 2 2 3 4 5 pair exactly as they do already,
    # so the covariance is already the largest possible: efficiency 1.
    assert it.efficiency == pytest.approx(1.0)
    assert it.answered == 5
    # Seconds on "who": 10 20 30 40 50, mean 30.
    assert it.mean_seconds == pytest.approx(30)
    assert not it.flags


def test_a_question_the_better_students_got_wrong_is_flagged_with_its_negative_discrimination():
    it = item(class_report(), "v-bad")
    # x = 1 0 1 1 1 (only Ben said "fair"); totals 6 4 2 5 2, so y = 5 4 1 4 1.
    # facility 4/5 = 0.8; x - .8 = .2 -.8 .2 .2 .2, sum of squares 0.8
    # mean(y) = 3; y - 3 = 2 1 -2 1 -2, sum of squares 14
    # sum of products = .4 - .8 - .4 + .2 - .4 = -1.0
    # r = -1 / sqrt(0.8 * 14) = -1 / 3.3466 = -0.2988
    assert it.facility == pytest.approx(0.8)
    assert it.discrimination == pytest.approx(-1 / math.sqrt(11.2))
    # Sorted: x = 0 1 1 1 1, y = 1 1 4 4 5; products with the means:
    # (-.8)(-2) + .2(-2) + .2(1) + .2(1) + .2(2) = 1.6 - .4 + .2 + .2 + .4 = 2.0
    # efficiency = -1.0 / 2.0 = -0.5
    assert it.efficiency == pytest.approx(-0.5)
    assert it.flag == ""  # five attempts are too few to flag anything
    big = item(class_of_twenty(), "v-bad")
    assert (big.answered, big.discrimination, big.efficiency) == (
        20, pytest.approx(it.discrimination), pytest.approx(-0.5)
    )
    assert big.flag == "check the answer key: discrimination -0.30 is below 0"


def test_discriminative_efficiency_is_moodles_and_has_no_lower_limit():
    # Moodle's question/classes/statistics/questions/calculator.php: covariance of the
    # item's marks x with the rest of the test y, over covariancemax, the covariance
    # of the same x and y each sorted; both over n - 1. At most 1, and no lower limit.
    # Five students: only the weakest got "q" (max 1); the others all got "rest" (max 4).
    #   x = 1 0 0 0 0, y = 0 4 4 4 4; mean x 0.2, mean y 3.2
    #   x - .2 = .8 -.2 -.2 -.2 -.2; y - 3.2 = -3.2 .8 .8 .8 .8
    #   sum of products = -2.56 - 4(.16) = -3.2; sums of squares 0.8 and 12.8
    #   r = -3.2 / sqrt(0.8 * 12.8) = -3.2 / 3.2 = -1
    #   sorted: x - .2 = -.2 -.2 -.2 -.2 .8 beside y - 3.2 = -3.2 .8 .8 .8 .8
    #   sum of products = .64 - 3(.16) + .64 = 0.8
    #   efficiency = -3.2 / 0.8 = -4, as Moodle's report would show it (-400%)
    def attempt(n, q, rest):
        return Attempt(
            id=f"eff1c1ency{n:02d}", student=f"Student {n}", pack_id="worked", pack_version="1",
            pack_sha256="e" * 64, mode="test", seed=n, started="2026-03-02T09:00:00+00:00",
            finished="2026-03-02T09:10:00+00:00", order=("q", "rest"),
            answers=(
                Answer(question="q", skill="source", response="right" if q else "wrong", score=q, max=1.0),
                Answer(question="rest", skill="source", response="x", score=rest, max=4.0),
            ),
        )

    found = [(None, attempt(n, q, rest)) for n, (q, rest) in enumerate([(1, 0), (0, 4), (0, 4), (0, 4), (0, 4)])]
    q = item(build_report(found), "q")
    assert q.discrimination == pytest.approx(-1.0)
    assert q.efficiency == pytest.approx(-4.0)
    # The best pairing these marks allow, the weakest student wrong: efficiency 1, as high as it goes.
    found = [(None, attempt(n, q, rest)) for n, (q, rest) in enumerate([(0, 0), (1, 4), (0, 4), (0, 4), (0, 4)])]
    assert item(build_report(found), "q").efficiency == pytest.approx(1.0)


def test_partial_marks_count_in_facility_and_sd_over_the_questions_max():
    it = item(class_report(), "units")
    # units is worth 2: x = 2 1 0 1 0, mean 0.8, facility 0.8 / 2 = 0.4
    # x - .8 = 1.2 .2 -.8 .2 -.8, sum of squares 2.8, SD = sqrt(2.8/4) / 2 = 0.4183
    # y = total - x = 4 3 2 4 2, mean 3; y - 3 = 1 0 -1 1 -1, sum of squares 4
    # sum of products = 1.2 + 0 + .8 + .2 + .8 = 3.0; r = 3 / sqrt(2.8 * 4) = 0.8964
    assert it.facility == pytest.approx(0.4)
    assert it.sd == pytest.approx(math.sqrt(0.7) / 2)
    assert it.discrimination == pytest.approx(3 / math.sqrt(11.2))


def test_too_easy_and_too_hard_questions_are_flagged_and_have_no_discrimination():
    report = class_of_twenty()
    fold, name = item(report, "fold"), item(report, "name")
    # Everyone got "fold" (5/5 = 1.0 > 0.95); nobody got "name" (0/5 < 0.2).
    # With every mark the same there is no spread, so no correlation to compute.
    assert fold.facility == 1.0 and fold.discrimination is None
    assert fold.flag == "check the answer key: facility 1.00 is over 0.95"
    assert name.facility == 0.0 and name.discrimination is None
    assert name.flag == "check the answer key: facility 0.00 is under 0.2"
    assert name.hints == 4  # each of the four Eves used the hint


def test_no_question_is_flagged_below_twenty_attempts_and_the_report_says_why():
    small = class_report()
    assert [it.id for it in section(small).items if it.flags] == []
    text = report_markdown(small)
    assert "### Questions to check\n\nNeeds at least 20 finished attempts to flag questions to check: 5 so far." in text
    assert "check the answer key" not in text
    big = report_markdown(class_of_twenty())
    assert "Needs at least" not in big
    assert "- **fold**: check the answer key: facility 1.00 is over 0.95." in big
    # Nineteen is still one short.
    nineteen = build_report([(None, a) for a in the_class_over(4)[:19]], packs=[PACK])
    assert "Needs at least 20 finished attempts to flag questions to check: 19 so far." in report_markdown(nineteen)


def test_the_popular_wrong_answers_show_what_the_class_believed():
    report = class_report()
    who = item(report, "who")
    assert [(r.text, r.count, r.right) for r in who.responses] == [
        ("The council", 3, True),
        ("The library", 2, False),
        ("Residents", 0, False),  # from the pack: a distractor nobody chose
    ]
    units = item(report, "units")
    # Multi: each option picked is counted. Ana: visits+residents; Ben: visits;
    # Cal: opening day; Dee: residents; Eve: visits+opening day.
    assert {r.text: (r.count, r.right) for r in units.responses} == {
        "visits": (3, True), "residents surveyed": (2, True),
        "opening day": (2, False), "the reading room": (0, False),
    }
    # Typed answers that mean the same are counted together: "the council" x2 + "The Council".
    name = item(report, "name")
    assert (name.most_common_wrong.text, name.most_common_wrong.count) == ("the council", 3)
    fold = item(report, "fold")
    assert [(r.text, r.count, r.right) for r in fold.responses] == [("500", 5, True)]


def test_without_the_pack_responses_are_still_counted_and_marked_from_the_scores():
    report = class_report(packs=[])
    who = item(report, "who")
    assert [(r.text, r.count, r.right) for r in who.responses] == [
        ("The council", 3, True), ("The library", 2, False),
    ]
    assert item(report, "v-fair").info.type == "verdict"
    assert item(report, "units").info.type == "multi"
    # Without the pack, which multi options are right cannot be told from the file.
    assert {r.right for r in item(report, "units").responses} == {None}


# --------------------------------------------------------------------------
# Verdicts: d′ and c
# --------------------------------------------------------------------------


def test_each_students_d_prime_and_c_match_the_hand_working():
    rows = {r.student: r for r in section(class_report()).rows}
    # Ana: fair claim called fair (correct rejection), misleading called misleading (hit).
    # Log-linear: hit rate (1 + .5)/(1 + 1) = .75, false-alarm rate (0 + .5)/(1 + 1) = .25
    # z(.75) = 0.6745, z(.25) = -0.6745: d′ = 1.349, c = -(0.6745 - 0.6745)/2 = 0
    ana = rows["Ana Núñez"].verdicts
    assert (ana.hits, ana.false_alarms) == (1, 0)
    assert ana.d_prime == pytest.approx(1.34898, abs=1e-4) and ana.c == pytest.approx(0, abs=1e-9)
    # Ben trusted both: hit rate .25, false alarms .25: d′ = 0, c = -(-.6745 - .6745)/2 = +0.674
    assert rows["Ben Okafor"].verdicts.c == pytest.approx(0.67449, abs=1e-4)
    # Cal called both misleading: hit rate .75, false alarms .75: d′ = 0, c = -0.674
    cal = rows["Cal Ó Briain"].verdicts
    assert cal.d_prime == pytest.approx(0, abs=1e-9) and cal.c == pytest.approx(-0.67449, abs=1e-4)
    assert cal.called_all_misleading


def test_the_class_d_prime_and_c_pool_every_students_verdicts():
    summary = section(class_report()).summary
    # Hits: Ana, Cal, Dee, Eve = 4, misses: Ben = 1; false alarms: Cal, Eve = 2, correct rejections 3.
    # Hit rate (4 + .5)/(5 + 1) = .75 -> z = 0.6745
    # False-alarm rate (2 + .5)/(5 + 1) = .4167 -> z = -0.2104
    # d′ = 0.6745 + 0.2104 = 0.8849; c = -(0.6745 - 0.2104)/2 = -0.2320
    v = summary.verdicts
    assert (v.hits, v.misses, v.false_alarms, v.correct_rejections) == (4, 1, 2, 3)
    assert v.d_prime == pytest.approx(0.88492, abs=1e-4)
    assert v.c == pytest.approx(-0.23203, abs=1e-4)
    assert summary.all_misleading == 2  # Cal and Eve
    assert summary.verdict_students == 5


def test_the_class_summary_gives_mean_median_sd_distribution_and_skills():
    s = section(class_report()).summary
    # Totals 6 4 2 5 2 out of 7: mean 19/5 = 3.8, median 4,
    # deviations 2.2 .2 -1.8 1.2 -1.8, squares sum 12.8, SD = sqrt(12.8/4) = 1.789
    assert (s.count, s.max, s.mean, s.median) == (5, 7, pytest.approx(3.8), 4)
    assert s.sd == pytest.approx(math.sqrt(3.2))
    # Percent: 85.7 57.1 28.6 71.4 28.6 -> bands 80s, 50s, 20s, 70s, 20s
    assert s.bands == (0, 0, 2, 0, 0, 1, 0, 1, 1, 0)
    # Skills per student (source: who + name; sample-size: units + fold; framing: verdicts)
    # source 50 50 0 50 0 -> 30; sample-size 100 66.7 33.3 66.7 33.3 -> 60; framing 100 50 50 100 50 -> 70
    assert {m.skill: round(m.percent, 6) for m in s.skills} == {"source": 30, "sample-size": 60, "framing": 70}


# --------------------------------------------------------------------------
# The gradebook CSV
# --------------------------------------------------------------------------


def test_gradebook_columns_and_one_row_exactly():
    report = class_report()
    rows = rows_of(gradebook_csv(report))
    assert rows[0] == [
        "student", "group", "pack", "pack version", "mode", "started", "finished", "minutes",
        "score", "max", "percent", "source %", "sample-size %", "framing %",
        "Q who /1", "Q units /2", "Q fold /1", "Q name /1", "Q v-fair /1", "Q v-bad /1",
        "Spotted misleading claims", "Called fair claims misleading", "Judgement (d′)", "Doubt or trust (c)",
    ]
    assert rows[0] == gradebook_header(report)
    assert rows[1] == [
        "Ana Núñez", "10B", "newsroom", "1.0", "test", "2026-03-02 09:00", "2026-03-02 09:12", "12",
        "6", "7", "86", "50", "100", "100",
        "1", "2", "1", "0", "1", "1",
        "1", "0", "1.35", "0",
    ]
    # Cal's bias is negative: a number a spreadsheet can add up, not text.
    cal = rows[3]
    assert cal[0] == "Cal Ó Briain" and cal[-1] == "-0.67"
    assert len(rows) == 6


def test_certainty_based_marks_get_a_column_when_confidence_was_asked():
    sure = class_pack(confidence=True)
    confident = play("Fay Ng", ANSWERS["Ana Núñez"], started=MONDAY, pack=sure, confidence=3)
    report = build_report([(None, confident)], packs=[sure])
    header, row = rows_of(gradebook_csv(report))
    assert header[-5:] == [
        "certainty-based score", "Spotted misleading claims", "Called fair claims misleading",
        "Judgement (d′)", "Doubt or trust (c)",
    ]
    # Ana's answers: 5 right (+3 each) and "name" wrong (-6): 15 - 6 = 9
    assert row[header.index("certainty-based score")] == "9"
    calibration = report.sections[0].summary.calibration
    assert [(c.level, c.answered, c.correct) for c in calibration] == [(1, 0, 0), (2, 0, 0), (3, 6, 5)]


def test_a_name_written_as_a_formula_stays_a_name_in_the_spreadsheet():
    sly = [
        "=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn",
    ]
    found = [
        (None, play(name, ANSWERS["Ben Okafor"], started=MONDAY + timedelta(hours=i), group="=10B"))
        for i, name in enumerate(sly)
    ]
    rows = rows_of(gradebook_csv(build_report(found, packs=[PACK])))
    assert [r[0] for r in rows[1:]] == ["'" + name for name in sly]
    assert {r[1] for r in rows[1:]} == {"'=10B"}
    # Numbers we write stay numbers, negative ones too: Ben's c is +0.67, and a
    # negative d′ or c is written bare, never quoted as text.
    assert rows[1][-1] == "0.67"
    assert csv_text("-0.5") == "'-0.5"  # but the same characters typed as a name are text


def test_a_response_written_as_a_formula_stays_text_in_the_item_analysis():
    sly = dict(ANSWERS["Ben Okafor"], name="=2+2")
    found = [(None, play(who, sly, started=MONDAY + timedelta(minutes=i))) for i, who in enumerate(("Ann", "Bo"))]
    rows = rows_of(items_csv(build_report(found, packs=[PACK])))
    name = dict(zip(rows[0], next(r for r in rows if r[2] == "name")))
    assert name["most common wrong answer"] == "'=2+2 (2)"
    assert name["responses"] == "'=2+2: 2"


def test_marks_and_percentages_round_half_up_as_people_do():
    # Marks as an attempt file may hold them; Python's round() takes 0.125 and 2.675 down.
    marks = {"a": (0.125, 1.0), "b": (2.675, 3.0), "c": (2.2, 4.0)}
    attempt = Attempt(
        id="r0und1n90001", student="Ana Núñez", pack_id="rounding", pack_version="1", pack_sha256="f" * 64,
        mode="test", seed=1, started="2026-03-02T09:00:00+00:00", finished="2026-03-02T09:10:00+00:00",
        order=tuple(marks), group="10B",
        answers=tuple(
            Answer(question=q, skill="source", response="x", score=got, max=top) for q, (got, top) in marks.items()
        ),
    )
    report = build_report([(None, attempt)])
    header, row = rows_of(gradebook_csv(report))
    cell = dict(zip(header, row))
    assert (cell["Q a /1"], cell["Q b /3"], cell["Q c /4"]) == ("0.13", "2.68", "2.2")
    # 5 of 8 is 62.5%: whole percentages, half up, so 63 where round() gives 62.
    assert (cell["score"], cell["max"], cell["percent"], cell["source %"]) == ("5", "8", "63", "63")
    assert "| Ana Núñez | 10B | 5 / 8 | 63% |" in report_markdown(report)
    assert json.loads(report_json(report))["sections"][0]["attempts"][0]["points"]["b"] == 2.675


def test_item_analysis_columns_and_a_row_exactly():
    rows = rows_of(items_csv(class_report()))
    assert rows[0] == list(ITEM_COLUMNS) == [
        "pack", "pack version", "question", "prompt", "claim", "skill", "type", "max", "answered",
        "facility", "sd", "discrimination", "discriminative efficiency", "mean seconds",
        "hints used", "most common wrong answer", "responses", "flag",
    ]
    assert rows[1] == [
        "newsroom", "1.0", "who", "Who said it?", "the council said", "source", "choice", "1", "5",
        "0.6", "0.55", "0.84", "1", "30",
        "0", "The library (2)", "✓ The council: 3; The library: 2; Residents: 0", "",
    ]
    # Both verdicts ask the same thing; the claim tells the two rows apart.
    verdicts = {r[2]: (r[3], r[4]) for r in rows[1:] if r[6] == "verdict"}
    assert verdicts == {
        "v-fair": ("Fair or misleading?", "the council said"),
        "v-bad": ("Fair or misleading?", "Everyone loves the new reading room"),
    }
    assert not any(r[-1] for r in rows[1:])  # five attempts: nothing flagged
    flagged = {r[2]: r[-1] for r in rows_of(items_csv(class_of_twenty()))[1:] if r[-1]}
    assert set(flagged) == {"fold", "name", "v-bad"}


def test_the_csv_opens_with_accents_intact_in_excel():
    data = gradebook_csv(class_report())
    assert data[:3] == b"\xef\xbb\xbf"
    assert "Cal Ó Briain" in data.decode("utf-8-sig")


# --------------------------------------------------------------------------
# Which attempts count
# --------------------------------------------------------------------------


def retakes(tmp_path: Path) -> Path:
    """Ben three times (Mon 4/7, Tue 6/7, Wed 2/7), then an unfinished Thursday; Dee once."""
    folder = tmp_path / "results"
    day = timedelta(days=1)
    store.save(play("Ben Okafor", ANSWERS["Ben Okafor"], started=MONDAY), folder)
    store.save(play("Ben Okafor", ANSWERS["Ana Núñez"], started=MONDAY + day), folder)
    store.save(play("Ben Okafor", ANSWERS["Eve Smith"], started=MONDAY + 2 * day), folder)
    store.save(
        play("Ben Okafor", ANSWERS["Ben Okafor"], started=MONDAY + 3 * day, finish=False, stop_after=1),
        folder,
    )
    store.save(play("Dee Patel", ANSWERS["Dee Patel"], started=MONDAY + day, group="10C"), folder)
    return folder


@pytest.mark.parametrize(
    "attempts, ben",
    [("last", [2.0]), ("first", [4.0]), ("best", [6.0]), ("all", [4.0, 6.0, 2.0])],
)
def test_attempts_last_first_best_all_choose_each_students_attempts(tmp_path, attempts, ben):
    report = load_report([retakes(tmp_path)], attempts=attempts, packs=[PACK])
    sec = section(report)
    assert [r.score for r in sec.rows if r.student == "Ben Okafor"] == ben
    assert [r.score for r in sec.rows if r.student == "Dee Patel"] == [5.0]
    # The unfinished Thursday attempt is listed, never counted.
    assert [(r.student, len(r.attempt.answers)) for r in sec.unfinished] == [("Ben Okafor", 1)]
    assert sec.summary.count == len(ben) + 1


def test_the_same_student_typed_differently_is_still_one_student(tmp_path):
    folder = tmp_path / "r"
    store.save(play("Ben Okafor", ANSWERS["Ben Okafor"], started=MONDAY), folder)
    store.save(play("  ben   okafor ", ANSWERS["Ana Núñez"], started=MONDAY + timedelta(days=1)), folder)
    assert [r.score for r in section(load_report([folder], packs=[])).rows] == [6.0]


def test_since_group_and_pack_filters(tmp_path):
    folder = retakes(tmp_path)
    other = class_pack(id="other-pack", title="Another pack")
    store.save(play("Ana Núñez", ANSWERS["Ana Núñez"], started=MONDAY, pack=other), folder)

    tuesday_on = load_report([folder], since=date(2026, 3, 3), attempts="all", packs=[PACK])
    assert sorted(r.attempt.started[:10] for s in tuesday_on.sections for r in s.rows) == [
        "2026-03-03", "2026-03-03", "2026-03-04",
    ]
    assert tuesday_on.filters == {"since": "2026-03-03"}

    tenc = load_report([folder], group=" 10c", packs=[PACK])
    assert [r.student for s in tenc.sections for r in s.rows] == ["Dee Patel"]

    only_other = load_report([folder], pack="other-pack", packs=[PACK, other])
    assert [(s.pack_id, s.title, len(s.rows)) for s in only_other.sections] == [
        ("other-pack", "Another pack", 1)
    ]
    nothing = load_report([folder], pack="no-such-pack", packs=[])
    assert nothing.sections == () and nothing.files_read == 6


def test_a_bad_since_date_says_how_to_write_it():
    assert parse_since("2026-09-01") == date(2026, 9, 1)
    with pytest.raises(ReportError, match="like 2026-09-01"):
        parse_since("01/09/2026")


# --------------------------------------------------------------------------
# Versions, broken files
# --------------------------------------------------------------------------


def test_attempts_on_a_changed_pack_are_reported_apart_with_a_note(tmp_path):
    folder = tmp_path / "r"
    v2 = class_pack(version="1.1", sha256="1" * 64)
    store.save(play("Ana Núñez", ANSWERS["Ana Núñez"], started=MONDAY), folder)
    store.save(play("Ben Okafor", ANSWERS["Ben Okafor"], started=MONDAY), folder)
    store.save(play("Cal Ó Briain", ANSWERS["Cal Ó Briain"], started=MONDAY + timedelta(days=7), pack=v2), folder)
    report = load_report([folder], packs=[PACK, v2])
    assert [(s.version_label, [r.student for r in s.rows]) for s in report.sections] == [
        ("1.0", ["Ana Núñez", "Ben Okafor"]),
        ("1.1", ["Cal Ó Briain"]),
    ]
    # Each version's statistics stand alone: v1.0's mean is (6 + 4) / 2.
    assert report.sections[0].summary.mean == 5.0
    assert any("newsroom changed between attempts" in n and "reported apart" in n for n in report.notes)
    rows = rows_of(gradebook_csv(report))
    assert [r[3] for r in rows[1:]] == ["1.0", "1.0", "1.1"]


def test_a_pack_edited_without_a_new_version_number_is_told_apart_by_checksum(tmp_path):
    folder = tmp_path / "r"
    edited = class_pack(sha256="abcdef12" + "9" * 56)
    store.save(play("Ana Núñez", ANSWERS["Ana Núñez"], started=MONDAY), folder)
    store.save(play("Ben Okafor", ANSWERS["Ben Okafor"], started=MONDAY + timedelta(days=1), pack=edited), folder)
    report = load_report([folder], packs=[])
    assert [s.version_label for s in report.sections] == ["1.0 (00000000)", "1.0 (abcdef12)"]
    assert any("without a new version number" in n for n in report.notes)


def test_corrupt_truncated_and_foreign_files_are_skipped_each_with_a_reason():
    report = load_report([BROKEN], packs=[])
    assert [r.student for s in report.sections for r in s.rows] == ["Ana Núñez"]
    skipped = {Path(w.split(":")[0]).name: w for w in report.warnings}
    assert sorted(skipped) == [
        "binary.json", "empty.json", "missing-pack.json", "newer-format.json",
        "notes-not-json.json", "package.json", "truncated.json",
    ]
    assert "not valid JSON" in skipped["truncated.json"]
    assert "quiz-attempt/99" in skipped["newer-format.json"]
    assert "Files skipped" in report_markdown(report)


def test_a_question_answered_by_one_student_gives_no_statistics_that_need_two():
    report = build_report([(None, play("Ana Núñez", ANSWERS["Ana Núñez"], started=MONDAY))], packs=[PACK])
    who = item(report, "who")
    assert (who.facility, who.sd, who.discrimination, who.efficiency) == (1.0, None, None, None)
    assert section(report).summary.sd is None


# --------------------------------------------------------------------------
# JSON and Markdown
# --------------------------------------------------------------------------


def test_the_json_holds_everything_and_reads_back():
    data = json.loads(report_json(class_report(now=datetime(2026, 3, 9, tzinfo=timezone.utc))))
    assert data["format"] == "quiz-report/1"
    assert data["generated"] == "2026-03-09T00:00:00+00:00"
    sec = data["sections"][0]
    assert sec["pack"]["id"] == "newsroom" and sec["pack"]["title"] == "Newsroom basics"
    assert sec["summary"]["verdicts"]["d_prime"] == pytest.approx(0.88492, abs=1e-4)
    who = next(i for i in sec["items"] if i["question"] == "who")
    assert who["discrimination"] == pytest.approx(0.84017, abs=1e-4)
    ana = sec["attempts"][0]
    assert ana["student"] == "Ana Núñez" and ana["percent"] == pytest.approx(600 / 7)
    assert store.from_dict(ana["attempt"]).student == "Ana Núñez"  # the whole attempt is inside


def test_the_markdown_summary_reads_as_a_message_to_paste():
    text = report_markdown(class_report())
    assert "## Newsroom basics (newsroom, version 1.0)" in text
    assert "5 attempts. Mean 3.8 / 7 (54%), median 4 (57%), standard deviation 1.79." in text
    assert "| Who is the source? | 30% |" in text
    assert "Class d′ 0.88, c -0.23" in text and "2 students called every claim misleading" in text
    assert "| Ana Núñez | 10B | 6 / 7 | 86% |" in text
    big = report_markdown(class_of_twenty())
    assert "- **v\\-bad**" not in big  # ids are not over-escaped
    assert "- **v-bad**: check the answer key: discrimination -0.30 is below 0." in big


def test_markdown_and_terminal_text_cannot_be_hijacked_by_a_name():
    found = [(None, play("*Bold* [link](x) \x1b[2J|pipe", ANSWERS["Ben Okafor"], started=MONDAY))]
    text = report_markdown(build_report(found, packs=[PACK]))
    assert "\x1b" not in text
    # The escape shows as a visible symbol, and the name stays on one line of the table.
    assert "\\*Bold\\* \\[link\\](x) ␛\\[2J\\|pipe" in text


# --------------------------------------------------------------------------
# Writing files
# --------------------------------------------------------------------------


def test_an_existing_file_is_replaced_only_when_forced(tmp_path):
    report = class_report()
    target = tmp_path / "grades.csv"
    target.write_text("the teacher's own notes")
    with pytest.raises(ReportError, match="already exists. Use --force"):
        write_report(report, target)
    assert target.read_text() == "the teacher's own notes"
    write_report(report, target, force=True)
    assert rows_of(target.read_bytes())[0][:2] == ["student", "group"]
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]  # no temporary file left behind


@pytest.mark.parametrize("name, starts", [("r.json", b"{"), ("r.md", b"# Quiz report"), ("items.csv", b"\xef\xbb\xbfpack,")])
def test_each_kind_of_file_is_written_by_its_extension(tmp_path, name, starts):
    report = class_report()
    path = (write_items if name == "items.csv" else write_report)(report, tmp_path / name)
    assert path.read_bytes().startswith(starts)


def test_an_unknown_extension_is_refused_plainly(tmp_path):
    with pytest.raises(ReportError, match="must end in .csv or .json or .md"):
        write_report(class_report(), tmp_path / "grades.xlsx")


def test_the_students_copy_has_the_gradebooks_columns_but_not_the_verdict_analysis(tmp_path):
    attempt = store.read_attempt(next((CLASS / "newsroom").glob("*ana-nunez*")))
    teacher = rows_of(gradebook_csv(build_report([(None, attempt)], packs=[PACK])))
    mine = rows_of(export_attempt(attempt, tmp_path / "my results.csv", pack=PACK).read_bytes())
    # The teacher's columns less the last four, the class analysis of fair-or-misleading.
    assert teacher[0][-4:] == list(VERDICT_COLUMNS)
    assert mine == [row[:-4] for row in teacher]
    assert GRADEBOOK_COLUMNS == tuple(mine[0][: len(GRADEBOOK_COLUMNS)])
    text = (tmp_path / "my results.csv").read_text("utf-8-sig")
    for word in ("hits", "false alarms", "d′", "Judgement", "Spotted", "Doubt or trust"):
        assert word not in text

    written = export_attempt(attempt, tmp_path / "mine.json")
    copy = json.loads(written.read_text("utf-8"))
    assert copy["sections"][0]["attempts"][0]["attempt"] == store.to_dict(attempt)
    for word in ("d_prime", "false_alarm", "hits", "called_every_claim_misleading"):
        assert word not in written.read_text("utf-8")
    # The teacher's JSON keeps them.
    assert "d_prime" in report_json(build_report([(None, attempt)], packs=[PACK])).decode()

    with pytest.raises(ReportError, match="already exists"):
        export_attempt(attempt, tmp_path / "mine.json")
    export_attempt(attempt, tmp_path / "mine.json", force=True)
    with pytest.raises(ReportError, match=r"\.csv or \.json"):
        export_attempt(attempt, tmp_path / "mine.md")


def test_a_served_students_copy_is_the_same_bytes_as_the_file(tmp_path):
    attempt = store.read_attempt(next((CLASS / "newsroom").glob("*ana-nunez*")))
    written = export_attempt(attempt, tmp_path / "mine.csv", pack=PACK).read_bytes()
    assert attempt_copy(attempt, ".csv", pack=PACK) == written
    with pytest.raises(ReportError, match=r"\.csv or \.json"):
        attempt_copy(attempt, ".xlsx")


def test_a_student_who_left_early_can_still_save_a_copy(tmp_path):
    early = play("Ana Núñez", ANSWERS["Ana Núñez"], started=MONDAY, finish=False, stop_after=2)
    header, row = rows_of(export_attempt(early, tmp_path / "so-far.csv", pack=PACK).read_bytes())
    assert row[header.index("finished")] == ""
    assert float(row[header.index("score")]) == sum(a.score for a in early.answers)
    answered = [h for h, cell in zip(header, row) if h.startswith("Q ") and cell]
    assert len(answered) == 2


def test_the_report_module_never_imports_textual():
    code = "import sys, quiz.report; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_report_dict_is_plain_json():
    json.dumps(report_dict(class_report()), allow_nan=False)
