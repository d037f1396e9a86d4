// Polls a running roster import's progress (the URL is in #roster-running's data-url) and reloads when done.
(function () {
  var box = document.getElementById("roster-running");
  if (!box) { return; }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      document.getElementById("roster-progress-text").textContent = data.progress;
      document.getElementById("roster-progress").value = data.progress;
      document.getElementById("roster-status").textContent = data.status_display;
      if (!data.running) { window.location.reload(); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
