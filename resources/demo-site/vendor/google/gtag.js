// ClearSignal demo site: a small stand-in for https://www.googletagmanager.com/gtag/js, written for the offline
// demo. Events are batched: one POST to /g/collect with the shared parameters in the URL and one event per line
// of the body, as GA4 does.
(function (w, d) {
  "use strict";
  var dataLayer = w.dataLayer = w.dataLayer || [];
  var measurementId = "";
  var batch = [];
  var cid = (d.cookie.match(/(?:^|; )_ga=GA1\.1\.([^;]*)/) || [])[1];
  if (!cid) {
    cid = Math.floor(Math.random() * 1e9) + "." + Math.floor(Date.now() / 1000);
    d.cookie = "_ga=GA1.1." + cid + "; path=/; max-age=63072000; SameSite=Lax";
  }
  function flush() {
    if (!batch.length || !measurementId) return;
    var shared = new URLSearchParams({ v: "2", tid: measurementId, cid: cid, dl: location.href, dr: d.referrer,
                                       dt: d.title, sid: String(Math.floor(Date.now() / 1000)) });
    var body = batch.map(function (e) {
      var p = new URLSearchParams({ en: e.name });
      Object.keys(e.params || {}).forEach(function (k) {
        p.set((typeof e.params[k] === "number" ? "epn." : "ep.") + k, String(e.params[k]));
      });
      return p.toString();
    }).join("\n");
    batch = [];
    navigator.sendBeacon("https://region1.google-analytics.com/g/collect?" + shared.toString(), body);
  }
  function handle(args) {
    if (args[0] === "config") { measurementId = args[1]; batch.push({ name: "page_view" }); setTimeout(flush, 400); }
    else if (args[0] === "event") { batch.push({ name: args[1], params: args[2] }); setTimeout(flush, 400); }
  }
  dataLayer.forEach(function (args) { handle(args); });
  var push = dataLayer.push.bind(dataLayer);
  dataLayer.push = function (args) { handle(args); return push(args); };
  w.addEventListener("scroll", function once() {
    w.removeEventListener("scroll", once);
    batch.push({ name: "scroll", params: { percent_scrolled: 90 } });
    batch.push({ name: "user_engagement", params: { engagement_time_msec: 1200 } });
    setTimeout(flush, 300);
  });
})(window, document);
