// ClearSignal demo site: a small stand-in for Pinterest's https://s.pinimg.com/ct/core.js, written for the offline
// demo. Events go out as an image GET to ct.pinterest.com/v3/ with tid, event, ed (event data) and ad (page).
(function (w, d) {
  "use strict";
  var pintrk = w.pintrk;
  if (!pintrk || pintrk._standIn) return;
  var tid = "";
  function call(method, a, b) {
    if (method === "load") { tid = a; return; }
    if ((method !== "page" && method !== "track") || !tid) return;
    var p = new URLSearchParams({ tid: tid, event: method === "page" ? "pagevisit" : a,
                                  ed: JSON.stringify(method === "page" ? {} : (b || {})),
                                  ad: JSON.stringify({ loc: location.href, ref: d.referrer }),
                                  cb: String(Date.now()) });
    new Image().src = "https://ct.pinterest.com/v3/?" + p.toString();
  }
  var queued = (pintrk.queue || []).slice();
  w.pintrk = function () { call.apply(null, arguments); };
  w.pintrk._standIn = true;
  queued.forEach(function (args) { call.apply(null, Array.prototype.slice.call(args)); });
})(window, document);
