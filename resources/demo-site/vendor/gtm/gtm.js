// ClearSignal demo site: a small stand-in for a Google Tag Manager container (https://www.googletagmanager.com/
// gtm.js?id=GTM-...). Like a real container it injects another vendor's pixel a few seconds after the page
// loaded, which only a scanner that waits for late scripts sees.
(function (w, d) {
  "use strict";
  var origin = new URL(d.currentScript.src).origin; // the container's own CDN
  setTimeout(function () {
    w.snaptr = w.snaptr || function () { (w.snaptr.queue = w.snaptr.queue || []).push(arguments); };
    w.snaptr("init", "0d4f8c1e-5a7b-4c3d-9e2f-1a2b3c4d5e6f");
    w.snaptr("track", "PAGE_VIEW");
    var s = d.createElement("script");
    s.async = true;
    s.src = origin + "/vendor/snap/scevent.js";
    d.head.appendChild(s);
  }, 2200);
})(window, document);
