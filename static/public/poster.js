// The poster's print button (no inline onclick: the Content-Security-Policy forbids inline script).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("poster-print");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
});
