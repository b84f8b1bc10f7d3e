/* ClearSignal collector (served by the relay at /cs.js). SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On the site:
 *   <script src="https://relay.clinic.example/cs.js" data-key="INGEST_KEY" async></script>
 *   <script>window.clearsignal = window.clearsignal || {q: []};
 *     clearsignal.track = clearsignal.track || function () { clearsignal.q.push(["track", arguments]); };
 *     clearsignal.consent = clearsignal.consent || function () { clearsignal.q.push(["consent", arguments]); };
 *   </script>
 *   clearsignal.track("Lead", {value: 150, currency: "USD"});
 *   clearsignal.consent(true, "banner");   // after the visitor accepted ads in the banner; false withdraws
 *
 * It sends only to the relay it was loaded from and loads nothing else. Its visitor id and the TikTok click id
 * (ttclid) of the landing page are kept in first-party cookies. With Global Privacy Control on, it sends no
 * events at all. The relay still decides consent on its side: this script's view is never trusted.
 */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-key][src*='cs.js']");
  if (!script || !script.getAttribute("data-key")) return;
  var key = script.getAttribute("data-key");
  var relay = new URL(script.src, location.href).origin;
  var gpc = navigator.globalPrivacyControl === true;
  var day = 86400;

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    try {
      return match ? decodeURIComponent(match[1]) : "";
    } catch (e) {
      return ""; // a cookie someone else wrote badly is ignored, not fatal
    }
  }
  function setCookie(name, value, seconds) {
    document.cookie = name + "=" + encodeURIComponent(value) + "; Max-Age=" + seconds + "; Path=/; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }
  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  var visitor = cookie("cs_vid");
  if (!visitor) visitor = randomId();
  setCookie("cs_vid", visitor, 390 * day);
  var clickId = new URLSearchParams(location.search).get("ttclid");
  if (clickId) setCookie("cs_ttclid", clickId, 7 * day); // TikTok's attribution window for a click
  clickId = cookie("cs_ttclid");

  function post(path, body) {
    var url = relay + path + "?key=" + encodeURIComponent(key);
    var text = JSON.stringify(body);
    // text/plain keeps the beacon a "simple" request: no preflight, and it survives the page unloading.
    if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([text], {type: "text/plain"}))) return;
    if (window.fetch) {
      fetch(url, {method: "POST", body: text, keepalive: true, credentials: "omit",
                  headers: {"Content-Type": "text/plain"}}).catch(function () {});
    }
  }

  function track(name, properties, options) {
    if (gpc || typeof name !== "string" || !name) return;
    options = options || {};
    var event = {
      event: name,
      event_id: options.event_id || randomId(),
      event_time: Math.floor(Date.now() / 1000),
      visitor_id: visitor,
      page: {url: location.href, referrer: document.referrer, title: document.title},
      user: {user_agent: navigator.userAgent, locale: navigator.language}
    };
    if (clickId) event.user.ttclid = clickId;
    var user = options.user || {};
    for (var field in user) if (Object.prototype.hasOwnProperty.call(user, field)) event.user[field] = user[field];
    if (properties) event.properties = properties;
    post("/v1/events", event);
    return event.event_id;
  }

  // A consent answer must reach the relay: it is kept in a first-party cookie until the relay confirms it, and
  // sent again on the next page if it was lost (a withdrawal that never arrived would keep events flowing).
  function sendConsent(answer) {
    var url = relay + "/v1/consent?key=" + encodeURIComponent(key);
    var text = JSON.stringify(answer);
    if (!window.fetch) {
      if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([text], {type: "text/plain"})))
        setCookie("cs_consent", "", 0);
      return;
    }
    fetch(url, {method: "POST", body: text, keepalive: true, credentials: "omit",
                headers: {"Content-Type": "text/plain"}}).then(function (response) {
      if (response.status === 204) setCookie("cs_consent", "", 0);
    }).catch(function () {});
  }

  function consent(ads, source) {
    var answer = {visitor_id: visitor, ads: ads === true && !gpc, source: source || "banner",
                  timestamp: Math.floor(Date.now() / 1000)};
    setCookie("cs_consent", JSON.stringify(answer), 390 * day);
    sendConsent(answer);
  }

  var unconfirmed = cookie("cs_consent");
  if (unconfirmed) {
    try {
      sendConsent(JSON.parse(unconfirmed));
    } catch (e) {
      setCookie("cs_consent", "", 0);
    }
  }

  var queued = (window.clearsignal && window.clearsignal.q) || [];
  window.clearsignal = {track: track, consent: consent, visitorId: function () { return visitor; }, q: []};
  queued.forEach(function (call) {
    (call[0] === "consent" ? consent : track).apply(null, Array.prototype.slice.call(call[1]));
  });
})();
