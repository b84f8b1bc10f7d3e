// SPDX-License-Identifier: GPL-3.0-or-later
// Injected at document creation in every page the scanner loads. It records:
// - the names (never the values) of cookies scripts write, so each tracker cookie is attributed to the page
//   that set it, even with several pages loading in parallel in one profile;
// - how many short timers are pending, so the scanner waits for tag managers that inject pixels a few
//   seconds after the page loaded instead of guessing a fixed delay.
(function () {
  "use strict";
  if (window.__clearsignalWatch) return;
  const watch = { cookieWrites: [], pendingTimers: new Set() };
  Object.defineProperty(window, "__clearsignalWatch", { value: watch });

  const descriptor = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (descriptor && descriptor.set) {
    Object.defineProperty(Document.prototype, "cookie", {
      configurable: true,
      enumerable: descriptor.enumerable,
      get() { return descriptor.get.call(this); },
      set(value) {
        try {
          const name = String(value).split(";")[0].split("=")[0].trim();
          if (name && watch.cookieWrites.length < 500 && !watch.cookieWrites.includes(name))
            watch.cookieWrites.push(name);
        } catch (e) {}
        descriptor.set.call(this, value);
      }
    });
  }

  // Timers up to 4 s count as "the page is still about to do something"; longer ones do not hold a scan.
  const setTimeoutOriginal = window.setTimeout;
  const clearTimeoutOriginal = window.clearTimeout;
  window.setTimeout = function (handler, delay, ...rest) {
    if (typeof handler !== "function" || !(Number(delay) <= 4000))
      return setTimeoutOriginal.call(this, handler, delay, ...rest);
    const id = setTimeoutOriginal.call(this, function () {
      watch.pendingTimers.delete(id);
      return handler.apply(this, arguments);
    }, delay, ...rest);
    watch.pendingTimers.add(id);
    return id;
  };
  window.clearTimeout = function (id) {
    watch.pendingTimers.delete(id);
    return clearTimeoutOriginal.call(this, id);
  };
})();
