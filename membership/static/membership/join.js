// The join form: when the worker picks a county, offer only that county's unions. Works without it too.
(function () {
  "use strict";
  var county = document.getElementById("id_county");
  var union = document.getElementById("id_union");
  if (!county || !union) return;
  function filter() {
    var name = county.selectedIndex > 0 ? county.options[county.selectedIndex].text : "";
    var groups = union.getElementsByTagName("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var show = !name || groups[i].label === name;
      groups[i].hidden = !show;
      groups[i].disabled = !show;
      if (!show && union.selectedOptions.length && union.selectedOptions[0].parentNode === groups[i]) {
        union.value = "";
      }
    }
  }
  county.addEventListener("change", filter);
  filter();
})();
