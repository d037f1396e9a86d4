// The one job progress display: polls the job's progress endpoint while it runs, moves the bar and the
// figures, and reloads the page when the job has ended (so the page shows the outcome).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.active !== "1") { return; }
  var bar = document.getElementById("job-progress-bar");
  var status = document.getElementById("job-status");
  var stage = document.getElementById("job-stage");
  var count = document.getElementById("job-count");
  function show(data) {
    if (data.percent !== null && data.percent !== undefined) { bar.value = data.percent; }
    if (data.status_display) { status.textContent = data.status_display; }
    stage.textContent = data.stage || "";
    count.textContent = data.total ? data.done + " / " + data.total : (data.done ? String(data.done) : "");
    box.dataset.status = data.status || "";
  }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        show(data);
        if (data.active || data.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
