// Why Random Weights: small fixes and aids on top of the theme, re-applied after Material's
// instant navigation (document$). No network, no dependency.
// - accessibility: a name for the search dialog, keyboard focus for scrollable code cells;
// - wide tables and equations: a visible "scrolls sideways" cue (class wrw-scrolls + a hint);
// - numbers (a.wrw-value): a tap on a touch screen opens a popover (value, claim, ledger link)
//   instead of leaving the page; the ✓ after the sentence still goes to the ledger;
// - "copy a Markdown link" to a section, a figure or a number.
(function () {
  "use strict";

  function pageUrl() {
    var c = document.querySelector('link[rel="canonical"]');
    var u = c ? c.href : location.href;
    return u.split("#")[0];
  }

  function copy(text, button) {
    function done() {
      if (!button) return;
      var old = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", old);
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = old; }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var t = document.createElement("textarea");
    t.value = text; t.setAttribute("readonly", ""); t.style.position = "fixed"; t.style.opacity = "0";
    document.body.appendChild(t); t.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    t.remove();
  }
  function mdEscape(s) { return s.replace(/[\[\]]/g, "\\$&").replace(/\s+/g, " ").trim(); }
  function copyButton(label, title, markdown) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "wrw-copy"; b.textContent = label; b.title = title;
    b.setAttribute("aria-label", label + ": " + title.replace(/^Copy a /, "a "));
    b.addEventListener("click", function (ev) { ev.preventDefault(); ev.stopPropagation(); copy(markdown(), b); });
    return b;
  }

  // -- scroll cues ---------------------------------------------------------------------------
  // Material wraps each table in .md-typeset__scrollwrap, which scrolls; a display equation
  // (.wrw-math) scrolls itself. One that is wider than its box gets data-wrw-scrolls (the CSS
  // draws edge shadows and keeps a table's first column in view) and, for a table, a hint line.
  function scrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap, .wrw-math").forEach(function (e) {
      var scrolls = e.scrollWidth > e.clientWidth + 1;
      var isTable = e.classList.contains("md-typeset__scrollwrap");
      e.toggleAttribute("data-wrw-scrolls", scrolls);
      var prev = e.previousElementSibling;
      var hint = prev && prev.classList.contains("wrw-scroll-hint") ? prev : null;
      if (scrolls) {
        if (!e.hasAttribute("tabindex")) {
          e.setAttribute("tabindex", "0");
          e.setAttribute("role", "region");
          e.setAttribute("aria-label", isTable ? "Table (scrolls sideways)" : "Equation (scrolls sideways)");
        }
        if (!hint && isTable) {
          hint = document.createElement("p");
          hint.className = "wrw-scroll-hint";
          hint.setAttribute("aria-hidden", "true");
          hint.textContent = "\u21c6 The table scrolls sideways; its first column stays in view.";
          e.parentNode.insertBefore(hint, e);
        }
      } else if (hint) {
        hint.remove();
      }
    });
  }

  // -- copy a Markdown link ------------------------------------------------------------------
  function linkButtons() {
    var content = document.querySelector(".md-content article");
    if (!content) return;
    content.querySelectorAll("h2[id], h3[id]").forEach(function (h) {
      if (h.querySelector(".wrw-copy")) return;
      var title = function () {
        var c = h.cloneNode(true);
        c.querySelectorAll(".headerlink, .wrw-copy").forEach(function (x) { x.remove(); });
        return mdEscape(c.textContent);
      };
      h.appendChild(copyButton("Copy link", "Copy a Markdown link to this section", function () {
        return "[" + title() + " · " + mdEscape(document.title) + "](" + pageUrl() + "#" + h.id + ")";
      }));
    });
    content.querySelectorAll("figure.wrw-figure[id] figcaption").forEach(function (cap) {
      if (cap.querySelector(".wrw-copy")) return;
      var fig = cap.parentNode;
      cap.appendChild(copyButton("Copy link", "Copy a Markdown link to this figure", function () {
        var num = cap.querySelector(".wrw-fignum");
        return "[" + mdEscape((num ? num.textContent : "Figure") + " " + document.title) + "](" + pageUrl() + "#" + fig.id + ")";
      }));
    });
  }

  // -- numbers: a popover instead of navigation on touch --------------------------------------
  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || "mouse"; }, true);
  var pop = null;
  function closePop() { if (pop) { pop.remove(); pop = null; } }
  function claimOf(a) {
    var href = a.getAttribute("href") || "";
    return decodeURIComponent(href.split("#")[1] || "");
  }
  function openPop(a) {
    closePop();
    var cid = claimOf(a);
    var statement = (a.getAttribute("data-statement") || a.getAttribute("title") || "")
      .replace(/^Measured in this build:\s*/, "");
    pop = document.createElement("div");
    pop.className = "wrw-pop md-typeset";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-label", "About this number");
    var v = document.createElement("p");
    v.innerHTML = "<strong></strong> measured in this build";
    v.firstChild.textContent = a.textContent;
    var c = document.createElement("p");
    c.innerHTML = "Claim <code></code>: <span></span>";
    c.querySelector("code").textContent = cid;
    c.querySelector("span").textContent = statement;
    pop.appendChild(v); pop.appendChild(c);
    var test = a.getAttribute("data-test");
    if (test) {
      var t = document.createElement("p");
      t.innerHTML = "Tested by <code></code>";
      t.querySelector("code").textContent = test;
      pop.appendChild(t);
    }
    var row = document.createElement("p");
    var l = document.createElement("a");
    l.href = a.href; l.textContent = "Its row in the claims ledger \u2192";
    row.appendChild(l);
    var claimAnchor = document.getElementById("claim-ref-" + cid);
    row.appendChild(copyButton("Copy link", "Copy a Markdown link to this number", function () {
      return "[" + mdEscape(a.textContent) + "](" + pageUrl() + (claimAnchor ? "#claim-ref-" + cid : "") + ")";
    }));
    pop.appendChild(row);
    var close = document.createElement("button");
    close.type = "button"; close.className = "wrw-pop-close"; close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", closePop);
    pop.appendChild(close);
    document.body.appendChild(pop);
    var r = a.getBoundingClientRect();
    var w = Math.min(320, document.documentElement.clientWidth - 16);
    pop.style.width = w + "px";
    pop.style.left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - w - 8)) + "px";
    pop.style.top = (r.bottom + window.scrollY + 6) + "px";
    close.focus({ preventScroll: true });
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.wrw-value") : null;
    if (a) {
      var touch = lastPointer === "touch" || lastPointer === "pen" || window.matchMedia("(hover: none)").matches;
      if (touch) { e.preventDefault(); openPop(a); return; }
    }
    if (pop && !pop.contains(e.target)) closePop();
  }, true);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") closePop(); });

  function fix() {
    closePop();
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (e) {
      e.setAttribute("aria-label", "Search");
    });
    document.querySelectorAll(".jupyter-wrapper pre").forEach(function (e) {
      if (!e.hasAttribute("tabindex")) e.setAttribute("tabindex", "0");
    });
    scrollers();
    linkButtons();
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(scrollers, 150);
  });
  if (window.document$) window.document$.subscribe(fix);
  else document.addEventListener("DOMContentLoaded", fix);
})();
