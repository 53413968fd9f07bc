/* The room screen: live.js keeps the answers current; this refreshes the word cloud every five seconds from
   the board's cloud address (Dutch lemmas and stop words are the server's work; 304 when nothing changed). */
(function () {
  "use strict";
  var cloud = document.querySelector("[data-live-cloud]");
  var config = JSON.parse(document.getElementById("live-config").textContent);
  if (!cloud || !config.cloud) return;
  var etag = null;
  function refresh() {
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
    }).catch(function () {}).finally(function () { setTimeout(refresh, 5000); });
  }
  setTimeout(refresh, 5000);
})();
