"""The book shows each exercise with its solution folded under it, proven by its ✔ line.

Tests that read the built book build it first (`make book`, the `book`
fixture): they run in `make test-all` and CI.
"""

import html
import re

from iris_keras.exercises import EXERCISES
from tests.support.book import BOOK


def text(markup):
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_each_exercise_has_its_solution_folded_under_it_and_no_unanswered_line(book):
    for exercise in EXERCISES.values():
        page = (BOOK / "notebooks" / f"{exercise.notebook}.html").read_text(encoding="utf-8")
        assert "not answered yet" not in page, exercise.notebook
        section = page[page.index(f"<h3>{exercise.id} · ") :]
        folded = re.search(
            r'<details class="[^"]*hide above-output">(.*?)</details>', section, re.S
        )
        assert folded, exercise.id
        assert f'check("{exercise.id}")' in text(section[: folded.start()])
        assert "Solution · 解答" in text(folded.group(1))
        assert f"✔ {exercise.id}: {exercise.right}" in text(folded.group(1))
