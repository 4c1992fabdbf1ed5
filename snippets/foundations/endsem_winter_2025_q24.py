import torch

from dlref.foundations import batched_matmul_flops, matrix_products_recorded

torch.manual_seed(0)
b, n, m, p = 64, 8, 16, 4
A = torch.randn(b, n, m, dtype=torch.float64)
B = torch.randn(b, m, p, dtype=torch.float64)
At = A.clone().requires_grad_()          # a tracked copy, so that autograd records each operation
candidates = {
    "a": lambda: torch.matmul(At, B),
    "b": lambda: torch.bmm(At, B),
    "c": lambda: torch.stack([At[i] @ B[i] for i in range(b)]),   # a Python loop over the batch
    "d": lambda: torch.einsum("bnm,bmp->bnp", At, B),
}

reference = torch.bmm(A, B)
results = {letter: compute() for letter, compute in candidates.items()}
identical = {letter: torch.equal(result, reference) for letter, result in results.items()}
kernel_calls = {letter: matrix_products_recorded(result) for letter, result in results.items()}
assert all(identical.values()) and kernel_calls == {"a": 1, "b": 1, "c": b, "d": 1}
flops = batched_matmul_flops(b, n, m, p)          # the same arithmetic whichever way it is called

options = {letter: identical[letter] and kernel_calls[letter] == 1 for letter in candidates}
answer = [letter for letter, efficient in options.items() if efficient]
assert answer == ["a", "b", "d"]
PRINTED_KEY = "b"
single_answer_reading = [PRINTED_KEY]    # "the operation made for batched three-dimensional products"
assert PRINTED_KEY in answer
