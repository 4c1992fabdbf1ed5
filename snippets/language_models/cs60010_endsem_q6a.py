from dlref.language_models import beam_search_hypothesis_counts

beam_size, step = 10, 4
counts = beam_search_hypothesis_counts(beam_size, step)   # hypotheses scored at steps 1..4
total = sum(counts)
assert counts == [10, 100, 100, 100] and total == 310
later_steps = step - 1
per_later_step = counts[-1]

PRINTED_TOTAL = 310
assert total == PRINTED_TOTAL

# Scoring every word of a vocabulary of V instead of each hypothesis' top k, e.g. V = 50,000:
vocab_size = 50_000
every_word = sum(beam_search_hypothesis_counts(beam_size, step, vocab_size=vocab_size))
assert every_word == 50_000 + 3 * 500_000 == 1_550_000
