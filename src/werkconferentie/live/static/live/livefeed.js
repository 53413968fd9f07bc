/* The live feed of a board, for the phone page, the room screen and the console: server-sent events first;
   polling with ETags when the server refuses a stream (204 under a WSGI-only server) or it keeps failing.
   LiveFeed({stream, poll, onSnapshot(data), onUpdate(data), interval}). */
(function () {
  "use strict";
  window.LiveFeed = function (options) {
    var source = null, etag = null, failures = 0, polling = false;
    function poll() {
      var headers = {Accept: "application/json"};
      if (etag) headers["If-None-Match"] = etag;
      fetch(options.poll, {headers: headers, credentials: "same-origin"}).then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error(response.status);
        etag = response.headers.get("ETag");
        return response.json();
      }).then(function (data) { if (data) options.onSnapshot(data); })
        .catch(function () {})
        .finally(function () { setTimeout(poll, options.interval || 2000); });
    }
    function startPolling() {
      if (polling) return;
      polling = true;
      if (source) source.close();
      poll();
    }
    if (!window.EventSource) { startPolling(); return; }
    source = new EventSource(options.stream);
    source.addEventListener("snapshot", function (event) { failures = 0; options.onSnapshot(JSON.parse(event.data)); });
    source.addEventListener("update", function (event) { failures = 0; options.onUpdate(JSON.parse(event.data)); });
    source.onerror = function () {
      // CLOSED: the server said no stream here (204); otherwise EventSource reconnects by itself.
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures > 5) startPolling();
    };
  };
})();
