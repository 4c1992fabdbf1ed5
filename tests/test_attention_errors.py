"""Bad input to dlref.attention raises ValueError/TypeError naming the argument."""

import numpy as np
import pytest

from dlref import attention as A


@pytest.mark.parametrize("call, error, name", [
    (lambda: A.softmax(3.0), ValueError, "z"),
    (lambda: A.softmax([-np.inf, -np.inf]), ValueError, "entirely -inf"),
    (lambda: A.softmax([np.nan, 1.0]), ValueError, "z"),
    (lambda: A.masked_softmax([1, 2], [1, 0]), TypeError, "mask"),
    (lambda: A.masked_softmax([1, 2, 3], [True, False]), ValueError, "mask"),
    (lambda: A.masked_softmax([1, 2], [True, False], fill=5.0), ValueError, "fill"),
    (lambda: A.scaled_dot_product_attention(np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 2))), ValueError, "K"),
    (lambda: A.scaled_dot_product_attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((3, 2))), ValueError, "V"),
    (lambda: A.scaled_dot_product_attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 2)), scale=-1.0),
     ValueError, "scale"),
    (lambda: A.attention_gradients(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 2)), np.ones((3, 2))),
     ValueError, "grad_output"),
    (lambda: A.multi_head_shapes(4, 10, 3), ValueError, "num_heads"),
    (lambda: A.multi_head_shapes(0, 8, 2), ValueError, "seq_len"),
    (lambda: A.multi_head_attention(np.ones((2, 4)), np.ones((2, 4)), np.ones((2, 4)), [np.ones((4, 2))], [],
                                    [np.ones((4, 2))]), ValueError, "W_Q, W_K, W_V"),
    (lambda: A.multi_head_attention(np.ones((2, 4)), np.ones((2, 4)), np.ones((2, 4)), [np.ones((3, 2))],
                                    [np.ones((4, 2))], [np.ones((4, 2))]), ValueError, r"W_Q\[0\]"),
    (lambda: A.multi_head_attention(np.ones((2, 4)), np.ones((2, 4)), np.ones((2, 4)), [np.ones((4, 2))],
                                    [np.ones((4, 2))], [np.ones((4, 2))], W_O=np.ones((3, 4))), ValueError, "W_O"),
    (lambda: A.self_attention_macs(8, 10, 4), ValueError, "num_heads"),
    (lambda: A.self_attention_macs(8.0, 16), TypeError, "seq_len"),
    (lambda: A.multi_head_attention_parameter_count(10, 3), ValueError, "num_heads"),
    (lambda: A.transformer_encoder_layer_parameter_count(8, 2, 0), ValueError, "d_ff"),
    (lambda: A.classification_head_parameter_count(768, 0), ValueError, "num_classes"),
    (lambda: A.alignment_parameter_count("dot", 8, 16), ValueError, "decoder_size"),
    (lambda: A.alignment_parameter_count("cosine", 8, 8), ValueError, "score"),
    (lambda: A.alignment_parameter_count("additive", 8, 8), TypeError, "attention_size"),
    (lambda: A.softmax_saturation(0, scaled=True), ValueError, "d_k"),
    (lambda: A.softmax_saturation(4, scaled=1), TypeError, "scaled"),
    (lambda: A.bert_parameter_count(layers=0), ValueError, "layers"),
])
def test_bad_input_names_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_softmax_saturation_grows_with_the_unscaled_width():
    narrow, wide = A.softmax_saturation(2, scaled=False), A.softmax_saturation(256, scaled=False)
    assert wide[0] > narrow[0] and wide[1] < narrow[1]
    assert A.softmax_saturation(256, scaled=True)[0] < 0.4
