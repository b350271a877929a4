"""References (wrw/bib.py): BibTeX read by pybtex, TeX decoded to Unicode by pylatexenc."""

from __future__ import annotations

from pathlib import Path

import pytest

from wrw import bib

ENTRY = r"""
@inproceedings{dollar2017,
  title = {Accurate, Large {Minibatch} {SGD} -- in 1 Hour},
  author = {Goyal, Priya and Doll{\'a}r, Piotr and Klambauer, G{\"u}nter},
  booktitle = {Proc. of X \& Y},
  year = {2017},
  eprint = {1706.02677},
  note = {a private remark}
}
"""


def test_tex_is_decoded_and_notes_are_not_rendered():
    refs = bib.parse(ENTRY)
    e = refs["dollar2017"]
    assert e["author"] == "Priya Goyal, Piotr Dollár, Günter Klambauer"
    assert e["title"] == "Accurate, Large Minibatch SGD – in 1 Hour"
    assert bib.short(e) == "Goyal et al. 2017"
    assert bib.link(e) == ("arXiv:1706.02677", "https://arxiv.org/abs/1706.02677")
    page = bib.render_markdown(refs)
    assert "Dollár" in page and "X &amp; Y" in page and "private" not in page and "\\" not in page


def test_two_authors_and_links():
    e = bib.parse(
        "@article{k, title={T}, author={Glorot, Xavier and Bengio, Yoshua}, year=2010, doi={10.1/x}}"
    )["k"]
    assert bib.short(e) == "Glorot & Bengio 2010"
    assert bib.link(e) == ("doi:10.1/x", "https://doi.org/10.1/x")


@pytest.mark.parametrize(
    "text, message",
    [
        ("@misc{k, title={T}, year=2000, url={https://x}}", "has no author"),
        ("@misc{k, title={T}, author={A B}, year=2000}", "no doi, url or eprint"),
        (
            "@misc{k, title={T}, author={A B}, year=2000, url={u}}\n@misc{k, title={T}, author={A B}, year=2000, url={u}}",
            "k",
        ),
    ],
)
def test_malformed_entries_fail(text, message):
    with pytest.raises(bib.BibError, match=message):
        bib.parse(text)


def test_the_site_bibliography_decodes_cleanly():
    refs = bib.parse((Path(__file__).resolve().parent.parent / "docs" / "references.bib").read_text())
    page = bib.render_markdown(refs)
    assert refs and "\\" not in page and "{" not in page
