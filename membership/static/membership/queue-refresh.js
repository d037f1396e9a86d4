// The review queue refreshes itself, so that new applications and the time left show without a click.
// It waits while the reviewer is working on the list: a row ticked, a field focused or an action chosen.
(function () {
  "use strict";
  var holder = document.querySelector("[data-refresh-seconds]");
  if (!holder) return;
  var seconds = parseInt(holder.getAttribute("data-refresh-seconds"), 10) || 60;
  function busy() {
    if (document.hidden) return true;
    if (document.querySelector("#result_list input.action-select:checked, #action-toggle:checked")) return true;
    var active = document.activeElement;
    return !!(active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName));
  }
  window.setInterval(function () {
    if (!busy()) window.location.reload();
  }, seconds * 1000);
})();
