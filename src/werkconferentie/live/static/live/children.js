// The children's page: a topic button puts its topic in front of the idea (served as a file: the site's
// Content-Security-Policy allows no inline script).
document.querySelectorAll("[data-pick]").forEach(function (button) {
  button.addEventListener("click", function () {
    var area = document.querySelector("textarea[name=text]");
    area.value = button.dataset.pick + ": " + area.value.replace(/^[^:]*: /, "");
    area.focus();
  });
});
