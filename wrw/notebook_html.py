"""Adjust the page HTML that mkdocs-jupyter renders for a notebook.

mkdocs-jupyter has no option to leave out MathJax or its inlined JupyterLab CSS, nor to rewrite
links; ``tests/test_wrw_notebook_html.py`` pins each pattern below against the installed version,
so an upgrade that changes its markup fails a unit test instead of silently shipping MathJax.
"""

from __future__ import annotations

import posixpath
import re

from mkdocs.utils import get_relative_url

MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
# the inlined JupyterLab stylesheets (~570 KB a page); assets/notebook.css replaces them
STYLE = re.compile(
    r"<style[^>]*>(?:(?!</style>).)*?(?:jp-|highlight-ipynb|jupyter)(?:(?!</style>).)*</style>", re.S
)
MD_LINK = re.compile(r'href="([^":#?]+\.md)(#[^"]*)?"')
WRAPPER = '<div class="jupyter-wrapper">'


class LinkError(ValueError):
    pass


def fix_links(output: str, src_uri: str, page_url: str, files) -> str:
    """Links in Markdown cells are written like the site's (``../scale.md#how-small``, relative to
    ``docs/notebooks/``); point them at the pages' URLs. A link to a missing page raises LinkError."""

    def fix(m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), m.group(1)))
        f = files.get_file_from_path(target) if files is not None else None
        if f is None:
            raise LinkError(f"docs/{src_uri}: link to missing page {m.group(1)!r}")
        return f'href="{get_relative_url(f.url, page_url)}{m.group(2) or ""}"'

    return MD_LINK.sub(fix, output)


def slim(output: str, page_url: str) -> str:
    """No MathJax (math is typeset at build time), no inlined JupyterLab CSS (our stylesheet
    instead), and a download button for the executed notebook above the notebook."""
    output = STYLE.sub("", MATHJAX.sub("", output))
    css = get_relative_url("assets/notebook.css", page_url)
    output = output.replace("</head>", f'<link rel="stylesheet" href="{css}"></head>', 1)
    name = page_url.rstrip("/").rsplit("/", 1)[-1]
    dl = (
        f'<p class="wrw-download"><a class="md-button md-button--primary" href="{name}.ipynb" download>'
        f"Download this notebook (.ipynb)</a></p>"
    )
    return output.replace(WRAPPER, dl + WRAPPER, 1)
