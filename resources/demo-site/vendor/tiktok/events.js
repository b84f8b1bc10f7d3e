// ClearSignal demo site: a small stand-in for TikTok's https://analytics.tiktok.com/i18n/pixel/events.js,
// written for the offline demo (TikTok's own script cannot be bundled or fetched). It sends requests shaped
// like the real pixel's (docs: research/tiktok-api.md 4.3) to analytics.tiktok.com. Offline those requests
// fail, but the scanner records them, bodies included, exactly as it would record the real ones.
(function (w, d) {
  "use strict";
  var name = w.TiktokAnalyticsObject || "ttq";
  var ttq = w[name];
  if (!ttq || ttq._standIn) return;
  ttq._standIn = true;
  var api = "https://analytics.tiktok.com/api/v2/pixel";
  var codes = Object.keys(ttq._i || {});
  var user = {};
  var index = 0;

  function random(n) { var s = ""; while (s.length < n) s += Math.floor(Math.random() * 1e9).toString(36); return s.slice(0, n); }
  function cookie(key) { var m = d.cookie.match(new RegExp("(?:^|; )" + key + "=([^;]*)")); return m ? m[1] : ""; }
  var ttp = cookie("_ttp");
  if (!ttp) {
    ttp = random(27);
    d.cookie = "_ttp=" + ttp + "; path=/; max-age=33696000; SameSite=Lax";
    d.cookie = "_tt_enable_cookie=1; path=/; max-age=33696000; SameSite=Lax";
  }
  var session = sessionStorage.getItem("tt_sessionId") || (random(8) + "-" + Date.now() + "::" + random(20));
  sessionStorage.setItem("tt_sessionId", session);
  var clickId = (location.search.match(/[?&]ttclid=([^&#]*)/) || [])[1] || "";

  function context(code) {
    return {
      ad: { callback: clickId ? decodeURIComponent(clickId) : "", jsb_status: 2, sdk_env: "external" },
      device: { platform: "pc" },
      index: index++,
      library: { name: "pixel.js", version: "2.2.1" },
      page: { load_progress: "2", referrer: d.referrer, url: location.href, title: d.title },
      pixel: { code: code, codes: code, runtime: "1" },
      session_id: session,
      user: Object.assign({ anonymous_id: ttp }, user),
      userAgent: navigator.userAgent,
      variation_id: "default"
    };
  }
  function labels() {
    return {
      hashed_email: { label: user.email ? "hashed" : "missing" },
      hashed_phone: { label: user.phone_number ? "hashed" : "missing" }
    };
  }
  // Explicit events go out with fetch (application/json); automatic clicks with sendBeacon (text/plain).
  function send(path, body, beacon) {
    var text = JSON.stringify(body);
    if (beacon && navigator.sendBeacon) { navigator.sendBeacon(api + path, text); return; }
    fetch(api + path, { method: "POST", body: text, keepalive: true, mode: "no-cors",
                        headers: { "Content-Type": "application/json" } }).catch(function () {});
  }
  function event(eventName, properties, options) {
    var targets = options && options.pixel_code ? [options.pixel_code] : codes;
    targets.forEach(function (code) {
      send("", {
        event: eventName, message_id: "messageId-" + Date.now() + "-" + random(13), event_id: (options && options.event_id) || "",
        is_onsite: false, timestamp: new Date().toISOString(), context: context(code), properties: properties || {},
        signal_diagnostic_labels: labels()
      }, false);
    });
  }
  var methods = {
    page: function () { event("Pageview", {}); },
    track: function (eventName, properties, options) { event(eventName, properties, options); },
    identify: function (fields) { Object.assign(user, fields || {}); },
    instance: function () { return methods; },
    load: function (code) { if (codes.indexOf(code) < 0) codes.push(code); },
    grantConsent: function () {}, holdConsent: function () {}, revokeConsent: function () {},
    enableCookie: function () {}, disableCookie: function () {}, ready: function (f) { if (f) f(); }
  };
  // Automatic interaction capture: every click on a button or link, with its text.
  d.addEventListener("click", function (e) {
    var el = e.target && e.target.closest ? e.target.closest("button, a, input[type=submit]") : null;
    if (!el) return;
    codes.forEach(function (code) {
      send("/act", {
        message_id: "messageId-" + Date.now() + "-" + random(13), event_id: "", is_onsite: false,
        timestamp: new Date().toISOString(), context: context(code), properties: {}, action: "Click",
        auto_collected_properties: { page_trigger: "Click", trigger_element: {
          tag: el.tagName, attributes: { id: el.id || "", class: el.className || "" },
          inner_text: (el.innerText || el.value || "").trim().slice(0, 120), num_child_buttons: 0 } },
        signal_diagnostic_labels: labels()
      }, true);
    });
  }, true);

  var queued = ttq.slice();
  ttq.length = 0;
  Object.keys(methods).forEach(function (m) { ttq[m] = methods[m]; });
  queued.forEach(function (call) { if (methods[call[0]]) methods[call[0]].apply(null, call.slice(1)); });
})(window, document);
