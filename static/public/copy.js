// A "copy" button beside each reference number ([data-copy]): older workers need not retype it.
(function () {
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }
  document.querySelectorAll("[data-copy]").forEach(function (el) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-secondary copy-button";
    var label = el.getAttribute("data-copy-label") || "复制";
    var done = el.getAttribute("data-copied-label") || "已复制";
    button.textContent = label;
    button.addEventListener("click", function () {
      copy(el.getAttribute("data-copy")).then(function () {
        button.textContent = done;
        button.setAttribute("data-copied", "true");
        setTimeout(function () { button.textContent = label; }, 2500);
      });
    });
    el.insertAdjacentElement("afterend", button);
  });
})();
