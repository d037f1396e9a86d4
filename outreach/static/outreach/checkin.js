/* The station manager's check-in page: the phone's camera (jsQR) or a typed code. Every scan gets an id made
   on this phone and is kept in localStorage until the server has answered it, so a scan made offline is sent
   when the network is back and a scan sent twice is counted once (the server keys scans by that id). */
(function () {
  "use strict";
  var main = document.getElementById("main");
  var url = main.getAttribute("data-scans-url");
  var key = "outreach-checkin-" + main.getAttribute("data-event");
  var text = JSON.parse(document.getElementById("checkin-text").textContent);
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var result = document.getElementById("result");
  var sending = false;
  var lastCode = "", lastAt = 0;

  function queue() { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(key, JSON.stringify(items)); document.getElementById("queued").textContent = items.length; }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }
  function show(kind, message) {
    result.className = "checkin-result is-" + kind;
    result.textContent = message;
    var item = document.createElement("li");
    item.textContent = new Date().toLocaleTimeString() + " " + message;
    var log = document.getElementById("log");
    log.insertBefore(item, log.firstChild);
    if (navigator.vibrate && kind !== "queued") { navigator.vibrate(kind === "ok" ? 80 : [60, 60, 60]); }
  }
  function send() {
    var items = queue();
    if (sending || !items.length) { return; }
    sending = true;
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({scans: items})
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (answer) {
      sending = false;
      if (!answer.ok) { show("refused", answer.body.error || text.refused); return; }
      var done = {};
      answer.body.answers.forEach(function (a) { done[a.id] = true; show(a.result, a.message); });
      save(queue().filter(function (s) { return !done[s.id]; }));
      document.getElementById("checked-in").textContent = answer.body.checked_in;
    }).catch(function () {
      sending = false;
      show("queued", text.queued);
    });
  }
  function scan(code) {
    code = (code || "").trim();
    if (!code) { return; }
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) { return; }  // the same code still in front of the camera
    lastCode = code; lastAt = now;
    var items = queue();
    items.push({id: newId(), code: code, at: new Date().toISOString()});
    save(items);
    send();
  }
  document.getElementById("manual").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("code");
    scan(input.value);
    input.value = "";
    input.focus();
  });
  document.getElementById("start-camera").addEventListener("click", function () {
    var video = document.getElementById("camera");
    var canvas = document.getElementById("frame");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) { show("refused", text.nocamera); return; }
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream; video.hidden = false; video.play();
      this.hidden = true;
      var context = canvas.getContext("2d", {willReadFrequently: true});
      (function tick() {
        if (video.readyState === video.HAVE_ENOUGH_DATA) {
          canvas.width = video.videoWidth; canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          var image = context.getImageData(0, 0, canvas.width, canvas.height);
          var found = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
          if (found && found.data) { scan(found.data); }
        }
        requestAnimationFrame(tick);
      })();
    }.bind(this)).catch(function () { show("refused", text.nocamera); });
  });
  window.addEventListener("online", send);
  setInterval(send, 15000);
  save(queue());
  send();
}());
