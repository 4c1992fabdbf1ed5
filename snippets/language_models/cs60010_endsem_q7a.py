from dlref.language_models import t5_parameter_count

# The released T5-Large: d_model 1024, d_ff 4096, 24 + 24 layers, 16 heads of 64, vocabulary 32,128.
d_model, d_ff, layers, heads, d_kv, vocab, buckets = 1024, 4096, 24, 16, 64, 32_128, 32
t5_large = t5_parameter_count(d_model, d_ff, layers, layers, heads, d_kv, vocab, buckets)
exact = t5_large.total
assert exact == 737_668_096                     # the checkpoint's "Trainable Variables ... Total size"
assert t5_large.embedding == 32_899_072 and t5_large.lm_head == 0     # tied input/output embedding
assert (t5_large.layer_norms, t5_large.relative_bias) == (124_928, 1_024)
encoder = t5_large.encoder_self_attention + t5_large.encoder_ffn
decoder = t5_large.decoder_self_attention + t5_large.decoder_cross_attention + t5_large.decoder_ffn
assert encoder == 12 * layers * d_model ** 2 == 301_989_888                 # 288 d^2
assert decoder == 16 * layers * d_model ** 2 == 402_653_184                 # 384 d^2
cross_attention = t5_large.decoder_cross_attention
assert cross_attention == 4 * layers * d_model ** 2 == 100_663_296          # 96 d^2
blocks = t5_large.attention_and_ffn
assert blocks == 704_643_072

# The exam's numbers: vocabulary "32k" = 32,000, no norms or position biases (the hand count).
vocab_32k = 32_000
hand = t5_parameter_count(d_model, d_ff, layers, layers, heads, d_kv, vocab_32k, relative_attention_num_buckets=0)
hand_count = hand.embedding + hand.attention_and_ffn
embedding_32k = hand.embedding
assert embedding_32k == 32_768_000 and hand_count == 737_411_072

# "770M", the T5 paper's figure: one more 32,128 x 1024 matrix, i.e. an untied output layer.
untied = t5_parameter_count(d_model, d_ff, layers, layers, heads, d_kv, vocab, tie_word_embeddings=False).total
assert untied == exact + t5_large.embedding == 770_567_168
gap = untied - exact

# The scan's handwritten totals (in millions), as far as the OCR reads them.
PRINTED_EMBEDDING_M, PRINTED_ENCODER_M, PRINTED_CROSS_M, PRINTED_DECODER_M = 32.7, 32.7, 7.37, 40.37
assert round(encoder / 1e6, 1) != PRINTED_ENCODER_M and round(decoder / 1e6, 2) != PRINTED_DECODER_M
