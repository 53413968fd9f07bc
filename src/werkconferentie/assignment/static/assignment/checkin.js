// The check-in page's script: check in without reloading (so the camera keeps running), read badge QR codes
// with the camera, and keep the count of who is present up to date. Without it the page works with plain forms.
(function () {
  "use strict";
  var root = document.getElementById("content-main");
  if (!root || !root.dataset.checkinUrl || !window.fetch) return;
  var result = document.getElementById("wc-result");
  var count = document.getElementById("wc-count");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;

  function setCount(data) {
    if (typeof data.present !== "number") return;
    var text = root.dataset.countText.replace("__present__", data.present).replace("__expected__", data.expected);
    if (count.textContent !== text) count.textContent = text;
  }

  function show(data) {
    result.className = "wc-result wc-" + data.status;
    result.textContent = data.message;
    setCount(data);
  }

  function post(body) {
    body.set("csrfmiddlewaretoken", csrf);
    return fetch(root.dataset.checkinUrl, {
      method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) { return response.json(); })
      .catch(function () { return { status: "error", message: root.dataset.errorText }; })
      .then(function (data) { show(data); return data; });
  }

  // Typed codes (also from a hand scanner that types like a keyboard) and the "Check in" buttons of the search.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-checkin-form")) return;
    event.preventDefault();
    post(new FormData(form)).then(function (data) {
      if ((data.status === "checked_in" || data.status === "already") && form.querySelector("[name=registration]")) {
        var done = document.createElement("span");
        done.className = "wc-in";
        done.textContent = root.dataset.inText.replace("__time__", data.checked_in_at);
        // The pressed button is gone: keep the keyboard focus at its place (the result above says what happened).
        done.tabIndex = -1;
        form.replaceWith(done);
        done.focus();
        return;
      }
      var token = form.querySelector("[name=token]");
      if (token) { token.value = ""; token.focus(); }
    });
  });

  // The count of who is present, also when others check people in on other phones.
  setInterval(function () {
    if (document.hidden) return;
    fetch(root.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(setCount, function () {});
  }, 5000);

  // The camera: BarcodeDetector where the browser has it, else the vendored jsQR on a canvas.
  var scanner = document.getElementById("wc-scanner");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  scanner.hidden = false;
  var video = document.getElementById("wc-video");
  var start = document.getElementById("wc-camera-start");
  var stop = document.getElementById("wc-camera-stop");
  var stream = null, detect = null, busy = false, last = "", lastAt = 0;

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve(window.jsQR);
      var script = document.createElement("script");
      script.src = root.dataset.jsqrUrl;
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function makeDetector() {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") < 0) throw new Error("no qr_code");
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function () {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
        };
      }).catch(function () { return jsQRDetector(); });
    }
    return jsQRDetector();
  }

  function jsQRDetector() {
    return loadJsQR().then(function (jsQR) {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        var width = video.videoWidth, height = video.videoHeight;
        if (!width) return Promise.resolve("");
        var scale = Math.min(1, 640 / width);
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(code ? code.data : "");
      };
    });
  }

  function tick() {
    if (!stream) return;
    if (busy || video.readyState < 2) { setTimeout(tick, 200); return; }
    busy = true;
    detect().then(function (value) {
      // The same badge held in front of the camera is sent once, not on every frame.
      var now = Date.now();
      if (value && (value !== last || now - lastAt > 5000)) {
        last = value; lastAt = now;
        var body = new FormData();
        body.set("token", value);
        return post(body);
      }
    }).catch(function () {}).then(function () { busy = false; setTimeout(tick, 250); });
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true; stop.hidden = true; start.hidden = false;
    start.focus();
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false; stop.hidden = false; start.hidden = true;
        return video.play().then(makeDetector).then(function (detector) { detect = detector; tick(); stop.focus(); });
      })
      .catch(function () {
        stopCamera();
        show({ status: "error", message: root.dataset.cameraErrorText });
      });
  });
  stop.addEventListener("click", stopCamera);
})();
