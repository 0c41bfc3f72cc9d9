"""`quiz report` from the command line: what a teacher types, sees and gets."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from fixtures.attempts.classroom import ANSWERS, MONDAY, play
from quiz import store
from quiz.cli.report import run_report

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "attempts"
CLASS = FIXTURES / "class"
BROKEN = FIXTURES / "broken"


def report(paths, *, pack=None, group=None, since=None, attempts="last", out=None, items=None,
           force=False, interactive=False):
    """Run `quiz report` as the command line does; returns (exit code, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_report(
        [Path(p) for p in paths], pack=pack, group=group, since=since, attempts=attempts,
        out=out, items=items, force=force, interactive=interactive, stdout=stdout, stderr=stderr,
    )
    return code, stdout.getvalue(), stderr.getvalue()


def test_piped_without_out_prints_the_summary_to_paste():
    code, out, err = report([CLASS])
    assert code == 0 and err == ""
    assert out.startswith("# Quiz report")
    assert "5 attempts. Mean 3.8 / 7 (54%)" in out


def test_out_writes_the_gradebook_and_says_where(tmp_path):
    code, out, err = report([CLASS], out=tmp_path / "grades.csv")
    assert code == 0, err
    assert f"Wrote the report of 5 attempts to {tmp_path / 'grades.csv'}." in out
    assert (tmp_path / "grades.csv").read_bytes().startswith(b"\xef\xbb\xbfstudent,group,pack,pack version")


def test_items_writes_the_item_analysis(tmp_path):
    code, out, _ = report([CLASS], out=tmp_path / "grades.json", items=tmp_path / "items.csv")
    assert code == 0
    assert "Wrote the analysis of 6 questions" in out
    assert (tmp_path / "items.csv").read_text("utf-8-sig").startswith("pack,pack version,question,prompt")


def test_items_alone_says_what_it_wrote_in_one_line_as_out_does(tmp_path):
    code, out, err = report([CLASS], items=tmp_path / "items.csv")
    assert code == 0, err
    # The file's name and one line, never the whole Markdown report after it.
    assert out == f"Wrote the analysis of 6 questions to {tmp_path / 'items.csv'}.\n"
    assert (tmp_path / "items.csv").exists()


def test_in_a_terminal_items_alone_neither_prints_the_report_nor_opens_the_dashboard(tmp_path, monkeypatch):
    import quiz.ui.report_app as report_app
    from quiz.cli import build_parser
    from quiz.cli.report import cmd_report

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(report_app, "make_report_app", lambda rep: pytest.fail("dashboard opened"))
    target = tmp_path / "items.csv"
    out, err = Terminal(), Terminal()
    args = build_parser().parse_args(["report", str(CLASS), "--items", str(target)])
    assert cmd_report(args, out, err) == 0
    assert out.getvalue() == f"Wrote the analysis of 6 questions to {target}.\n"


def test_an_existing_file_is_kept_without_force_and_replaced_with_it(tmp_path):
    target = tmp_path / "grades.csv"
    target.write_text("marks typed by hand")
    code, out, err = report([CLASS], out=target)
    assert code == 2 and out == ""
    assert "grades.csv already exists. Use --force to replace it" in err
    assert target.read_text() == "marks typed by hand"

    code, _, _ = report([CLASS], out=target, force=True)
    assert code == 0 and target.read_text("utf-8-sig").startswith("student,")


def test_the_items_file_is_checked_before_anything_is_written(tmp_path):
    (tmp_path / "items.csv").write_text("keep me")
    code, _, err = report([CLASS], out=tmp_path / "grades.csv", items=tmp_path / "items.csv")
    assert code == 2 and "items.csv already exists" in err
    assert not (tmp_path / "grades.csv").exists()  # nothing half done


@pytest.mark.parametrize("name", ["grades.xlsx", "grades"])
def test_an_output_name_without_a_known_ending_is_refused(tmp_path, name):
    code, _, err = report([CLASS], out=tmp_path / name)
    assert code == 2 and "must end in .csv or .json or .md" in err


def test_a_since_date_that_is_not_year_month_day_is_explained():
    code, out, err = report([CLASS], since="2/3/2026")
    assert code == 2 and out == ""
    assert "--since needs a date written year-month-day, like 2026-09-01 (got '2/3/2026')." in err


def test_since_group_and_pack_narrow_the_report():
    _, out, _ = report([CLASS], since="2026-03-02", group="10C")
    assert "2 attempts." in out and "Dee Patel" in out and "Ana Núñez" not in out
    code, out, err = report([CLASS], since="2026-03-03")
    assert code == 1 and out == ""
    assert "None of the 5 attempts" in err and "since 2026-03-03" in err
    code, _, err = report([CLASS], pack="another-pack")
    assert code == 1 and "match pack another-pack" in err


def test_an_empty_folder_says_so_plainly(tmp_path):
    code, out, err = report([tmp_path])
    assert code == 1 and out == ""
    assert err == f"No attempt files were found in {tmp_path}. Nothing to report yet.\n"


def test_a_folder_that_is_not_there_is_named(tmp_path):
    code, _, err = report([tmp_path / "missing"])
    assert code == 1
    assert f"{tmp_path / 'missing'}: not found." in err


def test_broken_files_are_listed_on_stderr_and_the_report_still_comes_out(tmp_path):
    code, out, err = report([BROKEN], out=tmp_path / "grades.csv")
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 7
    assert any("truncated.json: skipped: it is not valid JSON" in w for w in warnings)
    assert "report of 1 attempt" in out


def test_without_paths_the_results_folder_is_read():
    results = Path(os.environ["QUIZ_RESULTS"])  # the test's own folder, set by conftest
    shutil.copytree(CLASS, results)
    code, out, _ = report([])
    assert code == 0 and "5 attempts." in out


def test_unfinished_attempts_are_listed_not_counted(tmp_path):
    store.save(play("Ana Núñez", ANSWERS["Ana Núñez"], started=MONDAY), tmp_path)
    store.save(play("Fay Ng", ANSWERS["Ben Okafor"], started=MONDAY, finish=False, stop_after=2), tmp_path)
    _, out, _ = report([tmp_path])
    assert "1 attempt. Mean 6 / 7" in out
    assert "### Unfinished (not counted)" in out and "- Fay Ng (10B): started 2026-03-02 09:00, 2 of 6 answered" in out


def test_control_sequences_in_names_and_file_names_print_as_visible_symbols(tmp_path):
    folder = tmp_path / "shared"
    store.save(play("Sam\x1b]0;title\x07 Lee", ANSWERS["Ana Núñez"], started=MONDAY, group="10B\x1b[5m"), folder)
    (folder / "clear\x1b[2J.json").write_text("{")
    code, out, err = report([folder])
    assert code == 0
    # The title-setting, blinking and clearing sequences reach the terminal as symbols, never as commands.
    assert not any(ch in out + err for ch in "\x1b\x07")
    assert "| Sam␛\\]0;title␇ Lee | 10B␛\\[5m | 6 / 7 | 86% |" in out
    assert "clear␛[2J.json: skipped" in err


def test_attempts_choice_reaches_the_report(tmp_path):
    for day, who in enumerate(("Ben Okafor", "Ana Núñez")):  # Ben's own answers first, then Ana's (better)
        store.save(play("Ben Okafor", ANSWERS[who], started=MONDAY + timedelta(days=day)), tmp_path)
    assert "| Ben Okafor | 10B | 6 / 7 |" in report([tmp_path], attempts="last")[1]
    assert "| Ben Okafor | 10B | 4 / 7 |" in report([tmp_path], attempts="first")[1]
    assert "2 attempts." in report([tmp_path], attempts="all")[1]


def test_interactive_starts_the_dashboard_with_the_report(monkeypatch):
    import quiz.ui.report_app as report_app

    shown = []

    class FakeApp:
        def __init__(self, rep):
            self.rep = rep

        def run(self):
            shown.append(self.rep)

    monkeypatch.setattr(report_app, "make_report_app", FakeApp)
    code, out, _ = report([CLASS], interactive=True)
    assert code == 0 and out == ""  # the dashboard, not the Markdown
    assert shown[0].attempt_count == 5


def test_nothing_to_report_never_opens_the_dashboard(tmp_path, monkeypatch):
    import quiz.ui.report_app as report_app

    monkeypatch.setattr(report_app, "make_report_app", lambda rep: pytest.fail("dashboard opened"))
    assert report([tmp_path], interactive=True)[0] == 1


@pytest.mark.parametrize("args", [[], ["--out", "grades.csv"]])
def test_piped_or_with_out_textual_is_never_imported(tmp_path, args):
    code = (
        "import sys\n"
        "from quiz.cli import main\n"
        f"rc = main(['report', {str(CLASS)!r}] + {args!r})\n"
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual was imported'\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    if args:
        assert (tmp_path / "grades.csv").exists()
    else:
        assert done.stdout.startswith("# Quiz report")
