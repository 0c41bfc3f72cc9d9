"""Resume codes stay out of everything a teacher exports or a student takes away.

The attempt file keeps only a salted hash of its code, and a served tab keeps
the code itself for the teacher in `<results>/.codes/`: neither may reach the
gradebook, the JSON or Markdown report, or the student's own copy.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from helpers import right_response, warm_up
from quiz import store
from quiz.engine import Run
from quiz.report import load_report
from quiz.report.files import attempt_copy, write_report

NOW = datetime(2026, 11, 27, 10, 2, 11, tzinfo=timezone.utc)


def served_attempt(results, *, finish: bool):
    """An attempt as a served tab leaves it: its hash in the file, its code kept for the teacher."""
    pack = warm_up()
    run = Run.start(pack, student="Sam Lee", group="10B", seed=1, now=NOW, attempt_id="6f1c0a9e55d2")
    with store.start(run.attempt, results) as opened:
        assert store.keep_code(results, run.attempt.id, opened.code)
        for _ in range(len(run.questions) if finish else 2):
            run.answer(right_response(run.current), seconds=3)
        if finish:
            run.finish(NOW)
        opened.save(run.attempt)
        return run, opened.code


def forms(code: str) -> list[str]:
    bare = store.normal_code(code)
    return [code, bare, code.lower(), bare.lower()]


def test_no_export_holds_a_code_or_its_hash(tmp_path):
    results = tmp_path / "results"
    run, code = served_attempt(results, finish=True)
    report = load_report([results], attempts="all", packs=[warm_up()], now=NOW)
    assert not report.warnings  # the teacher's code folder is not read as attempts
    written = [
        write_report(report, tmp_path / "grades.csv"),
        write_report(report, tmp_path / "grades.json"),
        write_report(report, tmp_path / "grades.md"),
    ]
    texts = [p.read_text("utf-8") for p in written]
    texts += [attempt_copy(run.attempt, suffix).decode("utf-8") for suffix in (".csv", ".json")]
    seal = store._seal_of(json.loads(store.attempt_path(run.attempt, results).read_text("utf-8")))
    assert isinstance(seal, dict)
    for text in texts:
        assert "Sam Lee" in text  # the attempt is there ...
        for form in forms(code):
            assert form not in text  # ... its code is not
        assert seal["hash"] not in text and seal["salt"] not in text and '"resume"' not in text


def test_the_code_kept_for_the_teacher_is_not_an_attempt_file_to_any_reader(tmp_path):
    results = tmp_path / "results"
    run, code = served_attempt(results, finish=False)
    assert store.kept_code(results, run.attempt.id) == code
    listed = list(store.attempt_files([results]))
    assert listed == [store.attempt_path(run.attempt, results)]


def test_a_kept_code_that_is_a_link_or_junk_is_not_shown(tmp_path):
    results = tmp_path / "results"
    run, code = served_attempt(results, finish=False)
    kept = results / store.CODES_FOLDER / run.attempt.id
    kept.unlink()
    kept.symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").write_text(code)
    assert store.kept_code(results, run.attempt.id) == ""
    kept.unlink()
    kept.write_text("[red]not a code[/]")
    assert store.kept_code(results, run.attempt.id) == ""
    assert store.kept_code(results, "../../etc/passwd") == ""
    assert not store.keep_code(results, "../escape", code)
