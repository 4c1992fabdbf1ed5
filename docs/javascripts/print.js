// Printing a chapter gives a revision sheet: every answer open, each worked solution cut to its key
// step (its first paragraph or list), checks and code left out. The page returns to how it was after.
(function () {
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = [];
    document.querySelectorAll("details.answer, details.solution, details.erratum, details.ambiguous, details.unclear")
      .forEach((box) => {
        if (!box.open) {
          box.open = true;
          opened.push(box);
        }
      });
  });
  window.addEventListener("afterprint", () => {
    opened.forEach((box) => { box.open = false; });
    opened = [];
  });
})();
