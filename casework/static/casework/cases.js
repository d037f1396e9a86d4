// The file picker on the request form: the chosen files' names under our own (Chinese) button.
(function () {
  document.querySelectorAll(".files-field input[type=file]").forEach(function (input) {
    var out = document.getElementById(input.name + "-chosen");
    function show() {
      var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      out.textContent = names.length === 0 ? out.dataset.none
        : names.length === 1 ? names[0] : out.dataset.many.replace("%(n)s", names.length) + "：" + names.join("、");
    }
    input.addEventListener("change", show);
    show();
  });
})();
