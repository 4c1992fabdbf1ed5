"""Which chapters are finished: from then on the tests require every one of their questions.

The questions themselves, their order and marks, are in docs/papers/papers.yml (one registry for the
site, the paper pages and the tests); a finished chapter must answer every registry entry whose chapter
it is. Add a chapter here when its issue is done.
"""

FINISHED_CHAPTERS = ["cnn", "rnn", "foundations", "generative", "attention", "peft", "rlhf"]
