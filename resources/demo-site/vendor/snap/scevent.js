// ClearSignal demo site: a small stand-in for Snap's https://sc-static.net/scevent.min.js, written for the offline
// demo. Events go out as a form POST to tr.snapchat.com/p with pid, ev, pl (page URL) and rf (referrer).
(function (w, d) {
  "use strict";
  var snaptr = w.snaptr;
  if (!snaptr || snaptr._standIn) return;
  var pid = "";
  var scid = (d.cookie.match(/(?:^|; )_scid=([^;]*)/) || [])[1];
  if (!scid) {
    scid = Math.random().toString(36).slice(2) + Date.now().toString(36);
    d.cookie = "_scid=" + scid + "; path=/; max-age=33696000; SameSite=Lax";
  }
  function call(method, a) {
    if (method === "init") { pid = a; return; }
    if (method !== "track" || !pid) return;
    var p = new URLSearchParams({ pid: pid, ev: a, pl: location.href, rf: d.referrer, ts: String(Date.now()),
                                  u_c1: scid, v: "1.0" });
    fetch("https://tr.snapchat.com/p", { method: "POST", body: p, mode: "no-cors", keepalive: true }).catch(function () {});
  }
  var queued = (snaptr.queue || []).slice();
  w.snaptr = function () { call.apply(null, arguments); };
  w.snaptr._standIn = true;
  queued.forEach(function (args) { call.apply(null, Array.prototype.slice.call(args)); });
})(window, document);
