// Typeset the math of notebook pages with the self-hosted KaTeX. Markdown pages are typeset at
// build time and load no math script: this loader fetches KaTeX only when the page holds a
// notebook, on first load and after Material's instant navigation.
(function () {
  var base = document.currentScript.src.replace(/notebook-math\.js(\?.*)?$/, "katex/");
  var loading = null;
  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "katex.min.css";
      document.head.appendChild(css);
      var s = document.createElement("script");
      s.src = base + "katex.min.js";
      s.onload = function () {
        var a = document.createElement("script");
        a.src = base + "contrib/auto-render.min.js";
        a.onload = resolve;
        a.onerror = reject;
        document.head.appendChild(a);
      };
      s.onerror = reject;
      document.head.appendChild(s);
    });
    return loading;
  }
  function typeset() {
    var roots = document.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown");
    if (!roots.length) return;
    load().then(function () {
      roots.forEach(function (root) {
        window.renderMathInElement(root, {
          delimiters: [
            { left: "$$", right: "$$", display: true },
            { left: "\\[", right: "\\]", display: true },
            { left: "$", right: "$", display: false },
            { left: "\\(", right: "\\)", display: false },
          ],
          throwOnError: false,
        });
      });
      document.body.setAttribute("data-math", "typeset");
    });
  }
  if (window.document$) window.document$.subscribe(typeset);
  else document.addEventListener("DOMContentLoaded", typeset);
})();
