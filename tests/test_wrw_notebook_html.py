"""Pins what wrw/notebook_html.py removes from mkdocs-jupyter's pages against the installed
mkdocs-jupyter: if an upgrade changes its markup, this fails instead of the site silently
shipping MathJax or 570 KB of JupyterLab CSS again."""

from __future__ import annotations

import nbformat
import pytest

from wrw import katex, notebook_html

nb2html = pytest.importorskip("mkdocs_jupyter.nbconvert2").nb2html


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Some math: $x^2$ and a [link](../scale.md#how-small)."),
        nbformat.v4.new_code_cell("1 + 1"),
    ]
    path = tmp_path_factory.mktemp("nb") / "n.ipynb"
    nbformat.write(nb, path)
    body = nb2html(str(path))
    return f"<html><head></head><body>{body}</body></html>"


def test_the_patterns_still_match(rendered):
    assert notebook_html.MATHJAX.search(rendered), "mkdocs-jupyter no longer loads MathJax this way"
    assert notebook_html.STYLE.search(rendered), "mkdocs-jupyter no longer inlines JupyterLab CSS this way"
    assert notebook_html.WRAPPER in rendered
    assert katex.NB_MARKDOWN.search(rendered), "Markdown cells are no longer marked jp-RenderedMarkdown"


def test_slim_leaves_no_mathjax_or_inlined_css(rendered):
    out = notebook_html.slim(rendered, "notebooks/n/")
    assert "mathjax" not in out.lower()
    assert "jp-" not in "".join(notebook_html.STYLE.findall(out))
    assert 'href="../../assets/notebook.css"' in out and 'href="n.ipynb" download' in out
    assert len(out) < len(rendered) / 5


def test_math_in_markdown_cells_is_typeset(rendered):
    out = katex.typeset_notebook({}, rendered)
    assert 'class="katex"' in out and "$x^2$" not in out


class _Files:
    def __init__(self, known):
        self.known = known

    def get_file_from_path(self, path):
        class F:
            url = path.removesuffix(".md") + "/"

        return F() if path in self.known else None


def test_links_point_at_pages_and_missing_pages_fail(rendered):
    out = notebook_html.fix_links(rendered, "notebooks/n.py", "notebooks/n/", _Files({"scale.md"}))
    assert 'href="../../scale/#how-small"' in out
    with pytest.raises(notebook_html.LinkError, match="missing page '../scale.md'"):
        notebook_html.fix_links(rendered, "notebooks/n.py", "notebooks/n/", _Files(set()))
