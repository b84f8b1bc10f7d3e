// SPDX-License-Identifier: GPL-3.0-or-later
// Finds a consent banner's accept or reject button by role and text and clicks it.
// CLEARSIGNAL_CHOICE is replaced by "accept" or "reject" before the script runs. Returns what it clicked.
(function (choice) {
  "use strict";
  const words = {
    accept: ["accept all", "accept", "allow all", "allow", "agree", "i agree", "ok", "got it", "yes",
             "aceptar todo", "aceptar", "acepto", "permitir"],
    reject: ["reject all", "reject", "decline all", "decline", "deny", "refuse", "no thanks", "necessary only",
             "only necessary", "essential only", "rechazar todo", "rechazar", "no acepto"]
  };
  const wanted = words[choice] || [];
  const candidates = Array.from(document.querySelectorAll(
    "button, [role=button], input[type=button], input[type=submit], a"));
  const label = el => (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().toLowerCase();
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  // Exact words first ("reject all"), then buttons whose text starts with one.
  for (const exact of [true, false]) {
    for (const word of wanted) {
      for (const el of candidates) {
        const text = label(el);
        if (!visible(el) || text.length > 40) continue;
        if (exact ? text === word : text.startsWith(word + " ")) {
          el.click();
          return JSON.stringify({ clicked: text });
        }
      }
    }
  }
  return JSON.stringify({ clicked: null });
})("CLEARSIGNAL_CHOICE");
