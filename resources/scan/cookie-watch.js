// SPDX-License-Identifier: GPL-3.0-or-later
// Injected at document creation in every page the scanner loads: records the names (never the values) of
// cookies scripts write, so each tracker cookie is attributed to the page that set it, even with several
// pages loading in parallel in one profile.
(function () {
  "use strict";
  const descriptor = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (!descriptor || !descriptor.set || window.__clearsignalCookieWrites) return;
  const writes = [];
  Object.defineProperty(window, "__clearsignalCookieWrites", { value: writes });
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true,
    enumerable: descriptor.enumerable,
    get() { return descriptor.get.call(this); },
    set(value) {
      try {
        const name = String(value).split(";")[0].split("=")[0].trim();
        if (name && writes.length < 500 && !writes.includes(name)) writes.push(name);
      } catch (e) {}
      descriptor.set.call(this, value);
    }
  });
})();
