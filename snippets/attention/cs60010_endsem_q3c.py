from dlref.attention import bert_parameter_count, classification_head_parameter_count

hidden, classes = 768, 5                        # BERT-base's [CLS] vector; five topics

head = classification_head_parameter_count(hidden, classes)
assert (head.weights, head.biases, head.total) == (3_840, 5, 3_845)

PRINTED = 3_840                                 # the paper's 768 * 5: weights only
weights_only_reading = head.weights
with_biases_reading = head.total
assert weights_only_reading == PRINTED and with_biases_reading != PRINTED

# Everything else is pretrained: BERT-base itself.
bert = bert_parameter_count()
assert bert.total == 109_482_240
share = head.total / bert.total                 # the fraction that is new
assert share < 0.0001
