// ClearSignal demo site: a small stand-in for Meta's https://connect.facebook.net/en_US/fbevents.js, written for
// the offline demo. PageView goes out as an image GET to www.facebook.com/tr/, other events as a form POST, with
// the parameters the real pixel uses (id, ev, dl, rl, cd[...], ud[...]).
(function (w, d) {
  "use strict";
  var fbq = w.fbq;
  if (!fbq || fbq._standIn) return;
  fbq._standIn = true;
  var pixels = [];
  var userData = {};
  var fbp = (d.cookie.match(/(?:^|; )_fbp=([^;]*)/) || [])[1];
  if (!fbp) {
    fbp = "fb.1." + Date.now() + "." + Math.floor(Math.random() * 1e10);
    d.cookie = "_fbp=" + fbp + "; path=/; max-age=7776000; SameSite=Lax";
  }
  function params(id, eventName, data) {
    var p = new URLSearchParams();
    p.set("id", id); p.set("ev", eventName); p.set("dl", location.href); p.set("rl", d.referrer);
    p.set("if", "false"); p.set("ts", String(Date.now())); p.set("sw", String(screen.width)); p.set("fbp", fbp);
    Object.keys(data || {}).forEach(function (k) { p.set("cd[" + k + "]", String(data[k])); });
    Object.keys(userData).forEach(function (k) { p.set("ud[" + k + "]", userData[k]); });
    return p;
  }
  function track(eventName, data) {
    pixels.forEach(function (id) {
      var p = params(id, eventName, data);
      if (eventName === "PageView") {
        new Image().src = "https://www.facebook.com/tr/?" + p.toString();
      } else {
        fetch("https://www.facebook.com/tr/", { method: "POST", body: p, mode: "no-cors", keepalive: true })
          .catch(function () {});
      }
    });
  }
  function call(method, a, b, c) {
    if (method === "init") { pixels.push(a); Object.assign(userData, b || {}); }
    else if (method === "track" || method === "trackCustom") track(a, b);
    else if (method === "trackSingle") { var keep = pixels; pixels = [a]; track(b, c); pixels = keep; }
  }
  var queued = (fbq.queue || []).slice();
  fbq.callMethod = function () { call.apply(null, arguments); };
  queued.forEach(function (args) { call.apply(null, Array.prototype.slice.call(args)); });
})(window, document);
