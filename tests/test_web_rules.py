"""The teacher's rules on the accessible pages: the class list, the time limit with extra time, attempt limits,
and one live session of a pack a student. The clock is the test's own: nothing sleeps."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from helpers import P, SlowDisk, Student, attempt_data, code_on

from helpers import every_type_pack
from quiz.roster import ClassRules, parse_roster
from quiz.serving import seats
from quiz.timing import parse_extra_time

CLASS = "name;class;id;extra time\nSam Lee;10B;S1;\nSamira Khan;10B;S2;+50%\nZoë Adams;10C;S3;\n"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Clock:
    """The time now, moved by the test."""

    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        return self.at

    def forward(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def rules(**given) -> ClassRules:
    return ClassRules(**{"roster": parse_roster(CLASS), **given})


async def start(student: Student, name: str, pack: str = "every-type", mode: str = "test"):
    await student.get(f"{P}/")
    return await student.post(f"{P}/start", {"pack": pack, "student": name, "mode": mode})


# -- the class list ----------------------------------------------------------------------


async def test_the_name_is_picked_from_the_class_list_and_a_name_not_on_it_is_refused(serve, tmp_path):
    await serve(every_type_pack(), rules=rules())
    sam = await serve.student()
    page = await sam.get(f"{P}/")
    # A select works without scripts; its label says where the names come from; no free text box for the name.
    assert [text for _, text in page.selects["student"]] == ["Choose your name", "Sam Lee", "Samira Khan", "Zoë Adams"]
    assert page.labels["student-field"] == "2. Your name, from your teacher's class list"
    assert not any(i.get("name") == "group" for i in page.inputs)  # the class comes from the list

    page = await sam.post(f"{P}/start", {"pack": "every-type", "student": "", "mode": "test"})
    assert "Pick your name from the class list first, so your teacher knows whose answers these are." in page.text
    # Anything else posted is refused by the server, in words, and nothing is started.
    page = await sam.post(f"{P}/start", {"pack": "every-type", "student": "Mallory", "mode": "test"})
    assert page.status == 400
    assert "Mallory is not on your teacher's class list. Pick your name from the list; if it is not there, ask your teacher." in page.text
    assert not (tmp_path / "results").exists() or not list((tmp_path / "results").rglob("*.json"))

    # A name on the list, however it is cased and spaced, plays as the list spells it, with its class and ID.
    page = await sam.post(f"{P}/start", {"pack": "every-type", "student": "  zoe   ADAMS ", "mode": "test"})
    assert page.url == f"{P}/welcome"
    await sam.answer(every_type_pack())
    (saved,) = attempt_data(tmp_path / "results")
    assert (saved["student"], saved["group"], saved["student_id"]) == ("Zoë Adams", "10C", "S3")


# -- one live session a student ----------------------------------------------------------


async def test_a_student_playing_in_one_browser_is_refused_a_second_session_of_the_same_pack(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack, rules=rules())
    sam = await serve.student()
    await start(sam, "Sam Lee")
    laptop = await serve.student()
    page = await start(laptop, "sam lee")
    assert page.status == 409
    assert ("Sam Lee is already playing Every type in another tab or browser. Carry on there, "
            "or close it and try again here (your answers there are saved).") in page.text
    assert attempt_data(tmp_path / "results") == []
    # Another student is not held up, and once Sam's first browser leaves, the second may start.
    assert (await start(await serve.student(), "Samira Khan")).url == f"{P}/welcome"
    await sam.get(f"{P}/question")
    await sam.post(f"{P}/leave", {})
    assert (await start(laptop, "Sam Lee")).url == f"{P}/welcome"


async def test_an_unfinished_attempt_playing_elsewhere_is_carried_on_here_only_with_its_code(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    code = code_on(await start(sam, "Sam Lee", mode="practice"))
    await sam.answer(pack)
    laptop = await serve.student()
    page = await start(laptop, "Sam Lee", mode="practice")
    assert page.url == f"{P}/resume"
    assert "Sam Lee is already playing Every type in another tab or browser." in page.text
    # Starting a new attempt beside the live one is not offered, and refused if posted anyway.
    assert not any(i.get("value") == "new" for i in page.inputs)
    page = await laptop.post(f"{P}/resume", {"action": "new"})
    assert page.status == 409 and "already playing" in page.text
    assert len(attempt_data(tmp_path / "results")) == 1
    # The code moves the attempt here, as it always has.
    page = await laptop.post(f"{P}/resume", {"code": code, "action": "resume"})
    assert "Welcome back. You have answered 1 of 9 questions." in page.text
    assert (await sam.get(f"{P}/question")).url == f"{P}/stopped"


async def test_a_terminal_tab_playing_the_pack_keeps_a_page_from_starting_it_and_lets_go_when_it_ends(serve, tmp_path):
    await serve(every_type_pack())
    # A served terminal tab (its own process) holds the seat as it plays; here the seat is taken the same way.
    tab = seats.take(tmp_path / "results", "every-type", "Sam Lee", "Every type")
    page = await start(await serve.student(), "Sam Lee")
    assert page.status == 409 and "Sam Lee is already playing Every type in another tab" in page.text
    tab.release()
    assert (await start(await serve.student(), "Sam Lee")).url == f"{P}/welcome"


async def test_a_finished_attempt_frees_the_seat_for_the_next_one(serve):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await start(sam, "Sam Lee")
    for _ in pack.questions:
        page = await sam.answer(pack)
    assert page.url == f"{P}/results"
    assert (await start(await serve.student(), "Sam Lee")).url == f"{P}/welcome"


# -- the time limit -----------------------------------------------------------------------


async def test_the_time_left_is_on_every_question_page_and_on_reload(serve):
    pack = every_type_pack()
    clock = Clock()
    await serve(pack, rules=ClassRules(time_limit=20 * 60), mode="test", now=clock)
    sam = await serve.student()
    page = await start(sam, "Sam Lee")
    assert ("This test has a time limit of 20 minutes. The clock keeps running if you leave. "
            "At zero the test ends with the answers you gave.") in page.text
    clock.forward(30)
    page = await sam.get(f"{P}/question")
    assert "Time left: 19 minutes." in page.text
    clock.forward(60)
    assert "Time left: 18 minutes." in (await sam.get(f"{P}/question")).text  # a reload says it again
    page = await sam.answer(pack)
    assert "Your answer is saved." in page.text and "Time left: 18 minutes." in page.text


async def test_warnings_at_5_and_1_minutes_are_said_once_on_the_next_page(serve):
    pack = every_type_pack()
    clock = Clock()
    await serve(pack, rules=ClassRules(time_limit=10 * 60), mode="test", now=clock)
    sam = await serve.student()
    await start(sam, "Sam Lee")
    assert "left." not in (await sam.get(f"{P}/question")).text.replace("Time left", "")
    clock.forward(5 * 60 + 10)
    page = await sam.get(f"{P}/question")
    assert "Only 4 minutes left." in page.text  # text, not a colour; read out as the page loads
    assert '<p class="notice" role="alert" lang="en"><strong>Only 4 minutes left.</strong></p>' in page.html
    assert "Only" not in (await sam.get(f"{P}/question")).text  # said once
    clock.forward(4 * 60)
    page = await sam.answer(pack)
    assert "Only 50 seconds left." in page.text and "Time left: 50 seconds." in page.text


async def test_at_zero_the_test_finishes_with_what_was_answered(serve, tmp_path):
    pack = every_type_pack()
    clock = Clock()
    await serve(pack, rules=ClassRules(time_limit=5 * 60), mode="test", now=clock)
    sam = await serve.student()
    await start(sam, "Sam Lee")
    await sam.answer(pack)
    await sam.answer(pack)
    clock.forward(5 * 60 + 1)
    page = await sam.get(f"{P}/question")
    assert page.url == f"{P}/results"
    assert "Time is up. Your test is finished with the 2 answers you gave." in page.text
    (saved,) = attempt_data(tmp_path / "results")
    assert saved["timed_out"] is True and len(saved["answers"]) == 2
    assert saved["finished"] == saved["deadline"]
    # The seat is free: the same name may start again (no attempt limit here).
    assert (await start(await serve.student(), "Sam Lee")).url == f"{P}/welcome"


async def test_zero_reached_in_another_tab_while_an_answer_is_being_written_keeps_the_answer_and_the_end(
    serve, tmp_path, monkeypatch
):
    pack = every_type_pack()
    clock = Clock()
    await serve(pack, rules=ClassRules(time_limit=5 * 60), mode="test", now=clock)
    sam = await serve.student()
    await start(sam, "Sam Lee")
    await sam.get(f"{P}/question")
    disk = SlowDisk(monkeypatch)
    answering = asyncio.create_task(sam.answer(pack))  # in time, but the disk is slow
    await disk.writing()
    clock.forward(5 * 60 + 1)
    other_tab = Student(sam.client)  # the same browser: its cookie, its attempt
    reloading = asyncio.create_task(other_tab.get(f"{P}/question"))
    await asyncio.wait([reloading], timeout=0.3)  # its save waits for the answer's, or would overtake it
    disk.done()
    page = await reloading
    answered = await answering
    # Both tabs end on the results. Whichever request ends the test says so: the reload, or (when
    # the reload reaches the server only after the answer is saved, as on a busy machine) the answer.
    assert page.url == answered.url == f"{P}/results"
    ended = "Time is up. Your test is finished with the 1 answer you gave."
    assert [ended in page.text, ended in answered.text].count(True) == 1
    (saved,) = attempt_data(tmp_path / "results")
    assert len(saved["answers"]) == 1
    assert saved["finished"] == saved["deadline"] and saved["timed_out"] is True


async def test_an_answer_sent_long_after_zero_does_not_count(serve, tmp_path):
    pack = every_type_pack()
    clock = Clock()
    await serve(pack, rules=ClassRules(time_limit=5 * 60), mode="test", now=clock)
    sam = await serve.student()
    await start(sam, "Sam Lee")
    await sam.answer(pack)
    await sam.get(f"{P}/question")
    clock.forward(10 * 60)
    page = await sam.answer(pack)
    assert page.url == f"{P}/results"
    assert ("Time is up. That answer came after the end of the test, so it does not count. "
            "Your test is finished with the 1 answer you gave.") in page.text
    assert len(attempt_data(tmp_path / "results")[0]["answers"]) == 1


async def test_extra_time_from_the_list_or_the_teacher_gives_that_student_longer(serve, tmp_path):
    pack = every_type_pack()
    clock = Clock()
    given = rules(time_limit=20 * 60, extra_time={"zoe adams": parse_extra_time("+10m")})
    await serve(pack, rules=given, mode="test", now=clock)
    samira, zoe, sam = [await serve.student() for _ in range(3)]
    assert "with 10 minutes extra time" in (await start(samira, "Samira Khan")).text  # +50% in the list
    assert "with 10 minutes extra time" in (await start(zoe, "Zoë Adams")).text
    assert "extra time" not in (await start(sam, "Sam Lee")).text
    clock.forward(25 * 60)
    assert "Time left: 5 minutes." in (await samira.get(f"{P}/question")).text
    assert (await sam.get(f"{P}/question")).url == f"{P}/results"
    limits = {a["student"]: (a["time_limit"], a["extra_time"]) for a in attempt_data(tmp_path / "results")}
    assert limits["Sam Lee"] == (1200.0, 0.0)


async def test_practice_is_never_timed(serve):
    clock = Clock()
    await serve(every_type_pack(), rules=ClassRules(time_limit=5 * 60), now=clock)
    sam = await serve.student()
    await start(sam, "Sam Lee", mode="practice")
    clock.forward(3600)
    page = await sam.get(f"{P}/question")
    assert page.url == f"{P}/question" and "Time left" not in page.text


# -- attempt limits -----------------------------------------------------------------------


async def test_a_student_with_every_attempt_used_is_told_and_reads_their_results_with_the_code(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack, rules=ClassRules(attempts=1))
    sam = await serve.student()
    code = code_on(await start(sam, "Sam Lee", mode="practice"))
    for _ in pack.questions:
        page = await sam.answer(pack)
    again = await serve.student()
    page = await start(again, "Sam Lee", mode="practice")
    assert page.url == f"{P}/used"
    assert "You have finished this pack once, as many as your teacher allows, so it cannot be started again." in page.text
    assert len(attempt_data(tmp_path / "results")) == 1  # nothing new was started
    page = await again.post(f"{P}/used", {"code": "AAAA-AAAA"})
    assert page.status == 400 and "Check it, or ask your teacher." in page.text
    page = await again.post(f"{P}/used", {"code": code})
    assert page.url == f"{P}/results"
    assert "You scored 12 of 12, 100%." in page.text
    # Another pack, or another student, is not held back.
    assert (await start(await serve.student(), "Samira Khan", mode="practice")).url == f"{P}/welcome"


async def test_starting_again_beside_an_unfinished_attempt_also_counts_the_limit(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack, rules=ClassRules(attempts=1))
    sam = await serve.student()
    code = code_on(await start(sam, "Sam Lee", mode="practice"))
    await sam.answer(pack)
    await sam.post(f"{P}/leave", {})
    second = await serve.student()
    await start(second, "Sam Lee", mode="practice")
    assert (await second.post(f"{P}/resume", {"action": "new"})).url == f"{P}/welcome"
    for _ in pack.questions:
        await second.answer(pack)
    # One finished: starting again is refused, carrying the unfinished one on with its code is not.
    third = await serve.student()
    await start(third, "Sam Lee", mode="practice")
    page = await third.post(f"{P}/resume", {"action": "new"})
    assert page.url == f"{P}/used" and "You have finished this pack once" in page.text
    assert len(attempt_data(tmp_path / "results")) == 2
    fourth = await serve.student()
    await start(fourth, "Sam Lee", mode="practice")
    page = await fourth.post(f"{P}/resume", {"code": code, "action": "resume"})
    assert "Welcome back. You have answered 1 of 9 questions." in page.text
