/* The room screen: live.js keeps the answers current; this
   - shows only the top answers that fit whole on the screen (a projector shows no scroll bar), with a line saying
     how many more there are on the phones;
   - refreshes the word cloud from the board's cloud address at once when the answers change (a hidden answer's
     words leave at once), and every five seconds besides (Dutch lemmas and stop words are the server's work; 304
     when nothing changed). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("live-config").textContent);
  var texts = config.texts || {};
  var list = document.querySelector("[data-live-list]");
  var more = document.querySelector("[data-live-more]");
  var section = list && list.closest("section");

  function fit() {
    if (!list || !section) return;
    var items = Array.from(list.children);
    items.forEach(function (item) { item.hidden = false; });
    if (more) more.hidden = true;
    if (!window.matchMedia("(min-width: 50rem)").matches) return;  // a narrow window scrolls like a page
    // The section ends where the screen ends (the page does not scroll on a projector).
    var bottom = Math.min(section.getBoundingClientRect().bottom, window.innerHeight);
    var hidden = 0;
    for (var i = 0; i < items.length; i += 1) {
      // Room for the "more" line under the last whole answer, when answers are left out.
      var reserve = (more && i < items.length - 1) ? more.offsetHeight || 36 : 0;
      if (hidden || items[i].getBoundingClientRect().bottom > bottom - reserve) {
        if (i === 0) continue;  // the top answer always shows, cut if it must be
        items[i].hidden = true;
        hidden += 1;
      }
    }
    if (more && hidden) {
      more.textContent = (hidden === 1 ? texts.more_one : texts.more_many).replace("%(count)s", String(hidden));
      more.hidden = false;
    }
  }

  var cloud = document.querySelector("[data-live-cloud]");
  var etag = null, timer = null, soon = null;
  function refresh() {
    clearTimeout(timer);
    if (!cloud || !config.cloud) return;
    var headers = {Accept: "application/json"};
    if (etag) headers["If-None-Match"] = etag;
    fetch(config.cloud, {headers: headers}).then(function (response) {
      if (response.status === 304 || !response.ok) return null;
      etag = response.headers.get("ETag");
      return response.json();
    }).then(function (words) {
      if (!words) return;
      var fragment = document.createDocumentFragment();
      words.forEach(function (word) {
        var item = document.createElement("li");
        item.className = "live-cloud__word live-cloud__word--" + word.size;
        item.textContent = word.word;
        fragment.appendChild(item);
      });
      cloud.replaceChildren(fragment);
    }).catch(function () {}).finally(function () { clearTimeout(timer); timer = setTimeout(refresh, 5000); });
  }

  window.LiveScreen = {
    update: function () {
      fit();
      clearTimeout(soon);
      soon = setTimeout(refresh, 150);  // one request for a burst of changes
    },
  };
  window.addEventListener("resize", fit);
  fit();
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fit);
  timer = setTimeout(refresh, 5000);
})();
