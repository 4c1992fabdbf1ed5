// MathJax 3 settings for pymdownx.arithmatex (generic mode), as the Material docs recommend;
// the script itself is served from this site (assets/mathjax), never from a CDN.
window.MathJax = {
  tex: {
    // \( \) and \[ \] come from arithmatex on the Markdown pages; $ and $$ from the notebooks' Markdown cells
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown"
  }
};

// Material's instant navigation swaps pages without reloading: typeset each new page.
if (typeof document$ !== "undefined") {
  document$.subscribe(() => {
    if (window.MathJax && MathJax.startup && MathJax.typesetPromise) {
      // SVG output has no clearCache() (that is the HTML output's); its font cache is clearFontCache().
      const output = MathJax.startup.output;
      if (output && typeof output.clearFontCache === "function") output.clearFontCache();
      MathJax.typesetClear();
      MathJax.texReset();
      MathJax.typesetPromise();
    }
  });
}
