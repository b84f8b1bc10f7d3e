// SPDX-License-Identifier: GPL-3.0-or-later
// Injected at document creation in every frame of a Global Privacy Control scan.
Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true, configurable: true });
