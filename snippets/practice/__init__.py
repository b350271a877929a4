"""Initialization in practice (docs/practice.md): the zero-init atlas, the recipes that ship, width
and precision, embeddings, and the symptoms readers ask about. One module per topic."""
