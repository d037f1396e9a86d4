// The error summary of a refused public form: focus moves to it (a screen reader reads it, a phone scrolls to
// it), and each of its links puts the cursor in the field it names.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();
  summary.scrollIntoView({ block: "start" });
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var wrapper = field.closest("[data-field]") || field;
    wrapper.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
})();
