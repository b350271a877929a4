"""Different networks and the "magic numbers" (docs/architectures.md), one module per section.

``frameworks`` (measured defaults, traps, decision guide), ``cnn``, ``rnn`` (RNN and LSTM),
``residual`` (ResNet, Fixup), ``transformer`` (GPT-2 residual scaling, embeddings), ``width``
(μP), ``normalization`` (LayerNorm, LSUV), ``zero`` (ZerO), ``diagnose``. Shared helpers live
in ``_common``. Importing does no work.
"""
