from dlref.language_models import bart_text_infilling, bart_token_masking, t5_span_corruption

sentence = "I went to the store".split()

# BART token masking: 'went' and 'store' each become one <mask>; the input keeps its 5 tokens.
masked_input, masked_target = bart_token_masking(sentence, positions=[1, 4])
token_masking = " ".join(masked_input)
assert token_masking == "I <mask> to the <mask>" and masked_target == sentence

# BART text infilling: the span 'went to' becomes ONE <mask>, and an empty span inserts one before 'store'.
infilled_input, infilled_target = bart_text_infilling(sentence, spans=[(1, 2), (4, 0)])
text_infilling = " ".join(infilled_input)
assert text_infilling == "I <mask> the <mask> store" and infilled_target == sentence
assert len(masked_input) == len(sentence)            # token masking keeps every position

# T5 span corruption: each span becomes one sentinel; the target holds only the dropped spans.
t5_input, t5_target = t5_span_corruption(sentence, spans=[(1, 2), (4, 1)])
t5_in, t5_out = " ".join(t5_input), " ".join(t5_target)
assert t5_in == "I <extra_id_0> the <extra_id_1>"
assert t5_out == "<extra_id_0> went to <extra_id_1> store <extra_id_2>"
bart_target = " ".join(sentence)
closer_to_t5 = "text infilling"    # a whole span -> one placeholder, as T5 does
