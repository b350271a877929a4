// Small accessibility fixes to the theme's and nbconvert's markup, re-applied after Material's
// instant navigation: a name for the search dialog, and keyboard focus for scrollable code cells.
(function () {
  function fix() {
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (e) {
      e.setAttribute("aria-label", "Search");
    });
    document.querySelectorAll(".jupyter-wrapper pre").forEach(function (e) {
      if (!e.hasAttribute("tabindex")) e.setAttribute("tabindex", "0");
    });
    // wide tables and equations scroll sideways: let the keyboard reach them
    document.querySelectorAll(".md-typeset__scrollwrap, .wrw-math").forEach(function (e) {
      if (e.scrollWidth > e.clientWidth + 1 && !e.hasAttribute("tabindex")) {
        e.setAttribute("tabindex", "0");
        e.setAttribute("role", "region");
        e.setAttribute("aria-label", e.classList.contains("wrw-math") ? "Equation (scrolls sideways)" : "Table (scrolls sideways)");
      }
    });
  }
  if (window.document$) window.document$.subscribe(fix);
  else document.addEventListener("DOMContentLoaded", fix);
})();
