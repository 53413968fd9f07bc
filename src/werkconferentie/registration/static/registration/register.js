// "Your role, in your own words" only when "Other" is chosen. Without this script the field is simply always
// there (progressive enhancement); the server ignores it for any other role.
(function () {
  "use strict";
  var group = document.querySelector("[data-shown-for-role]");
  if (!group) return;
  var wanted = group.getAttribute("data-shown-for-role");
  var radios = document.querySelectorAll('input[name="role"]');
  function update() {
    var chosen = document.querySelector('input[name="role"]:checked');
    group.hidden = !(chosen && chosen.value === wanted);
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
