/* What the phone page, the room screen and the console share (loaded before live.js and console.js):
   - LiveFeed({stream, poll, onSnapshot(data), onUpdate(data), interval}): the live feed of a board, server-sent
     events first; polling with ETags when the server refuses a stream (204 under a WSGI-only server) or it keeps
     failing;
   - Live.format, Live.el (elements with their text set as text, never as HTML), Live.request (JSON with the
     session's CSRF token). */
(function () {
  "use strict";
  window.Live = {
    // The text to show for an API problem ({code, detail, errors}); never an object printed as "[object Object]".
    problemMessage: function (data, fallback) {
      if (data && typeof data.detail === "string" && data.detail) return data.detail;
      if (data && Array.isArray(data.errors)) {
        var messages = data.errors.map(function (e) { return e && typeof e.msg === "string" ? e.msg : ""; });
        messages = messages.filter(Boolean);
        if (messages.length) return messages.join(" ");
      }
      return fallback;
    },
    // The field a problem is about ("municipality"), when the API says so.
    problemField: function (data) {
      if (data && data.code === "unknown_municipality") return "municipality";
      if (data && Array.isArray(data.errors) && data.errors.length && data.errors[0]) return data.errors[0].field || "";
      return "";
    },
    format: function (template, values) {
      return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
    },
    el: function (tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    },
    request: function (method, path, csrf, body) {
      return fetch(path, {
        method: method,
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json"},
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
  };

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
