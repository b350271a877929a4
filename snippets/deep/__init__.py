"""Deep networks: the classic initialization results, reproduced next to the papers.

One module per paper (``glorot``, ``he``, ``saxe``, ``meanfield``, ``lecun``, ``pennington``,
``hanin``, ``sutskever``, ``frankle``), each its own cache unit; shared helpers live in
:mod:`snippets.deep._common`. This file imports nothing, so that editing one paper's module
recomputes only that paper.
"""
