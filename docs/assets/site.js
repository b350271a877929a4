// Small accessibility fixes to the theme's and nbconvert's markup, re-applied after Material's
// instant navigation: a name for the search dialog, and keyboard focus for scrollable code cells.
(function () {
  function fix() {
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (e) {
      e.setAttribute("aria-label", "Search");
    });
    document.querySelectorAll(".jupyter-wrapper .highlight-ipynb, .jupyter-wrapper .jp-OutputArea-output pre").forEach(function (e) {
      if (!e.hasAttribute("tabindex")) e.setAttribute("tabindex", "0");
    });
  }
  if (window.document$) window.document$.subscribe(fix);
  else document.addEventListener("DOMContentLoaded", fix);
})();
