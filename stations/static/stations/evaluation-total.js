// The evaluation form's running total: the sum of the scores entered so far, the maximum, and the star level
// that total leads to under the scheme's thresholds (read from data-thresholds), updated while scoring.
(function () {
  "use strict";
  var box = document.getElementById("evaluation-running-total");
  if (!box) return;
  var thresholds = (box.getAttribute("data-thresholds") || "").split(",").filter(Boolean).map(Number);
  var inputs = document.querySelectorAll("input[name^='scores-'][name$='-score']");
  var totalEl = box.querySelector("[data-total]");
  var starsEl = box.querySelector("[data-stars]");
  var leftEl = box.querySelector("[data-unscored]");
  function update() {
    var total = 0, unscored = 0;
    inputs.forEach(function (input) {
      var value = parseFloat(input.value);
      if (isNaN(value)) unscored += 1; else total += value;
    });
    var stars = 0;
    thresholds.forEach(function (minimum, i) { if (total >= minimum) stars = i + 1; });
    totalEl.textContent = (Math.round(total * 10) / 10).toString();
    starsEl.textContent = stars ? "★".repeat(stars) : box.getAttribute("data-no-star");
    leftEl.textContent = unscored.toString();
    leftEl.parentNode.hidden = unscored === 0;
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
})();
