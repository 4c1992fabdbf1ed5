"""Training runs behind the two training questions of the Modern-architectures assignment.

One module per run (:mod:`dlref.train.cifar10`, :mod:`dlref.train.charlm`), each runnable as
``python -m dlref.train.<name> --help``; :mod:`dlref.train.common` holds what both need.
"""
