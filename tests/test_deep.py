"""The deep-networks chapter is a package: its claim tests are in tests/deep/, one module per paper
(mirroring snippets/deep/). This file keeps the page <-> snippet <-> test slug check satisfied."""
