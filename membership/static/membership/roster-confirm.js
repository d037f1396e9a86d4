// The roster preview's confirm form: with rows in error, "all or nothing" would write nothing, so its button
// is disabled and says why; choosing "only the valid rows" enables it and says how many rows are left out.
(function () {
  "use strict";
  var form = document.getElementById("roster-confirm-form");
  if (!form) return;
  var button = form.querySelector("input[name=_confirm]");
  var why = document.getElementById("roster-confirm-why");
  var valid = document.getElementById("roster-confirm-valid");
  if (!button || !why || !valid || form.dataset.writes === "0") return;
  function update() {
    var mode = form.querySelector("input[name=mode]:checked");
    var all = !mode || mode.value === form.dataset.allOrNothing;
    button.disabled = all;
    why.hidden = !all;
    valid.hidden = all;
  }
  form.querySelectorAll("input[name=mode]").forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
