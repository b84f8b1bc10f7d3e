// SPDX-License-Identifier: GPL-3.0-or-later
// Fills the page's forms with synthetic canary values and submits one, so the scanner can look for the values
// in everything the page sends. CLEARSIGNAL_CANARIES is replaced by a JSON object of canary values and
// CLEARSIGNAL_SITE by the scanned site's registrable domain. Never submits to another site.
(function (canary, site) {
  "use strict";
  const sameSite = url => {
    try {
      const host = new URL(url, location.href).hostname;
      return host === site || host.endsWith("." + site);
    } catch (e) { return false; }
  };
  const pick = input => {
    const hint = [input.type, input.name, input.id, input.autocomplete, input.placeholder,
                  (input.labels && input.labels[0] && input.labels[0].innerText) || ""].join(" ").toLowerCase();
    if (input.type === "email" || /e-?mail|correo/.test(hint)) return canary.email;
    if (input.type === "tel" || /phone|tel|mobile|cell|tel[eé]fono|celular/.test(hint)) return canary.phone;
    if (input.type === "date" || /birth|dob|nacimiento/.test(hint)) return canary.dob;
    if (/first|given|nombre/.test(hint) && !/last/.test(hint)) return canary.firstName;
    if (/last|family|surname|apellido/.test(hint)) return canary.lastName;
    if (/name/.test(hint)) return canary.firstName + " " + canary.lastName;
    if (/zip|postal/.test(hint)) return canary.zip;
    if (/address|street|direcci/.test(hint)) return canary.address;
    if (input.type === "number") return "3";
    return canary.text;
  };
  const result = { forms: document.forms.length, filled: 0, submitted: null, skipped: [] };
  for (const form of Array.from(document.forms)) {
    for (const el of Array.from(form.elements)) {
      if (el.disabled || el.type === "hidden" || el.type === "submit" || el.type === "button") continue;
      if (el.tagName === "SELECT") { if (el.options.length > 1) el.selectedIndex = 1; continue; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = true; continue; }
      if (el.tagName === "TEXTAREA") { el.value = canary.message; result.filled++; continue; }
      el.value = pick(el);
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
      result.filled++;
    }
  }
  for (const form of Array.from(document.forms)) {
    const action = form.getAttribute("action") || location.href;
    if (!sameSite(action)) { result.skipped.push("form posting to another site"); continue; }
    result.submitted = new URL(action, location.href).href;
    // A click, as a visitor would: trackers that listen for clicks and submits both see it.
    const button = form.querySelector("button:not([type=button]):not([type=reset]), input[type=submit]");
    if (button) button.click();
    else if (form.requestSubmit) form.requestSubmit();
    else form.submit();
    break;
  }
  return JSON.stringify(result);
})(CLEARSIGNAL_CANARIES, "CLEARSIGNAL_SITE");
