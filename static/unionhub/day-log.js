// The day log's photo input: our Chinese button instead of the browser's, and what was chosen beside it.
(function () {
  "use strict";
  var input = document.getElementById("id_photos");
  var out = document.getElementById("photos-chosen");
  if (!input || !out) return;
  input.closest(".uh-daylog").classList.add("uh-js");
  function show() {
    var n = (input.files || []).length;
    out.textContent = n === 0 ? out.dataset.none : out.dataset.many + n;
  }
  input.addEventListener("change", show);
  show();
})();
