// SPDX-License-Identifier: GPL-3.0-or-later
// Runs in a scanned page after it settled. Returns what the scanner needs, as a JSON string.
(function () {
  "use strict";
  const result = { title: document.title || "", links: [], forms: 0, ttqLoad: [], ttqQueue: [], accessToken: false,
                   local: {}, session: {}, cookieWrites: [] };
  try {
    for (const a of document.querySelectorAll("a[href], area[href]")) {
      if (result.links.length >= 2000) break;
      result.links.push(a.href);
    }
    result.forms = document.forms.length;
    const html = document.documentElement ? document.documentElement.outerHTML : "";
    // The TikTok base code: ttq.load('PIXELID') or ttq.load("PIXELID", {...})
    const load = /ttq\.load\(\s*['"]([A-Za-z0-9]{6,40})['"]/g;
    let m;
    while ((m = load.exec(html)) !== null && result.ttqLoad.length < 20) {
      if (!result.ttqLoad.includes(m[1])) result.ttqLoad.push(m[1]);
    }
    result.accessToken = /Access-Token['"]?\s*[:=]/i.test(html) || /business-api\.tiktok\.com\/open_api/i.test(html);
    // Calls queued in window.ttq while TikTok's own script could not load (the base code's stub queue).
    const ttq = window.ttq;
    if (ttq && Array.isArray(ttq)) {
      for (const call of ttq) {
        if (Array.isArray(call) && typeof call[0] === "string") result.ttqQueue.push(call[0]);
      }
      if (ttq._i) for (const id of Object.keys(ttq._i)) if (!result.ttqLoad.includes(id)) result.ttqLoad.push(id);
    }
    const copy = (store, target) => {
      for (let i = 0; i < Math.min(store.length, 200); ++i) {
        const key = store.key(i);
        target[key] = String(store.getItem(key)).slice(0, 4096);
      }
    };
    if (window.__clearsignalWatch) result.cookieWrites = window.__clearsignalWatch.cookieWrites.slice();
    try { copy(window.localStorage, result.local); } catch (e) {}
    try { copy(window.sessionStorage, result.session); } catch (e) {}
  } catch (e) {
    result.error = String(e);
  }
  return JSON.stringify(result);
})();
