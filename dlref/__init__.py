"""dlref: the reference package behind the dlref exam-question site.

One module per chapter; each function computes one thing a student computes by hand, with the
formula in its docstring, and is checked against PyTorch in ``tests/``.
"""

__version__ = "0.1.0"
