"""Which questions each finished chapter must answer, from ../shared/seeds/README.md.

A chapter is listed here once its issue is done; from then on the tests require every one of its
questions, with the full anatomy, on its page. Question ids are ``<paper-slug>-q<n>``.
"""

PAPERS = {
    # slug: (seed file prefix, name used on the site, paper page)
    "cse641-quiz2": ("000", "Deep Learning (CSE641/ECE555), Quiz 2", "papers/cse641-quiz2.md"),
    "cs60010-ct3": ("001", "IIT Kharagpur CS60010 Deep Learning, Class Test III (2020-21)",
                    "papers/cs60010-ct3.md"),
    "modern-arch-assignment": ("002", "Assignment: Modern architectures", "papers/modern-arch-assignment.md"),
    "endsem-winter-2025": ("003", "Deep Learning End-Semester Exam, Winter 2025", "papers/endsem-winter-2025.md"),
    "cs60010-endsem": ("004", "IIT Kharagpur CS60010 Deep Learning, End-Semester (Spring)",
                       "papers/cs60010-endsem.md"),
}

CHAPTER_QUESTIONS = {
    "cnn.md": [
        "cs60010-ct3-q5",
        "modern-arch-assignment-q1",
        "endsem-winter-2025-q2", "endsem-winter-2025-q7", "endsem-winter-2025-q8",
        "endsem-winter-2025-q9", "endsem-winter-2025-q12", "endsem-winter-2025-q13",
        "endsem-winter-2025-q17", "endsem-winter-2025-q20", "endsem-winter-2025-intermediate-q2",
        "cs60010-endsem-q1", "cs60010-endsem-q2",
    ],
    "rnn.md": [
        "cse641-quiz2-q1", "cse641-quiz2-q2", "cse641-quiz2-q6", "cse641-quiz2-q11", "cse641-quiz2-q13",
        "cs60010-ct3-q1", "cs60010-ct3-q3", "cs60010-ct3-q4",
        "modern-arch-assignment-q3", "modern-arch-assignment-q4",
        "endsem-winter-2025-q22",
        "cs60010-endsem-q3a", "cs60010-endsem-q3b",
    ],
}


def paper_of(question_id: str) -> str:
    """The paper slug that a question id starts with."""
    matches = [slug for slug in PAPERS if question_id.startswith(slug + "-q")
               or question_id.startswith(slug + "-intermediate-q") or question_id.startswith(slug + "-advanced-q")]
    if len(matches) != 1:
        raise ValueError(f"question id {question_id!r} does not start with exactly one paper slug")
    return matches[0]
