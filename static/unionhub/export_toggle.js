// Binds django-import-export's "select all" toggle (its template had an inline onchange handler).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", function (event) { onSelectToggleChange(event); });
  });
});
