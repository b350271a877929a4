"""MkDocs hooks of Why Random Weights: each event handed to the build engine, :mod:`wrw.site`.

Every failure raises ``PluginError`` with a one-line message that names the file and line, so
``mkdocs build --strict`` (and ``make serve``) stops and nothing, no traceback, is published.
The engines are reloaded when they change (:func:`wrw.fresh`), so ``mkdocs serve`` needs no restart.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# One BLAS thread per process: the build runs snippet modules in parallel processes, and
# oversubscribed OpenBLAS threads make small matrix products many times slower on 2 cores.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))  # this project's wrw and snippets, also in a copy of it

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority, get_plugin_logger  # noqa: E402

import wrw  # noqa: E402

log = get_plugin_logger("wrw")
B = None  # the wrw.site.Build of the current build


def _call(method: str, *args):
    try:
        return getattr(B, method)(*args)
    except Exception as e:
        if type(e).__name__ == "BuildError":
            raise PluginError(str(e)) from None
        raise


def on_startup(command, dirty):
    wrw.SESSION["dirty"] = bool(dirty)  # `mkdocs serve --dirty` (make serve): rebuild what changed


def on_config(config):
    global B
    wrw.fresh()
    from wrw.site import Build

    B = Build(wrw.SESSION)
    _call("config")
    return config


@event_priority(100)  # before mkdocs-jupyter wraps the notebook files
def on_files(files, config):
    files = _call("add_files", files, config)
    if B.computed:
        log.info("computed %s", ", ".join(B.computed))
    return files


def on_nav(nav, config, files):
    _call("check_nav", nav, files)
    return nav


@event_priority(100)  # before mkdocs-jupyter reads the notebook
def on_pre_page(page, config, files):
    _call("pre_page", page)
    return page


def on_page_markdown(markdown, page, config, files):
    return _call("markdown", markdown, page, config)


def on_page_content(html, page, config, files):
    return _call("content", html, page)


def on_post_page(output, page, config):
    return _call("post_page", output, page)


def on_post_build(config):
    log.info(_call("post_build", config.site_dir))
