// Lakeside Skin & Wellness (ClearSignal demo site): the consent banner and the booking form.
// Planted problems, on purpose: the banner only governs the Pinterest tag; the TikTok, Meta, Google and
// tag-manager tags in the pages run whatever the visitor chooses, and Global Privacy Control is ignored.
(function (w, d) {
  "use strict";
  var thirdParty = d.currentScript.getAttribute("data-vendor-origin");

  function loadPinterest() {
    w.pintrk = function () { (w.pintrk.queue = w.pintrk.queue || []).push(arguments); };
    w.pintrk("load", "2612345678901");
    w.pintrk("page");
    var s = d.createElement("script");
    s.async = true;
    s.src = thirdParty + "/vendor/pinterest/core.js";
    d.head.appendChild(s);
  }

  function showBanner() {
    var banner = d.createElement("div");
    banner.id = "consent-banner";
    banner.setAttribute("role", "dialog");
    banner.setAttribute("aria-label", "Cookie consent");
    banner.innerHTML = "<p>We use cookies for advertising and to measure our campaigns.</p>" +
      "<button type='button' id='consent-accept'>Accept all</button> " +
      "<button type='button' id='consent-reject'>Reject all</button>";
    d.body.appendChild(banner);
    d.getElementById("consent-accept").addEventListener("click", function () {
      localStorage.setItem("lakeside-consent", "accepted");
      banner.remove();
      loadPinterest();
    });
    d.getElementById("consent-reject").addEventListener("click", function () {
      localStorage.setItem("lakeside-consent", "rejected");
      banner.remove();
    });
  }

  async function sha256(text) {
    var bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(bytes)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  // TikTok advanced matching on the booking form: hashed email and phone go to TikTok with the booking event.
  function wireBookingForm() {
    var form = d.getElementById("booking-form");
    if (!form) return;
    form.addEventListener("submit", async function (event) {
      if (form.dataset.sent) return;
      event.preventDefault();
      var email = form.elements.email.value.trim().toLowerCase();
      var phone = form.elements.phone.value.replace(/[^0-9+]/g, "");
      if (w.ttq) {
        w.ttq.identify({ email: await sha256(email), phone_number: await sha256(phone) });
        w.ttq.track("BookedGLP1Consultation", { content_name: form.elements.service.value });
      }
      form.dataset.sent = "1";
      setTimeout(function () { form.submit(); }, 500);
    });
  }

  d.addEventListener("DOMContentLoaded", function () {
    var choice = localStorage.getItem("lakeside-consent");
    if (choice === "accepted") loadPinterest();
    else if (!choice) showBanner();
    wireBookingForm();
  });
})(window, document);
