// The larger-text switch (适老化): the choice is kept in localStorage and applied here, in <head>, before the
// first paint, so that a page never flashes small first. A file, not an inline script (the CSP forbids those).
(function () {
  var KEY = "uh-text-size";
  var root = document.documentElement;
  try {
    if (localStorage.getItem(KEY) === "large") root.classList.add("text-large");
  } catch (e) { /* storage blocked: the switch still works for this page */ }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("text-size-switch");
    if (!button) return;
    var show = function () { button.setAttribute("aria-pressed", root.classList.contains("text-large") ? "true" : "false"); };
    show();
    button.hidden = false;
    button.addEventListener("click", function () {
      var large = root.classList.toggle("text-large");
      try { localStorage.setItem(KEY, large ? "large" : "normal"); } catch (e) { /* not kept */ }
      show();
    });
  });
})();
