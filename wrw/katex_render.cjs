// Render TeX to HTML with the project's pinned KaTeX (node_modules/katex), for the build hook.
// Protocol: one JSON request per stdin line {"tex": "...", "display": bool};
// one JSON answer per stdout line {"html": "..."} or {"error": "..."}.
"use strict";
const path = require("path");
const katex = require(path.join(__dirname, "..", "node_modules", "katex"));
const readline = require("readline");
const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  let out;
  try {
    const req = JSON.parse(line);
    out = {
      html: katex.renderToString(req.tex, {
        displayMode: !!req.display,
        throwOnError: true,
        output: "htmlAndMathml",
        strict: "ignore",
      }),
    };
  } catch (e) {
    out = { error: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
});
