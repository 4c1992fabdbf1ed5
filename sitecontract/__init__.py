"""The site's contract: reading the pages, binding every value they show to the code that computes it,
checking the arithmetic they write, generating the paper and errata pages, and measuring all of it by
mutation (docs/contributing.md)."""
