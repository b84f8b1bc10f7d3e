#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Deterministic generator of the cs-event/1 sanitizer test corpus.

Writes, next to this script:
  <template>.ndjson           realistic events of one vertical (med-spa, dermatology, ...)
  <template>.expect.json      expected decision per line under resources/templates/<template>.json
  mixed.ndjson                the six corpora concatenated in the order of TEMPLATES
  mixed.permissive.expect.json  expectations for mixed.ndjson under tests/data/rules/permissive-keep.json
and tests/data/rules/permissive-keep.json (telehealth template with every keepable field kept).

Python 3 standard library only, no network, fixed seed: running it twice gives identical bytes.

Every event is written together with annotations of where PHI was planted (event name, URL host/path/
query/fragment, referrer, title, properties, form, user fields, ...).  The expected decision is derived
from those annotations and the field policies of the rule set.  A small reference model of the
sanitizer (time window, standard names, mappings, field policies, ttclid handling) and a conservative
reference PHI scanner then cross-check every expectation:
  * quarantine: the scanner must find PHI exactly in the annotated kept fields;
  * forward / drop: nothing the rule set keeps may contain a health term (matched as a bare substring,
    plus a list of softer health words), a long digit run, an '@', or an identifier pattern;
  * no needle of any event may occur in the modelled forwarded output of any event of the same file.
The generator stops with an error when a check fails, so the files it writes are consistent.

Usage: python3 tests/data/corpus/make_corpus.py   (from anywhere)
"""

import base64
import datetime
import hashlib
import json
import os
import random
import re
import sys
import urllib.parse

SEED = 20261122
NOW = 1795305600  # 2026-11-22T00:00:00Z, the --now used by the tests
DAY = 86400

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
TEMPLATES = ["med-spa", "dermatology", "glp1-clinic", "dental", "mental-health", "telehealth"]
PERMISSIVE_REL = "tests/data/rules/permissive-keep.json"

STANDARD_EVENTS = [
    "AddPaymentInfo", "AddToCart", "AddToWishlist", "ApplicationApproval", "CompleteRegistration", "Contact",
    "CustomizeProduct", "Download", "FindLocation", "InitiateCheckout", "Lead", "Purchase", "Schedule", "Search",
    "StartTrial", "SubmitApplication", "Subscribe", "ViewContent", "SubmitForm", "ClickButton", "CompletePayment",
    "PlaceAnOrder", "Pageview",
]
STANDARD_LOWER = {n.lower(): n for n in STANDARD_EVENTS}

# Fields the permissive test rules switch from drop to keep (everything else as in telehealth.json).
PERMISSIVE_KEEP = [
    "page.url", "page.referrer", "properties.content_type", "properties.content_name",
    "properties.content_category", "properties.content_ids", "properties.contents", "properties.num_items",
    "properties.query", "properties.search_string", "properties.description", "properties.order_id",
    "properties.shop_id",
]
PROPERTY_FIELDS = ["value", "currency", "content_type", "content_name", "content_category", "content_ids",
                   "contents", "num_items", "query", "search_string", "description", "order_id", "shop_id"]
CLICK_ID_PARAMS = {"ttclid", "fbclid", "gclid", "msclkid"}

# --------------------------------------------------------------------------------------------------
# Reference lexicon (for the cross-checks only; the real lexicon lives in resources/lexicon)
# --------------------------------------------------------------------------------------------------
TERMS = [
    "semaglutide", "tirzepatide", "ozempic", "wegovy", "mounjaro", "zepbound", "glp-1", "glp1", "botox",
    "juvederm", "filler", "lip filler", "microneedling", "laser hair removal", "coolsculpting", "acne", "acné",
    "eczema", "psoriasis", "melanoma", "mohs surgery", "root canal", "dental implant", "invisalign",
    "periodontal", "depression", "depresión", "anxiety", "adhd", "ptsd", "bipolar", "ketamine", "lexapro",
    "sertraline", "ivf", "egg freezing", "erectile dysfunction", "disfunción eréctil", "viagra", "sildenafil",
    "testosterone therapy", "testosterone", "trt", "hiv", "prep", "std testing", "birth control", "menopause",
    "pérdida de peso", "perdida de peso", "diabetes", "metformin", "lidocaine",
]
# Softer health words: never in a kept field of an event expected to be forwarded (outside the exempt
# registrable domain), so that a broader real lexicon cannot turn a clean event into a quarantine.
SOFT = [
    "weight", "loss", "therap", "dental", "dentist", "teeth", "tooth", "skin", "derm", "clinic", "medic",
    "health", "doctor", "patient", "treat", "inject", "pharm", "hormone", "fertil", "pregnan", "sexual",
    "mental", "psych", "counsel", "diet", "obes", "insulin", "cancer", "surg", "implant", "ortho", "brace",
    "laser", "facial", "peel", "aesthetic", "cosmetic", "hair", "slim", "drug", "pill", "dose", "symptom",
    "diagnos", "condition", "chart", "mrn", "dob", "birth", "ssn", "email", "phone", "mole", "rash", "pain",
]
SHORT_TERMS = {"ed", "std", "sti", "hiv", "hpv", "trt", "hrt", "ivf", "iud", "ocd", "bpd", "gad", "mdd", "bmi",
               "uti", "prep", "adhd", "ptsd", "pcos", "ms", "ra", "rx"}

_ACC = "a-z0-9áéíóúñü"


def _term_re(term):
    body = r"[\s_+\-]*".join(r"[\s_+\-]+".join(map(re.escape, part.split(" "))) for part in term.split("-"))
    return re.compile(r"(?<![" + _ACC + "])" + body + r"(?![" + _ACC + "])", re.IGNORECASE)


TERM_RES = [(t, _term_re(t)) for t in TERMS]

ID_RES = [
    ("email", re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")),
    ("phone", re.compile(r"(?<!\d)(?:\+?1[\s.\-]?)?\(?[2-9]\d{2}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}(?!\d)")),
    ("ssn", re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")),
    ("dob", re.compile(r"(?<!\d)(?:19|20)\d{2}-[01]\d-[0-3]\d(?!\d)|(?<!\d)[01]?\d/[0-3]?\d/(?:19|20)\d{2}(?!\d)")),
    ("mrn", re.compile(r"mrn[\s:#=_\-]*[a-z]*\d{5,}", re.IGNORECASE)),
    ("address", re.compile(r"(?<!\d)\d{2,6}\s+[A-Za-z]+(?:\s+[A-Za-z]+)?\s+(?:street|st|avenue|ave|road|rd|"
                           r"boulevard|blvd|drive|dr|lane|ln|way|court|ct)\b", re.IGNORECASE)),
    ("ip", re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")),
    ("sha", re.compile(r"(?<![0-9a-f])(?:[0-9a-f]{64}|[0-9a-f]{40})(?![0-9a-f])", re.IGNORECASE)),
]


# --------------------------------------------------------------------------------------------------
# Decoding the way the brief describes the scanner: percent (repeatedly), '+', base64/base64url
# segments of 16+ characters, JSON inside values.
# --------------------------------------------------------------------------------------------------
def _b64_text(seg):
    s = seg.rstrip("=")
    if len(s) < 16:
        return None
    for alt in (None, b"-_"):
        try:
            raw = base64.b64decode(s + "=" * (-len(s) % 4), altchars=alt, validate=True)
        except Exception:  # noqa: BLE001 - any decode failure just means "not base64"
            continue
        try:
            txt = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if txt and sum(ch.isprintable() for ch in txt) >= 0.9 * len(txt):
            return txt
    return None


def _json_strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for k, v in x.items():
            yield k
            yield from _json_strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _json_strings(v)


def decode_variants(s):
    seen = {s}
    frontier = [s]
    for _ in range(6):
        nxt = []

        def add(y):
            if y and y not in seen:
                seen.add(y)
                nxt.append(y)

        for x in frontier:
            add(urllib.parse.unquote(x))
            add(urllib.parse.unquote_plus(x))
            for piece in re.split(r"[?&=#]", x):
                add(piece)
            for seg in re.findall(r"[A-Za-z0-9+/_\-]{16,}={0,2}", x):
                add(_b64_text(seg))
            st = x.strip()
            if st[:1] in "{[":
                try:
                    for v in _json_strings(json.loads(st)):
                        add(v)
                except ValueError:
                    pass
        frontier = nxt
    return seen


def strict_hits(text):
    """Word-boundary health terms and identifier patterns found in any decoded variant."""
    hits = set()
    for v in decode_variants(text):
        for t, rx in TERM_RES:
            if rx.search(v):
                hits.add(t)
        for kind, rx in ID_RES:
            if rx.search(v):
                hits.add(kind)
    return hits


def conservative_dirty(text, token=False):
    """Reasons a value would not be unmistakably clean. token=True for opaque ids (ttclid, ttp, event_id)."""
    bad = set()
    for v in decode_variants(text):
        low = v.lower()
        for t in TERMS:
            if len(t) >= 3 and (t in low or t.replace(" ", "") in low or t.replace("-", "") in low):
                bad.add("term:" + t)
        if not token:
            for t in SOFT:
                if t in low:
                    bad.add("soft:" + t)
        for piece in re.split(r"[^a-z0-9áéíóúñ]+", low):
            if piece in SHORT_TERMS:
                bad.add("short:" + piece)
        if re.search(r"\d{5,}", v):
            bad.add("digits")
        if "@" in v:
            bad.add("at")
        for kind, rx in ID_RES:
            if rx.search(v):
                bad.add("id:" + kind)
    return bad


# --------------------------------------------------------------------------------------------------
# Test identities (fictional; 555-01xx phone numbers, advertising-sample SSNs)
# --------------------------------------------------------------------------------------------------
class Person:
    def __init__(self, first, last, email, phone, dob, zip_code, city, state):
        self.first, self.last, self.email, self.phone = first, last, email, phone
        self.dob, self.zip, self.city, self.state = dob, zip_code, city, state

    @property
    def digits(self):
        return re.sub(r"\D", "", self.phone)

    @property
    def e164(self):
        return "+1" + self.digits

    @property
    def full(self):
        return self.first + " " + self.last


MARIA = Person("Maria", "Gonzalez", "maria.gonzalez84@yahoo.com", "(737) 555-0192", "1984-03-12", "78745", "Austin", "TX")
TYLER = Person("Tyler", "Brooks", "tbrooks.atx@outlook.com", "(512) 555-0163", "1990-07-23", "78704", "Austin", "TX")
PRIYA = Person("Priya", "Raman", "priya.raman@icloud.com", "(469) 555-0118", "1987-02-09", "75024", "Plano", "TX")
DEREK = Person("Derek", "Whitfield", "d.whitfield@gmail.com", "(305) 555-0134", "1971-05-30", "33139", "Miami Beach", "FL")
ASHLEY = Person("Ashley", "Nguyen", "ashley.nguyen91@gmail.com", "(713) 555-0176", "1991-10-04", "77006", "Houston", "TX")
MARCUS = Person("Marcus", "Bellamy", "marcusbell@proton.me", "(404) 555-0129", "1979-11-02", "30307", "Atlanta", "GA")
SOFIA = Person("Sofia", "Ramirez", "sofia.ramirez@hotmail.com", "(956) 555-0107", "1995-06-17", "78501", "McAllen", "TX")
LAUREN = Person("Lauren", "Mitchell", "lauren.mitch@gmail.com", "(512) 555-0188", "1988-08-21", "78731", "Austin", "TX")
HANNAH = Person("Hannah", "Kimura", "hannah.kimura@gmail.com", "(303) 555-0152", "2001-04-19", "80206", "Denver", "CO")
JORDAN = Person("Jordan", "Ellison", "jordan.ellison@yahoo.com", "(210) 555-0141", "1983-12-30", "78209", "San Antonio", "TX")
CAMILA = Person("Camila", "Herrera", "camila.herrera@gmail.com", "(214) 555-0196", "1992-01-08", "75204", "Dallas", "TX")
BRANDON = Person("Brandon", "Whitaker", "b.whitaker77@gmail.com", "(832) 555-0110", "1977-09-14", "77019", "Houston", "TX")
JANE_EMAIL, JANE_PHONE = "jane.doe@gmail.com", "(512) 555-0147"
PEOPLE = [MARIA, TYLER, PRIYA, DEREK, ASHLEY, MARCUS, SOFIA, LAUREN, HANNAH, JORDAN, CAMILA, BRANDON]
FORBIDDEN_IN_TOKENS = sorted({p.first.lower() for p in PEOPLE} | {p.last.lower() for p in PEOPLE}
                             | {"jane", "castellano", "dana"})


def user_of(p, *what):
    """user{} fields of a person; what in email, phone, e164, first, last, zip, city, state, country."""
    u = {}
    for w in what:
        if w == "email":
            u["email"] = p.email
        elif w == "phone":
            u["phone"] = p.phone
        elif w == "e164":
            u["phone"] = p.e164
        elif w == "first":
            u["first_name"] = p.first
        elif w == "last":
            u["last_name"] = p.last
        elif w == "zip":
            u["zip_code"] = p.zip
        elif w == "city":
            u["city"] = p.city
        elif w == "state":
            u["state"] = p.state
        elif w == "country":
            u["country"] = "US"
    return u


def needles_of(p, *what):
    m = {"email": p.email.lower(), "phone": p.digits, "first": p.first.lower(), "last": p.last.lower(),
         "dob": p.dob, "zip": p.zip}
    return [m[w] for w in what]


# --------------------------------------------------------------------------------------------------
# Encodings used to hide PHI
# --------------------------------------------------------------------------------------------------
def qv(v):
    """Query value as a browser's form encoder writes it (space -> '+', '@' -> %40)."""
    return urllib.parse.quote_plus(v, safe="")


def b64url(s):
    return base64.urlsafe_b64encode(s.encode("utf-8")).decode("ascii").rstrip("=")


def b64std_pct(s):
    """Standard base64 with padding, percent-encoded for a query (+ -> %2B, / -> %2F, = -> %3D)."""
    return urllib.parse.quote(base64.b64encode(s.encode("utf-8")).decode("ascii"), safe="")


def jcompact(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False)


def json_pct(o):
    return urllib.parse.quote(jcompact(o), safe="")


def double_pct(s):
    return urllib.parse.quote(urllib.parse.quote(s, safe=""), safe="")


def sha256(s):
    return hashlib.sha256(s.encode()).hexdigest()


def sha1(s):
    return hashlib.sha1(s.encode()).hexdigest()


# --------------------------------------------------------------------------------------------------
# Rules: loading, mapping, the reference sanitizer
# --------------------------------------------------------------------------------------------------
def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def make_permissive(telehealth):
    out = {}
    for k, v in telehealth.items():
        if k == "template":
            continue
        if k == "name":
            v = "Permissive test rules (keeps everything that may be kept)"
        if k == "fields":
            v = dict(v)
            for f in PERMISSIVE_KEEP:
                assert f in v, f
                v[f] = "keep"
        out[k] = v
    return out


def glob_to_re(glob):
    rx = ""
    i = 0
    while i < len(glob):
        if glob.startswith("/**", i) and i + 3 == len(glob):
            rx += "(?:/.*)?"
            i += 3
        elif glob.startswith("**", i):
            rx += ".*"
            i += 2
        elif glob[i] == "*":
            rx += "[^/]*"
            i += 1
        else:
            rx += re.escape(glob[i])
            i += 1
    return re.compile("^" + rx + "$")


def map_event(name, url, rules):
    std = STANDARD_LOWER.get(name.lower())
    if std:
        return std, "standard"
    path = urllib.parse.urlsplit(url).path if url else None
    for m in rules["mappings"]:
        if not re.search(m["event"]["regex"], name, re.IGNORECASE):
            continue
        if "url_path" in m:
            if path is None or not glob_to_re(m["url_path"]["glob"]).match(path):
                continue
        return m["tiktok_event"], m["id"]
    return None, None


def parse_time(v):
    if v is None:
        return NOW
    if isinstance(v, int):
        return v
    return int(datetime.datetime.fromisoformat(v).timestamp())


def registrable(host):
    return ".".join(host.split(".")[-2:])


def strip_click_ids(url):
    p = urllib.parse.urlsplit(url)
    keep = [kv for kv in p.query.split("&") if kv and kv.split("=", 1)[0] not in CLICK_ID_PARAMS]
    return urllib.parse.urlunsplit((p.scheme, p.netloc, p.path, "&".join(keep), ""))


def url_param(url, name):
    for kv in urllib.parse.urlsplit(url).query.split("&"):
        k, _, v = kv.partition("=")
        if k == name:
            return urllib.parse.unquote_plus(v)
    return None


def sanitize_model(obj, rules):
    """Reference model: (decision, reason_or_tiktok_event, outgoing item or None)."""
    t = parse_time(obj.get("event_time"))
    if t < NOW - rules["max_event_age_days"] * DAY:
        return "drop", "event_too_old", None
    if t > NOW + 600:
        return "drop", "event_time_in_future", None
    page = obj.get("page", {})
    url = page.get("url")
    tiktok_event, _ = map_event(obj["event"], url, rules)
    if tiktok_event is None:
        return "drop", "unmapped_event", None
    F = rules["fields"]
    out = {"event": tiktok_event, "event_time": t}
    if F.get("event_id") == "keep" and "event_id" in obj:
        out["event_id"] = obj["event_id"]
    user = obj.get("user", {})
    ttclid = user.get("ttclid") or (url_param(url, "ttclid") if url else None)
    u = {}
    if ttclid and F.get("user.ttclid") == "keep":
        u["ttclid"] = ttclid
    if user.get("ttp") and F.get("user.ttp") == "keep":
        u["ttp"] = user["ttp"]
    if u:
        out["user"] = u
    pg = {}
    if url:
        pol = F.get("page.url", "drop")
        if pol == "origin":
            sp = urllib.parse.urlsplit(url)
            pg["url"] = sp.scheme + "://" + sp.netloc + "/"
        elif pol == "keep":
            pg["url"] = strip_click_ids(url)
    if page.get("referrer") and F.get("page.referrer") == "keep":
        pg["referrer"] = strip_click_ids(page["referrer"])
    if pg:
        out["page"] = pg
    props = obj.get("properties", {})
    po = {k: props[k] for k in PROPERTY_FIELDS if k in props and F.get("properties." + k) == "keep"}
    if po:
        out["properties"] = po
    return "forward", tiktok_event, out


def kept_leaves(out):
    """(field, string value, kind) of an outgoing item; kind 'url', 'token' or 'text'."""
    leaves = []
    if "event_id" in out:
        leaves.append(("event_id", out["event_id"], "token"))
    for k in ("ttclid", "ttp"):
        if k in out.get("user", {}):
            leaves.append(("user." + k, out["user"][k], "token"))
    for k in ("url", "referrer"):
        if k in out.get("page", {}):
            leaves.append(("page." + k, out["page"][k], "url"))
    for k, v in out.get("properties", {}).items():
        for s in _json_strings(v):
            leaves.append(("properties." + k, s, "text"))
    return leaves


def url_scannable(url, exempt_domain):
    sp = urllib.parse.urlsplit(url)
    host = sp.hostname or ""
    if exempt_domain and (host == exempt_domain or host.endswith("." + exempt_domain)):
        host = host[: -len(exempt_domain)]
    return sp.scheme + "://" + host + "/" + sp.path.lstrip("/") + ("?" + sp.query if sp.query else "")


def scan_item(out, exempt_domain, conservative):
    res = {}
    for field, value, kind in kept_leaves(out):
        text = url_scannable(value, exempt_domain) if kind == "url" else value
        if conservative:
            if kind == "url":
                text = text.replace("https://", " ").replace("http://", " ")
            h = conservative_dirty(text, token=(kind == "token"))
        else:
            h = strict_hits(text)
        if h:
            res.setdefault(field, set()).update(h)
    return res


# --------------------------------------------------------------------------------------------------
# Where planted PHI ends up under a rule set
# --------------------------------------------------------------------------------------------------
def kept_field_of(loc, F, obj):
    if loc == "event_id":
        return "event_id" if F.get("event_id") == "keep" else None
    if loc in ("user.ttclid", "user.ttp"):
        return loc if F.get(loc) == "keep" else None
    if loc == "url.ttclid":
        if obj.get("user", {}).get("ttclid"):
            return None
        return "user.ttclid" if F.get("user.ttclid") == "keep" else None
    if loc == "url.host":
        return "page.url" if F.get("page.url") in ("origin", "keep") else None
    if loc in ("url.path", "url.query"):
        return "page.url" if F.get("page.url") == "keep" else None
    if loc == "page.referrer":
        return "page.referrer" if F.get("page.referrer") == "keep" else None
    if loc.startswith("properties.") and loc[len("properties."):] in PROPERTY_FIELDS:
        return loc if F.get(loc) == "keep" else None
    # event name, url.fragment, page.title, user identifiers, custom properties, form, unknown keys
    return None


# --------------------------------------------------------------------------------------------------
# Event specs
# --------------------------------------------------------------------------------------------------
AUTO = object()
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
USER_AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "musical_ly_37.4.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US",
    "Mozilla/5.0 (Linux; Android 14; SM-S918U) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 "
    "Mobile Safari/537.36 trill_370403 BytedanceWebview/d8a21c6",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
    "Safari/605.1.15",
]
CAMPAIGNS = ["holiday_offer", "new_client_q4", "spring_launch", "brand_awareness", "retarget_30d", "gift_guide"]


class Spec:
    def __init__(self, obj=None, phi=(), time="auto", raw=None, error_contains=None, ttclid_plan=None):
        self.obj = obj
        self.phi = list(phi)
        self.time = time
        self.raw = raw
        self.error_contains = error_contains
        self.ttclid_plan = ttclid_plan

    @property
    def is_reject(self):
        return self.error_contains is not None

    @property
    def needles(self):
        out = []
        for _, ns in self.phi:
            for n in ns:
                n = n.lower()
                if n not in out:
                    out.append(n)
        return out


class Builder:
    def __init__(self, key, rng):
        self.key = key
        self.rng = rng

    # ---- random identifiers ------------------------------------------------------------------
    def _token_ok(self, s):
        if conservative_dirty(s, token=True) - {"at"}:
            return False
        low = s.lower()
        if any(n in low for n in FORBIDDEN_IN_TOKENS):
            return False
        for seg in re.findall(r"[A-Za-z0-9+/_\-]{16,}", s):
            seg = seg.rstrip("=")
            for alt in (None, b"-_"):
                try:
                    raw = base64.b64decode(seg + "=" * (-len(seg) % 4), altchars=alt)
                except Exception:  # noqa: BLE001
                    continue
                txt = raw.decode("latin-1").lower()
                if any(t.replace(" ", "") in txt for t in TERMS if len(t) >= 3) or re.search(r"\d{5,}", txt):
                    return False
                if SHORT_TERMS & set(re.split(r"[^a-z0-9]+", txt)):
                    return False
        return True

    def _rand(self, alphabet, n):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def token(self, fn):
        while True:
            s = fn()
            if self._token_ok(s):
                return s

    def hexid(self, n):
        while True:
            s = self.token(lambda: self._rand("0123456789abcdef", n))
            if sum(c.isalpha() for c in s) >= 2 and not re.search(r"\d{4,}", s):
                return s

    def event_id(self):
        if self.rng.random() < 0.6:
            return "evt-" + self.hexid(8)
        while True:
            g = [self.hexid(n) for n in (8, 4, 4, 4, 12)]
            g[2] = "4" + g[2][1:]  # UUID version 4
            g[3] = self.rng.choice("89ab") + g[3][1:]  # RFC 4122 variant
            u = "-".join(g)
            if self._token_ok(u):
                return u

    def visitor_id(self):
        return "v-" + self.hexid(12)

    def ttclid(self):
        def f():
            body = self._rand(B64URL, self.rng.randint(38, 44))
            return "E.C.P.Cq" + body
        return self.token(f)

    def ttp(self, t):
        if self.rng.random() < 0.55:
            return self.token(lambda: self._rand(B64URL, 27))
        def f():
            # first-party cookie set on an earlier visit: time part up to 90 days before the event
            v, enc = max(t, NOW - 200 * DAY) * 1000 - self.rng.randint(0, 90 * DAY * 1000), ""
            for _ in range(10):
                enc = CROCKFORD[v % 32] + enc
                v //= 32
            return enc + self._rand(CROCKFORD, 16) + "_.tt.1"
        return self.token(f)

    # ---- spec construction -------------------------------------------------------------------
    def E(self, event, url=None, ref=None, title=None, user=None, props=None, form=None, extra=None,
          eid=None, ttclid=AUTO, ttp=AUTO, phi=(), time="auto", locale=None, ip=None, ttclid_in_url=None):
        obj = {"event": event}
        if eid is not None:
            obj["event_id"] = eid
        page = {}
        if url is not None:
            page["url"] = url
        if ref is not None:
            page["referrer"] = ref
        if title is not None:
            page["title"] = title
        if page:
            obj["page"] = page
        obj["user"] = dict(user or {})
        if ip:
            obj["user"]["ip"] = ip
        if props:
            obj["properties"] = props
        if form:
            obj["form"] = form
        for k, v in (extra or {}).items():
            obj[k] = v
        plan = {"ttclid": ttclid, "ttp": ttp, "locale": locale, "in_url": ttclid_in_url}
        return Spec(obj=obj, phi=phi, time=time, ttclid_plan=plan)

    def finish(self, spec):
        """Fill in ids, tracking cookies and user agent; fix the key order."""
        obj = spec.obj
        plan = spec.ttclid_plan
        rng = self.rng
        t = parse_time(obj.get("event_time")) if obj.get("event_time") is not None else NOW
        user = obj.get("user", {})
        url = obj.get("page", {}).get("url")
        tt = plan["ttclid"]
        if tt is AUTO:
            tt = self.ttclid() if rng.random() < 0.62 else None
            in_url = plan["in_url"]
            if in_url is None:
                in_url = url is not None and rng.random() < 0.35
            if tt and in_url and url and "ttclid=" not in url:
                base, sep, frag = url.partition("#")
                base += ("&" if "?" in base else "?") + "ttclid=" + tt
                obj["page"]["url"] = base + sep + frag
                tt = None
        if tt:
            user["ttclid"] = tt
        tp = plan["ttp"]
        if tp is AUTO:
            tp = self.ttp(t) if rng.random() < 0.7 else None
        if tp:
            user["ttp"] = tp
        if rng.random() < 0.85:
            user["user_agent"] = rng.choice(USER_AGENTS)
        user["locale"] = plan["locale"] or "en-US"
        order = ["ttclid", "ttp", "email", "phone", "external_id", "first_name", "last_name", "zip_code", "city",
                 "state", "country", "ip", "user_agent", "locale"]
        obj["user"] = {k: user[k] for k in order if k in user}
        if "event_id" not in obj:
            obj["event_id"] = self.event_id()
        obj["visitor_id"] = self.visitor_id()
        top = ["event", "event_id", "event_time", "visitor_id", "page", "user", "properties", "form"]
        spec.obj = {k: obj[k] for k in top if k in obj} | {k: v for k, v in obj.items() if k not in top}


def iso(t, style):
    if style in ("Z", "Zms"):
        d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
        if style == "Zms":
            return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % ((t * 7919) % 1000)
        return d.strftime("%Y-%m-%dT%H:%M:%SZ")
    sign = -1 if style.startswith("-") else 1
    hours = int(style[1:3])
    tz = datetime.timezone(sign * datetime.timedelta(hours=hours))
    return datetime.datetime.fromtimestamp(t, tz).isoformat()


# --------------------------------------------------------------------------------------------------
# Verticals
# --------------------------------------------------------------------------------------------------
class Vertical:
    def __init__(self, key, h1, brand1, h2, brand2, city_slug):
        self.key, self.h1, self.brand1, self.h2, self.brand2, self.city_slug = key, h1, brand1, h2, brand2, city_slug


VERTICALS = {
    "med-spa": Vertical("med-spa", "www.glowmedspa.com", "Glow Med Spa", "sereneaestheticsdallas.com",
                        "Serene Aesthetics", "south-congress"),
    "dermatology": Vertical("dermatology", "www.clearviewdermatology.com", "Clearview Dermatology",
                            "hillcountryderm.com", "Hill Country Dermatology", "alamo-heights"),
    "glp1-clinic": Vertical("glp1-clinic", "austinweightlossclinic.com", "Austin Weight Loss Clinic",
                            "www.trimlinehealth.com", "TrimLine Health", "round-rock"),
    "dental": Vertical("dental", "brightsmiledental.com", "Bright Smile Dental",
                       "www.riverbendfamilydentistry.com", "Riverbend Family Dentistry", "round-rock"),
    "mental-health": Vertical("mental-health", "mindfulpaththerapy.com", "Mindful Path Therapy",
                              "www.cedarcounselinggroup.com", "Cedar Counseling Group", "cherry-creek"),
    "telehealth": Vertical("telehealth", "www.vitalmenrx.com", "Vital Men Rx", "www.bloomwomenshealth.com",
                           "Bloom Women's Health", "online"),
}


def U(host, path="/", query=None):
    return "https://" + host + path + ("?" + query if query else "")


def utm(campaign, source="tiktok", medium="paid_social"):
    return "utm_source=%s&utm_medium=%s&utm_campaign=%s" % (source, medium, campaign)


GOOGLE = "https://www.google.com/search?q="


# ---- PHI events per vertical ------------------------------------------------------------------------
def phi_med_spa(b, v):
    H1, H2, B1, B2 = v.h1, v.h2, v.brand1, v.brand2
    E = b.E
    return [
        E("botox_booking_complete", U(H1, "/booking/botox/confirm", "service=botox&units=20"),
          title="Booking Confirmed – Botox | " + B1, user=user_of(LAUREN, "email", "phone", "first", "last"),
          props={"value": 240, "currency": "USD"},
          form={"full_name": LAUREN.full, "email": LAUREN.email, "phone": LAUREN.phone, "preferred_time": "Tue afternoon"},
          phi=[("event", ["botox"]), ("url.path", ["botox"]), ("url.query", ["botox"]), ("page.title", ["botox"]),
               ("user.pii", needles_of(LAUREN, "email", "phone", "first", "last")), ("form", [])]),
        E("ReservarCitaBotox", U(H1, "/es/servicios/botox/reservar"), title="Reservar cita para Botox | " + B1,
          user=user_of(SOFIA, "email", "first", "last"), locale="es-US",
          phi=[("event", ["botox"]), ("url.path", ["botox"]), ("page.title", ["botox"]),
               ("user.pii", needles_of(SOFIA, "email", "first", "last"))]),
        E("ViewContent", U(H1, "/shop"), title="Shop | " + B1,
          props={"value": 240, "currency": "USD", "content_type": "product",
                 "contents": [{"content_id": "sku-1042", "content_name": "Botox 20 units", "price": 240, "quantity": 1}]},
          phi=[("properties.contents", ["botox"])]),
        E("AddToCart", U(H1, "/shop"), title="Shop | " + B1,
          props={"value": 240, "currency": "USD", "content_type": "product", "content_ids": ["botox-20u"]},
          phi=[("properties.content_ids", ["botox"])]),
        E("Purchase", U(H2, "/checkout/complete"), title="Order Complete | " + B2,
          props={"value": 650, "currency": "USD", "content_type": "product", "content_name": "Lip Filler – 1 syringe",
                 "order_id": "SA-10482", "num_items": 1},
          phi=[("properties.content_name", ["lip filler"])]),
        E("form_submit", U(H1, "/contact"), title="Contact | " + B1,
          form={"first_name": ASHLEY.first, "last_name": ASHLEY.last, "email": ASHLEY.email, "phone": ASHLEY.phone,
                "message": "Interested in Juvederm for my lips and under-eye filler, I bruise easily"},
          phi=[("form", needles_of(ASHLEY, "first", "last", "email", "phone") + ["juvederm", "filler"])]),
        E("Lead", U("botox.glowmedspa.com", "/specials", utm("holiday_offer")), title="Botox Specials | " + B1,
          phi=[("url.host", ["botox"]), ("page.title", ["botox"])]),
        E("Schedule", U("coolsculpting.glowmedspa.com", "/book-consult"), title="Book a CoolSculpting consult | " + B1,
          props={"value": 0, "currency": "USD"},
          phi=[("url.host", ["coolsculpting"]), ("page.title", ["coolsculpting"])]),
        E("InitiateCheckout", U(H1, "/checkout"), title="Checkout | " + B1, eid="checkout-" + JANE_EMAIL,
          props={"value": 180, "currency": "USD"}, phi=[("event_id", [JANE_EMAIL])]),
        E("Lead", U(H1, "/contact"), ref=GOOGLE + "botox+near+me+austin", title="Contact | " + B1,
          phi=[("page.referrer", ["botox"])]),
        E("form_submit", U(H1, "/book-now", "redirect=" + b64std_pct(
            "/services/laser-hair-removal/thank-you?email=" + ASHLEY.email)), title="Book Now | " + B1,
          phi=[("url.query", ["laser hair removal", ASHLEY.email])]),
        E("Schedule", U(H2, "/book-now", "state=" + b64url(jcompact(
            {"svc": "microneedling", "email": CAMILA.email, "src": "tiktok"}))), title="Book Online | " + B2,
          phi=[("url.query", ["microneedling", CAMILA.email])]),
        E("Contact", U(H1, "/contact", "data=" + json_pct({"treatment": "lip filler", "phone": JANE_PHONE})),
          title="Contact | " + B1, phi=[("url.query", ["lip filler", "5125550147"])]),
        E("Lead", U(H2, "/contact"), title="CoolSculpting Before & After | " + B2,
          extra={"debug": {"raw_form": "name=Tyler Brooks&treatment=coolsculpting&phone=5125550163"}},
          phi=[("page.title", ["coolsculpting"]), ("extra", needles_of(TYLER, "first", "last", "phone"))]),
        E("Purchase", U(H2, "/checkout/complete"), title="Order Complete | " + B2,
          props={"value": 897, "currency": "USD", "description": "Package: 3 sessions of laser hair removal, bikini area"},
          phi=[("properties.description", ["laser hair removal"])]),
        E("CompleteRegistration", U(H1, "/account/signup"), title="Create Account | " + B1,
          user=user_of(PRIYA, "first", "last"),
          form={"first_name": PRIYA.first, "last_name": PRIYA.last, "birthdate": "02/09/1987", "email": PRIYA.email,
                "phone": PRIYA.phone, "how_did_you_hear": "TikTok"},
          phi=[("user.pii", needles_of(PRIYA, "first", "last")),
               ("form", ["02/09/1987"] + needles_of(PRIYA, "email", "phone"))]),
        E("newsletter_signup", U(H1, "/newsletter", "interest=" + double_pct("lip filler")), title="Newsletter | " + B1,
          phi=[("url.query", ["lip filler"])]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1, ttclid="5125550147",
          phi=[("user.ttclid", ["5125550147"])]),
        E("Schedule", U(H1, "/book-now/confirmation"), title="You're booked! | " + B1,
          props={"value": 120, "currency": "USD", "notes": "First time getting Botox, allergic to lidocaine",
                 "home_address": "1234 Oak Street, Austin TX 78704"},
          phi=[("properties.custom", ["botox", "lidocaine", "1234 oak street"])]),
        E("Lead", U(H1, "/thank-you") + "#service=botox&email=" + qv(TYLER.email), title="Thank You | " + B1,
          phi=[("url.fragment", ["botox", TYLER.email])]),
        # unmapped, PHI only in places no rule set keeps
        E("view_juvederm_gallery", U(H1, "/gallery"), title="Juvederm Before & After | " + B1,
          phi=[("event", ["juvederm"]), ("page.title", ["juvederm"])]),
        E("lip_filler_video_play", U(H2, "/videos"), title="Lip Filler: What to Expect | " + B2,
          phi=[("event", ["lip_filler", "filler"]), ("page.title", ["lip filler"])]),
    ]


def phi_dermatology(b, v):
    H1, H2, B1, B2 = v.h1, v.h2, v.brand1, v.brand2
    E = b.E
    return [
        E("AcneAppointmentRequested", U(H1, "/appointments/acne-consult", "provider=dr-patel"),
          title="Request an Acne Consultation | " + B1,
          phi=[("event", ["acne"]), ("url.path", ["acne"]), ("page.title", ["acne"])]),
        E("form_submit", U(H1, "/book-online/confirm"), title="Book Online | " + B1,
          form={"full_name": JORDAN.full, "dob": JORDAN.dob, "email": JORDAN.email, "phone": JORDAN.phone,
                "insurance_member_id": "XEH918273645",
                "symptoms": "itchy scaly patches on elbows, possibly psoriasis"},
          phi=[("form", needles_of(JORDAN, "first", "last", "dob", "email", "phone") + ["xeh918273645", "psoriasis"])]),
        E("Lead", U(H1, "/contact", "condition=eczema"), title="Contact | " + B1, ttclid_in_url=True,
          phi=[("url.query", ["eczema"])]),
        E("Schedule", U(H1, "/portal/chart", "mrn=MRN00482913"), title="My Chart | " + B1,
          phi=[("url.query", ["mrn00482913"])]),
        E("Schedule", U("eczema.hillcountryderm.com", "/book"), title="Eczema Care | " + B2,
          phi=[("url.host", ["eczema"]), ("page.title", ["eczema"])]),
        E("Lead", U("acne.clearviewdermatology.com", "/free-consult", utm("clear_skin_q4")),
          title="Clear Skin Consult | " + B1, phi=[("url.host", ["acne"])]),
        E("ViewContent", U(H2, "/services"), title="Services | " + B2,
          props={"content_category": "Skin Cancer > Melanoma Screening", "content_type": "product"},
          phi=[("properties.content_category", ["melanoma"])]),
        E("Search", U(H1, "/search", "s=psoriasis+biologics"), title="Search | " + B1,
          props={"search_string": "psoriasis biologics"},
          phi=[("url.query", ["psoriasis"]), ("properties.search_string", ["psoriasis"])]),
        E("SubmitForm", U(H1, "/contact-us"), title="Contact Us | " + B1, eid="lead-" + ASHLEY.digits,
          phi=[("event_id", [ASHLEY.digits])]),
        E("Lead", U(H1, "/contact"), ref=U(H1, "/conditions/psoriasis"), title="Contact | " + B1,
          phi=[("page.referrer", ["psoriasis"])]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1,
          props={"description": "Mole on my back changed color, worried about melanoma"},
          phi=[("properties.description", ["melanoma"])]),
        E("click_to_call", U(H2, "/skin-cancer/melanoma/mohs-surgery"),
          title="Mohs Surgery in San Antonio | " + B2,
          phi=[("url.path", ["melanoma", "mohs surgery"]), ("page.title", ["mohs surgery"])]),
        E("Purchase", U(H1, "/shop/checkout/complete"), title="Order Complete | " + B1,
          props={"value": 165, "currency": "USD", "content_type": "product", "num_items": 3,
                 "contents": [{"content_id": "kit-220", "content_name": "Acne Clearing Kit", "price": 89, "quantity": 1},
                              {"content_id": "spf-050", "content_name": "Daily SPF 50", "price": 38, "quantity": 2}]},
          phi=[("properties.contents", ["acne"])]),
        E("form_submit", U(H1, "/contact", "name=" + qv(ASHLEY.full) + "&phone=" + qv(ASHLEY.phone)),
          title="Contact | " + B1, phi=[("url.query", needles_of(ASHLEY, "first", "last", "phone"))]),
        E("Schedule", U(H2, "/book-now", "redirect=" + b64url(
            "/conditions/eczema/pediatric?child=Liam%20Castellano&dob=2019-05-14")), title="Book | " + B2,
          phi=[("url.query", ["eczema", "castellano", "2019-05-14"])]),
        E("SolicitarCitaAcne", U(H1, "/es/citas/tratamiento-acne"),
          title="Cita para tratamiento de acné | Clearview Dermatología", locale="es-US",
          user=user_of(CAMILA, "first", "last", "e164"),
          phi=[("event", ["acne"]), ("url.path", ["acne"]), ("page.title", ["acné"]),
               ("user.pii", needles_of(CAMILA, "first", "last", "phone"))]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1, ttp=sha256(PRIYA.email),
          phi=[("user.ttp", [sha256(PRIYA.email)])]),
        E("CompleteRegistration", U(H2, "/account/signup"), title="Patient Portal Sign-up | " + B2,
          props={"mailing_address": "2217 Lakeview Drive, Houston, TX 77006"},
          form={"date_of_birth": TYLER.dob, "ssn": "219-09-9999", "insurance": "Aetna PPO", "member_id": "W284719365"},
          phi=[("form", [TYLER.dob, "219-09-9999", "w284719365"]), ("properties.custom", ["2217 lakeview drive"])]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1,
          extra={"debug": {"form_dump": "patient=Marcus Bellamy; concern=psoriasis flare"}},
          phi=[("extra", needles_of(MARCUS, "first", "last") + ["psoriasis"])]),
        E("acne_quiz_started", U(H1, "/quiz"), title="Acne Quiz | " + B1,
          phi=[("event", ["acne"]), ("page.title", ["acne"])]),
        E("view_psoriasis_gallery", U(H2, "/gallery"), title="Psoriasis Before & After | " + B2,
          phi=[("event", ["psoriasis"]), ("page.title", ["psoriasis"])]),
    ]


def phi_glp1(b, v):
    H1, H2, B1, B2 = v.h1, v.h2, v.brand1, v.brand2
    E = b.E
    return [
        E("BookedGLP1Consultation", U(H1, "/services/semaglutide-weight-loss/book"),
          title="Semaglutide Weight Loss Program | " + B1, user=user_of(TYLER, "email", "first", "last"),
          props={"value": 150, "currency": "USD"},
          phi=[("event", ["glp1"]), ("url.path", ["semaglutide"]), ("page.title", ["semaglutide"]),
               ("user.pii", needles_of(TYLER, "email", "first", "last"))]),
        E("form_submit", U(H1, "/get-started", "treatment=tirzepatide"), title="Get Started | " + B1,
          ttclid_in_url=True, phi=[("url.query", ["tirzepatide"])]),
        E("Lead", U(H1, "/contact"), ref=GOOGLE + "ozempic+near+me", title="Contact | " + B1,
          phi=[("page.referrer", ["ozempic"])]),
        E("Schedule", U("semaglutide.austinweightlossclinic.com", "/book", utm("new_client_q4")),
          title="Book | " + B1, props={"value": 99, "currency": "USD"}, phi=[("url.host", ["semaglutide"])]),
        E("eligibility_quiz_complete", U(H2, "/eligibility/result"), title="Your Results | " + B2,
          form={"height": "5'6\"", "weight": "231 lbs", "bmi": "37.3",
                "conditions": "type 2 diabetes, sleep apnea", "current_meds": "metformin 500mg", "dob": LAUREN.dob},
          phi=[("form", ["type 2 diabetes", "metformin", LAUREN.dob])]),
        E("Purchase", U(H2, "/checkout/complete"), title="Order Complete | " + B2,
          props={"value": 299, "currency": "USD", "content_type": "product",
                 "contents": [{"content_id": "sema-4wk", "content_name": "Compounded Semaglutide 4-week supply",
                               "price": 299, "quantity": 1}]},
          phi=[("properties.contents", ["semaglutide"])]),
        E("InitiateCheckout", U(H2, "/checkout"), title="Checkout | " + B2,
          props={"value": 399, "currency": "USD", "content_name": "Tirzepatide Starter Plan"},
          phi=[("properties.content_name", ["tirzepatide"])]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1, eid=MARIA.email, phi=[("event_id", [MARIA.email])]),
        E("ContactoFormulario", U(H1, "/es/servicios/perdida-de-peso", "medicamento=ozempic"),
          title="Pérdida de peso con Ozempic | " + B1, user=user_of(SOFIA, "first", "last"), locale="es-US",
          phi=[("url.path", ["perdida de peso"]), ("url.query", ["ozempic"]),
               ("page.title", ["pérdida de peso", "ozempic"]), ("user.pii", needles_of(SOFIA, "first", "last"))]),
        E("Schedule", U(H1, "/book-now", "state=" + b64url(jcompact(
            {"return_to": "/programs/wegovy", "email": TYLER.email}))), title="Book Now | " + B1,
          phi=[("url.query", ["wegovy", TYLER.email])]),
        E("Subscribe", U(H2, "/newsletter", "t=%2573emaglutide%2520tips"),
          title="Newsletter | " + B2, phi=[("url.query", ["semaglutide"])]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1,
          props={"description": "I have been on Mounjaro for 3 months and want to switch providers"},
          phi=[("properties.description", ["mounjaro"])]),
        E("Lead", U(H2, "/contact"), title="Contact | " + B2, ttclid=TYLER.email,
          phi=[("user.ttclid", [TYLER.email])]),
        E("start_free_trial", U(H2, "/start"), title="Start your GLP-1 journey | " + B2,
          props={"goal_weight": "165 lbs", "current_weight": "212 lbs"},
          phi=[("page.title", ["glp-1"]), ("properties.custom", ["212 lbs"])]),
        E("Lead", U(H2, "/contact", "dob=" + MARIA.dob + "&email=" + qv(MARIA.email)), title="Contact | " + B2,
          phi=[("url.query", [MARIA.dob, MARIA.email])]),
        E("click_to_call", U("mounjaro.trimlinehealth.com", "/"), title="Mounjaro Program | " + B2,
          phi=[("url.host", ["mounjaro"]), ("page.title", ["mounjaro"])]),
        E("CompleteRegistration", U(H2, "/account/signup"), title="Create Account | " + B2,
          user=dict(user_of(DEREK, "email", "e164", "first", "last", "zip", "city", "state", "country"),
                    external_id=sha256(DEREK.email)),
          ip="73.162.18.201",
          phi=[("user.pii", needles_of(DEREK, "email", "phone", "first", "last", "zip")
                + [sha256(DEREK.email), "73.162.18.201"])]),
        E("form_submit", U(H1, "/book-now/intake"), title="Book Now | " + B1,
          props={"shipping_address": "5809 Burnet Road, Austin, TX 78756"},
          form={"name": BRANDON.full, "address": "5809 Burnet Road, Austin, TX 78756", "phone": BRANDON.phone},
          phi=[("form", needles_of(BRANDON, "first", "last", "phone") + ["5809 burnet road"]),
               ("properties.custom", ["5809 burnet road"])]),
        E("Search", U(H2, "/search"), title="Search | " + B2, props={"query": "wegovy vs ozempic"},
          phi=[("properties.query", ["wegovy", "ozempic"])]),
        E("Lead", U(H1, "/contact"), ref=U(H1, "/programs/tirzepatide", "plan=monthly"), title="Contact | " + B1,
          phi=[("page.referrer", ["tirzepatide"])]),
        E("semaglutide_calculator_used", U(H1, "/calculator"), title="Semaglutide Dose Calculator | " + B1,
          phi=[("event", ["semaglutide"]), ("page.title", ["semaglutide"])]),
        E("ViewWegovyPricing", U(H2, "/pricing"), title="Wegovy vs Zepbound Pricing | " + B2,
          phi=[("event", ["wegovy"]), ("page.title", ["wegovy", "zepbound"])]),
    ]


def phi_dental(b, v):
    H1, H2, B1, B2 = v.h1, v.h2, v.brand1, v.brand2
    E = b.E
    return [
        E("dental_implant_consult_booked", U(H1, "/services/dental-implant/consultation"),
          title="Dental Implant Consultation | " + B1,
          phi=[("event", ["dental_implant"]), ("url.path", ["dental implant"]), ("page.title", ["dental implant"])]),
        E("InvisalignConsultBooked", U("invisalign.brightsmiledental.com", "/free-consult"),
          title="Free Invisalign Consult | " + B1, phi=[("event", ["invisalign"]), ("url.host", ["invisalign"])]),
        E("Schedule", U("periodontal.riverbendfamilydentistry.com", "/book"), title="Book | " + B2,
          phi=[("url.host", ["periodontal"])]),
        E("form_submit", U(H2, "/book-now", "reason=root+canal"), title="Book Now | " + B2, ttclid_in_url=True,
          phi=[("url.query", ["root canal"])]),
        E("Lead", U(H2, "/contact"), ref=GOOGLE + "emergency+root+canal+round+rock", title="Contact | " + B2,
          phi=[("page.referrer", ["root canal"])]),
        E("Contact", U(H1, "/"), title=B1, eid="call-" + LAUREN.digits, phi=[("event_id", [LAUREN.digits])]),
        E("form_submit", U(H1, "/contact"), title="Contact Us | " + B1,
          form={"name": BRANDON.full, "email": BRANDON.email, "phone": BRANDON.phone,
                "message": "Cracked molar, my dentist said I need a root canal and a crown",
                "insurance_provider": "Delta Dental PPO", "member_id": "DD5829301774"},
          phi=[("form", needles_of(BRANDON, "first", "last", "email", "phone") + ["root canal", "dd5829301774"])]),
        E("Purchase", U(H1, "/checkout/complete"), title="Order Complete | " + B1,
          props={"value": 1995, "currency": "USD", "content_name": "Invisalign Express", "order_id": "BSD-20931"},
          phi=[("properties.content_name", ["invisalign"])]),
        E("ViewContent", U(H2, "/services"), title="Services | " + B2,
          props={"content_type": "product", "contents": [{"content_id": "perio-4q",
                 "content_name": "Periodontal deep cleaning (4 quadrants)", "price": 880, "quantity": 1}]},
          phi=[("properties.contents", ["periodontal"])]),
        E("Schedule", U(H1, "/book-now", "state=" + b64url(jcompact(
            {"service": "dental implant", "patient": {"name": DEREK.full, "dob": DEREK.dob}}))),
          title="Book Now | " + B1, phi=[("url.query", ["dental implant"] + needles_of(DEREK, "first", "last", "dob"))]),
        E("Lead", U(H1, "/contact", "email=" + qv(JANE_EMAIL) + "&phone=" + qv(JANE_PHONE)), title="Contact | " + B1,
          phi=[("url.query", [JANE_EMAIL, "5125550147"])]),
        E("AgendarCitaInvisalign", U(H1, "/es/servicios/ortodoncia", "tratamiento=invisalign"),
          title="Ortodoncia con Invisalign | " + B1, locale="es-US",
          phi=[("event", ["invisalign"]), ("url.query", ["invisalign"]), ("page.title", ["invisalign"])]),
        E("CompleteRegistration", U(H2, "/forms/registration"), title="Registration | " + B2,
          form={"patient_name": CAMILA.full, "birthdate": "2011-09-14", "guardian_ssn": "078-05-1120",
                "allergies": "penicillin"},
          phi=[("form", needles_of(CAMILA, "first", "last") + ["2011-09-14", "078-05-1120", "penicillin"])]),
        E("Lead", U(H2, "/contact"), title="Root Canal Therapy | " + B2, props={"service_interest": "root canal"},
          phi=[("page.title", ["root canal"]), ("properties.custom", ["root canal"])]),
        E("Schedule", U(H1, "/book-now", "ttclid=" + qv(PRIYA.email)), title="Book Now | " + B1, ttclid=None,
          phi=[("url.ttclid", [PRIYA.email])]),
        E("Search", U(H1, "/search", "q=invisalign+cost"), title="Search | " + B1, props={"query": "invisalign cost"},
          phi=[("url.query", ["invisalign"]), ("properties.query", ["invisalign"])]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1,
          props={"description": "My 7 year old needs a periodontal evaluation"},
          phi=[("properties.description", ["periodontal"])]),
        E("download_price_list", U(H2, "/pricing", "item=invisalign-price-sheet"), title="Pricing | " + B2,
          phi=[("url.query", ["invisalign"])]),
        E("request_callback", U(H2, "/contact", "name=" + qv(MARIA.full) + "&address="
                                + qv("1234 Oak Street, Austin TX 78704")), title="Contact | " + B2,
          phi=[("url.query", needles_of(MARIA, "first", "last") + ["1234 oak street"])]),
        E("watch_invisalign_video", U(H1, "/smile-gallery"), title="Invisalign Stories | " + B1,
          phi=[("event", ["invisalign"]), ("page.title", ["invisalign"])]),
        E("root_canal_faq_expand", U(H1, "/faq"), title="Root Canal FAQ | " + B1,
          phi=[("event", ["root_canal"]), ("page.title", ["root canal"])]),
    ]


def phi_mental_health(b, v):
    H1, H2, B1, B2 = v.h1, v.h2, v.brand1, v.brand2
    E = b.E
    return [
        E("ADHDAssessmentSubmitted", U(H1, "/adhd-assessment/complete", "age=34"), title="ADHD Assessment | " + B1,
          form={"symptoms": "trouble focusing, forgetfulness, missed deadlines",
                "history": "diagnosed with ADHD as a child"},
          phi=[("event", ["adhd"]), ("url.path", ["adhd"]), ("page.title", ["adhd"]), ("form", ["adhd"])]),
        E("AnxietyTherapyBooked", U(H1, "/services/anxiety-therapy/book"), title="Anxiety Therapy | " + B1,
          phi=[("event", ["anxiety"]), ("url.path", ["anxiety"]), ("page.title", ["anxiety"])]),
        E("form_submit", U(H2, "/contact"), title="Contact | " + B2,
          props={"message": "I have been on Lexapro for 2 years and still have panic attacks"},
          form={"name": HANNAH.full, "email": HANNAH.email, "phone": HANNAH.phone},
          phi=[("properties.custom", ["lexapro"]), ("form", needles_of(HANNAH, "first", "last", "email", "phone"))]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1,
          props={"description": "I have been on Lexapro for 2 years"},
          phi=[("properties.description", ["lexapro"])]),
        E("Schedule", U("adhd.mindfulpaththerapy.com", "/book"), title="Adult ADHD Care | " + B1,
          phi=[("url.host", ["adhd"]), ("page.title", ["adhd"])]),
        E("Lead", U("ketamine.cedarcounselinggroup.com", "/consult", utm("spring_launch")),
          title="Ketamine-Assisted Therapy | " + B2, phi=[("url.host", ["ketamine"]), ("page.title", ["ketamine"])]),
        E("Lead", U(H2, "/contact"), ref=GOOGLE + "ptsd+therapist+near+me", title="Contact | " + B2,
          phi=[("page.referrer", ["ptsd"])]),
        E("Schedule", U(H1, "/book-now/confirmation"), title="Booked | " + B1, eid="sched-" + ASHLEY.email,
          phi=[("event_id", [ASHLEY.email])]),
        E("Contact", U(H1, "/"), title=B1, ttclid=ASHLEY.digits, phi=[("user.ttclid", [ASHLEY.digits])]),
        E("depression_screening_complete", U(H1, "/screening/phq-9", "score=17&condition=depression"),
          title="Your PHQ-9 Results | " + B1, form={"phq9_q9": "several days"},
          phi=[("event", ["depression"]), ("url.query", ["depression"])]),
        E("ContactoTerapiaDepresion", U(H1, "/es/terapia", "condition=Depresi%C3%B3n"),
          title="Terapia para la depresión | " + B1, locale="es-US",
          phi=[("event", ["depresion"]), ("url.query", ["depresión"]), ("page.title", ["depresión"])]),
        E("CompleteRegistration", U(H2, "/portal/chart", "mrn=MRN00519274"), title="Client Portal | " + B2,
          phi=[("url.query", ["mrn00519274"])]),
        E("Schedule", U(H1, "/book-now", "state=" + b64url(jcompact(
            {"visit_type": "bipolar medication management", "email": MARCUS.email}))), title="Book Now | " + B1,
          phi=[("url.query", ["bipolar", MARCUS.email])]),
        E("Lead", U(H2, "/contact"), title="Contact | " + B2, props={"content_category": "Trauma & PTSD"},
          phi=[("properties.content_category", ["ptsd"])]),
        E("newsletter_signup", U(H1, "/newsletter", "topic=" + double_pct("postpartum depression")),
          title="Newsletter | " + B1, phi=[("url.query", ["depression"])]),
        E("Lead", U(H2, "/contact"), title="Contact | " + B2,
          user=user_of(JORDAN, "email", "phone", "first", "last", "zip"),
          form={"dob": JORDAN.dob, "ssn": "219-09-9999", "current_medications": "sertraline 100mg",
                "emergency_contact": "Dana Ellison (210) 555-0199"},
          phi=[("user.pii", needles_of(JORDAN, "email", "phone", "first", "last", "zip")),
               ("form", [JORDAN.dob, "219-09-9999", "sertraline", "2105550199"])]),
        E("Schedule", U(H2, "/book-now/confirmation"), title="Booked | " + B2, ttp=sha1(MARCUS.email),
          phi=[("user.ttp", [sha1(MARCUS.email)])]),
        E("SubmitForm", U(H2, "/contact"), title="Bipolar Disorder Treatment | " + B2,
          props={"address": "410 Elm Avenue, Denver, CO 80220"},
          phi=[("page.title", ["bipolar"]), ("properties.custom", ["410 elm avenue"])]),
        E("ptsd_article_read", U(H2, "/resources/article"), title="Living with PTSD | " + B2,
          phi=[("event", ["ptsd"]), ("page.title", ["ptsd"])]),
        E("ViewKetaminePricing", U(H2, "/pricing"), title="Ketamine-Assisted Therapy Pricing | " + B2,
          phi=[("event", ["ketamine"]), ("page.title", ["ketamine"])]),
    ]


def phi_telehealth(b, v):
    H1, H2, B1, B2 = v.h1, v.h2, v.brand1, v.brand2
    E = b.E
    return [
        E("ed_intake_started", U(H1, "/start", "reason=erectile+dysfunction"), title="Get Started | " + B1,
          phi=[("url.query", ["erectile dysfunction"])]),
        E("Purchase", U(H1, "/checkout/complete"), title="Order Complete | " + B1,
          props={"value": 60, "currency": "USD", "content_type": "product",
                 "contents": [{"content_id": "rx-2031", "content_name": "Sildenafil 20 mg x 30 tablets", "price": 60,
                               "quantity": 1}]},
          phi=[("properties.contents", ["sildenafil"])]),
        E("Lead", U("sildenafil.vitalmenrx.com", "/"), title="Generic Viagra Online | " + B1,
          phi=[("url.host", ["sildenafil"]), ("page.title", ["viagra"])]),
        E("Schedule", U("menopause.bloomwomenshealth.com", "/book-visit"), title="Menopause Care | " + B2,
          phi=[("url.host", ["menopause"]), ("page.title", ["menopause"])]),
        E("InitiateCheckout", U(H1, "/checkout"), title="Checkout | " + B1,
          props={"value": 129, "currency": "USD", "content_name": "TRT Starter Kit"},
          phi=[("properties.content_name", ["trt starter kit"])]),
        E("Lead", U(H1, "/"), ref=GOOGLE + "viagra+online+prescription", title=B1,
          phi=[("page.referrer", ["viagra"])]),
        E("birth_control_quiz_complete", U(H2, "/quiz/complete"), title="Birth Control Online | " + B2,
          form={"dob": HANNAH.dob, "current_method": "pill", "smoker": "no"},
          phi=[("event", ["birth_control"]), ("page.title", ["birth control"]), ("form", [HANNAH.dob])]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1, eid="evt-" + DEREK.email,
          phi=[("event_id", [DEREK.email])]),
        E("CompleteRegistration", U(H2, "/account/signup"), title="Create Account | " + B2, ttclid=HANNAH.email,
          phi=[("user.ttclid", [HANNAH.email])]),
        E("Schedule", U(H1, "/book-now", "state=" + b64std_pct(jcompact(
            {"program": "hiv prep", "phone": MARCUS.phone}))), title="Book Now | " + B1,
          phi=[("url.query", ["hiv prep", MARCUS.digits])]),
        E("Lead", U(H1, "/contact", "data=" + json_pct({"interest": "testosterone therapy", "age": "44"})),
          title="Contact | " + B1, phi=[("url.query", ["testosterone therapy"])]),
        E("Search", U(H2, "/search"), title="Search | " + B2, props={"search_string": "std testing near me"},
          phi=[("properties.search_string", ["std testing"])]),
        E("ReservarConsultaED", U(H1, "/es/salud-masculina", "tratamiento=disfunci%C3%B3n+er%C3%A9ctil"),
          title="Disfunción eréctil: consulta en línea | " + B1, locale="es-US",
          phi=[("url.query", ["disfunción eréctil"]), ("page.title", ["disfunción eréctil"])]),
        E("Lead", U(H1, "/contact"), title="Contact | " + B1,
          props={"description": "Looking for an HIV PrEP refill, last test was negative"},
          phi=[("properties.description", ["hiv prep"])]),
        E("start_free_trial", U(H2, "/start"), title="Start Your Free Visit | " + B2,
          form={"first_name": LAUREN.first, "last_name": LAUREN.last, "email": LAUREN.email, "phone": LAUREN.phone,
                "symptoms": "hot flashes and night sweats, probably menopause"},
          phi=[("form", needles_of(LAUREN, "first", "last", "email", "phone") + ["menopause"])]),
        E("form_submit", U(H2, "/thank-you", "client_ip=73.162.18.244&src=contact_form"), title="Thank You | " + B2,
          phi=[("url.query", ["73.162.18.244"])]),
        E("Subscribe", U(H2, "/newsletter/confirmed", "uid=" + sha256(LAUREN.email)), title="Subscribed | " + B2,
          phi=[("url.query", [sha256(LAUREN.email)])]),
        E("Purchase", U(H2, "/checkout/complete"), title="Order Complete | " + B2,
          props={"value": 45, "currency": "USD", "order_id": HANNAH.email + "-0042"},
          phi=[("properties.order_id", [HANNAH.email])]),
        E("Lead", U(H1, "/thank-you") + "#program=trt&email=" + qv(DEREK.email), title="Thank You | " + B1,
          phi=[("url.fragment", ["trt", DEREK.email])]),
        E("Schedule", U(H2, "/book-now/confirmation"), ref=U(H2, "/services/hiv-prep/refill"),
          title="Visit Booked | " + B2, phi=[("page.referrer", ["hiv"])]),
        E("ViewIVFPricing", U(H2, "/pricing"), title="IVF & Egg Freezing Pricing | " + B2,
          phi=[("event", ["ivf"]), ("page.title", ["ivf", "egg freezing"])]),
        E("egg_freezing_video_play", U(H2, "/videos"), title="Egg Freezing 101 | " + B2,
          phi=[("event", ["egg_freezing"]), ("page.title", ["egg freezing"])]),
    ]


PHI_EVENTS = {"med-spa": phi_med_spa, "dermatology": phi_dermatology, "glp1-clinic": phi_glp1,
              "dental": phi_dental, "mental-health": phi_mental_health, "telehealth": phi_telehealth}


# ---- clean events ---------------------------------------------------------------------------------
def clean_recipes(b, v):
    H1, H2, B1, B2 = v.h1, v.h2, v.brand1, v.brand2
    E, rng = b.E, b.rng
    camp = lambda: rng.choice(CAMPAIGNS)  # noqa: E731
    return {
        "lead_contact": lambda: E("Lead", U(H1, "/contact"), title="Contact Us | " + B1, ttclid_in_url=False),
        "lead_contact2": lambda: E("Lead", U(H2, "/contact"), title="Contact | " + B2, ref="https://www.tiktok.com/"),
        "form_book": lambda: E("form_submit", U(H1, "/book-now"), title="Book Now | " + B1, ttclid_in_url=True),
        "form_book2": lambda: E("form_submit", U(H2, "/booking/request", utm(camp())), title="Request a Visit | " + B2),
        "contactformsubmit": lambda: E("ContactFormSubmit", U(H1, "/contact-us"), title="Contact Us | " + B1),
        "click_to_call": lambda: E("click_to_call", U(H1, "/"), title=B1, extra={"integration": "callrail"}),
        "click_to_call2": lambda: E("click_to_call", U(H2, "/locations/" + v.city_slug), title="Locations | " + B2),
        "newsletter": lambda: E("newsletter_signup", U(H1, "/"), title=B1),
        "schedule": lambda: E("Schedule", U(H1, "/book-now/confirmation"), title="You're booked! | " + B1,
                              props={"value": rng.choice([0, 50, 75, 100]), "currency": "USD"}),
        "schedule2": lambda: E("Schedule", U(H2, "/book-now/confirmation", utm(camp())), title="Confirmed | " + B2),
        "subscribe": lambda: E("Subscribe", U(H2, "/newsletter"), title="Newsletter | " + B2),
        "register": lambda: E("CompleteRegistration", U(H2, "/account/signup"), title="Create Account | " + B2),
        "generate_lead": lambda: E("generate_lead", U(H1, "/booking/request"), title="Request an Appointment | " + B1),
        "form_contact": lambda: E("form_submit", U(H2, "/contact"), title="Contact | " + B2),
        "lead_lower": lambda: E("lead", U(H1, "/contact", utm(camp())), title="Contact | " + B1,
                                ref="https://www.tiktok.com/", ttclid_in_url=True),
        "start_chat": lambda: E("start_chat", U(H1, "/"), title=B1),
        "contact_std": lambda: E("Contact", U(H2, "/"), title=B2),
        "submitform_std": lambda: E("SubmitForm", U(H1, "/contact-us"), title="Contact Us | " + B1),
        "clickbutton_std": lambda: E("ClickButton", U(H1, "/specials"), title="Specials | " + B1),
        "lead_utm": lambda: E("Lead", U(H1, "/contact", utm(camp())), ref="https://www.tiktok.com/",
                              title="Contact | " + B1, ttclid_in_url=True),
        "sub_book": lambda: E("form_submit", U("book." + registrable(H1), "/book-online"),
                              title="Online Booking | " + B1),
        "callback": lambda: E("request_callback", U(H2, "/contact"), title="Contact | " + B2),
        "sms_click": lambda: E("sms_click", U(H2, "/"), title=B2),
        "appointment_request": lambda: E("appointment_request", U(H1, "/book-now"), title="Book Now | " + B1,
                                         ref="https://www.instagram.com/"),
        "giftcard": lambda: E("Purchase", U(H1, "/gift-cards/checkout"), title="Gift Cards | " + B1,
                              props={"value": 100, "currency": "USD", "content_type": "product", "num_items": 1,
                                     "contents": [{"content_id": "gc-100", "content_name": "Gift Card $100",
                                                   "price": 100, "quantity": 1}]}),
        "checkout_std": lambda: E("InitiateCheckout", U(H2, "/checkout"), title="Checkout | " + B2,
                                  props={"value": rng.choice([49, 99, 149]), "currency": "USD"}),
        "directions": lambda: E("get_directions", U(H1, "/locations/" + v.city_slug), title="Locations | " + B1),
        "download": lambda: E("download_price_list", U(H2, "/pricing"), title="Pricing | " + B2),
        "pageview_std": lambda: E("PageView", U(H1, "/"), title=B1),
        # unmapped, clean
        "u_page_view": lambda: E("page_view", U(H1, "/", utm(camp())), title=B1, ref="https://www.tiktok.com/"),
        "u_scroll": lambda: E("scroll_depth", U(H1, "/about"), title="About Us | " + B1,
                              props={"percent_scrolled": "75"}),
        "u_video": lambda: E("video_play", U(H2, "/"), title=B2, props={"video_title": "Meet our team"}),
        "u_engaged": lambda: E("EngagedSession", U(H2, "/about"), title="About | " + B2),
        "u_outbound": lambda: E("outbound_click", U(H1, "/"), title=B1, props={"link_url": "https://www.instagram.com/"}),
        "u_faq": lambda: E("faq_expand", U(H1, "/faq"), title="FAQ | " + B1),
        "u_gallery": lambda: E("gallery_swipe", U(H2, "/gallery"), title="Gallery | " + B2),
        "u_directions": lambda: E("get_directions", U(H2, "/locations/" + v.city_slug), title="Locations | " + B2),
    }


CLEAN_PLAN = {
    "med-spa": ["lead_contact", "lead_contact2", "form_book", "form_book2", "contactformsubmit", "click_to_call",
                "newsletter", "schedule", "subscribe", "generate_lead", "lead_utm", "sub_book", "giftcard",
                "checkout_std", "directions", "download", "sms_click", "lead_lower",
                "u_page_view", "u_scroll", "u_video", "u_engaged", "u_gallery"],
    "dermatology": ["lead_contact", "lead_contact2", "form_book", "form_book2", "contactformsubmit", "click_to_call2",
                    "newsletter", "schedule", "schedule2", "register", "form_contact", "start_chat", "sub_book",
                    "giftcard", "directions", "download", "contact_std", "appointment_request",
                    "u_page_view", "u_scroll", "u_outbound", "u_engaged", "u_faq"],
    "glp1-clinic": ["lead_contact", "lead_contact2", "form_book", "form_book2", "contactformsubmit", "click_to_call",
                    "newsletter", "schedule", "subscribe", "register", "generate_lead", "lead_lower", "lead_utm",
                    "sub_book", "checkout_std", "download", "callback", "submitform_std",
                    "u_page_view", "u_scroll", "u_video", "u_engaged", "u_directions"],
    "dental": ["lead_contact", "lead_contact2", "form_book", "form_book2", "contactformsubmit", "click_to_call",
               "click_to_call2", "newsletter", "schedule", "schedule2", "register", "form_contact", "sub_book",
               "giftcard", "directions", "download", "pageview_std", "appointment_request",
               "u_page_view", "u_scroll", "u_video", "u_outbound", "u_faq"],
    "mental-health": ["lead_contact", "lead_contact2", "form_book", "form_book2", "contactformsubmit",
                      "click_to_call", "newsletter", "schedule", "schedule2", "subscribe", "register",
                      "generate_lead", "form_contact", "lead_lower", "start_chat", "sub_book", "callback",
                      "submitform_std",
                      "u_page_view", "u_scroll", "u_engaged", "u_faq", "u_directions"],
    "telehealth": ["lead_contact", "lead_contact2", "form_book", "form_book2", "contactformsubmit", "click_to_call",
                   "newsletter", "schedule", "subscribe", "register", "generate_lead", "lead_utm", "start_chat",
                   "checkout_std", "download", "clickbutton_std", "sms_click", "contact_std",
                   "u_page_view", "u_scroll", "u_video", "u_engaged", "u_outbound"],
}


def time_edge_events(b, v):
    """One event older than 7 days and one more than 10 minutes in the future (mapped names)."""
    H1, B1 = v.h1, v.brand1
    old_t = NOW - 8 * DAY - b.rng.randint(600, 20 * 3600)
    fut_t = NOW + b.rng.randint(40, 180) * 60
    old = b.E("Schedule", U(H1, "/book-now/confirmation"), title="You're booked! | " + B1,
              form={"name": MARIA.full, "phone": MARIA.phone},
              phi=[("form", needles_of(MARIA, "first", "last", "phone"))], time=("old", old_t))
    fut = b.E("Lead", U(H1, "/contact"), title="Contact Us | " + B1, time=("future", fut_t))
    return [old, fut]


def reject_lines(b, v):
    """Three lines per corpus the sanitizer must reject."""
    H1, H2 = v.h1, v.h2
    eid = lambda: "evt-" + b.hexid(8)  # noqa: E731
    vid = lambda: "v-" + b.hexid(12)  # noqa: E731
    t = NOW - b.rng.randint(2, 3 * DAY)
    base = lambda ev, url: {"event": ev, "event_id": eid(), "event_time": t, "visitor_id": vid(),  # noqa: E731
                            "page": {"url": url}, "user": {"ttclid": b.ttclid(), "locale": "en-US"}}
    dump = lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    k = v.key
    out = []
    if k == "med-spa":
        s = dump(base("Lead", U(H1, "/contact")))
        out.append(Spec(raw=s[: len(s) * 2 // 3], error_contains="invalid JSON"))
        o = base("Schedule", U(H1, "/book-now"))
        o["page"]["url"] = 42
        out.append(Spec(raw=dump(o), error_contains="page.url"))
        o = base("Lead", U(H2, "/contact"))
        del o["event"]
        out.append(Spec(raw=dump(o), error_contains="event"))
    elif k == "dermatology":
        out.append(Spec(raw="{'event': 'Lead', 'event_id': '%s', 'page': {'url': '%s'}}" % (eid(), U(H1, "/contact")),
                        error_contains="invalid JSON"))
        o = base("Purchase", U(H1, "/checkout/complete"))
        o["properties"] = {"value": "150.00", "currency": "USD"}
        out.append(Spec(raw=dump(o), error_contains="properties.value"))
        o = base("Lead", U(H2, "/contact"))
        o["evnt"] = o.pop("event")
        out.append(Spec(raw=dump(o), error_contains="event"))
    elif k == "glp1-clinic":
        out.append(Spec(raw="[object Object]", error_contains="invalid JSON"))
        o = base("Purchase", U(H2, "/checkout/complete"))
        o["properties"] = {"value": 299, "currency": "USD",
                           "contents": [{"content_id": "plan-1", "price": 299, "quantity": 1.5}]}
        out.append(Spec(raw=dump(o), error_contains="properties.contents"))
        o = base("", U(H1, "/contact"))
        out.append(Spec(raw=dump(o), error_contains="event"))
    elif k == "dental":
        s = dump(base("Lead", U(H1, "/contact")))
        out.append(Spec(raw=s[:-1], error_contains="invalid JSON"))
        o = base("Schedule", U(H2, "/book-now"))
        o["event_time"] = True
        out.append(Spec(raw=dump(o), error_contains="event_time"))
        o = base("Lead", U(H1, "/contact"))
        del o["event"]
        out.append(Spec(raw=dump(o), error_contains="event"))
    elif k == "mental-health":
        a = dump(base("Lead", U(H1, "/contact")))
        out.append(Spec(raw=a + a, error_contains="invalid JSON"))
        o = base("Lead", U(H2, "/contact"))
        o["user"]["email"] = ["client@example.com"]
        out.append(Spec(raw=dump(o), error_contains="user.email"))
        o = base("Schedule", U(H1, "/book-now"))
        o["event"] = None
        out.append(Spec(raw=dump(o), error_contains="event"))
    elif k == "telehealth":
        s = dump(base("Purchase", U(H1, "/checkout/complete")))
        out.append(Spec(raw=s[: len(s) // 2], error_contains="invalid JSON"))
        o = base("Purchase", U(H2, "/checkout/complete"))
        o["properties"] = {"value": 45, "currency": "USD", "content_ids": "plan-basic"}
        out.append(Spec(raw=dump(o), error_contains="properties.content_ids"))
        o = base("Lead", U(H1, "/contact"))
        o["event"] = 42
        out.append(Spec(raw=dump(o), error_contains="event"))
    return out


# --------------------------------------------------------------------------------------------------
# Validation of cs-event/1 types (reference for the reject expectations)
# --------------------------------------------------------------------------------------------------
def type_error(obj):
    def is_int(x):
        return isinstance(x, int) and not isinstance(x, bool)

    def is_num(x):
        return isinstance(x, (int, float)) and not isinstance(x, bool)

    if not isinstance(obj, dict):
        return "<root>"
    ev = obj.get("event")
    if not isinstance(ev, str) or not 1 <= len(ev) <= 128:
        return "event"
    for k in ("event_id", "visitor_id"):
        if k in obj and not isinstance(obj[k], str):
            return k
    if "event_time" in obj and not (is_int(obj["event_time"]) or isinstance(obj["event_time"], str)):
        return "event_time"
    for sect in ("page", "user"):
        if sect in obj:
            if not isinstance(obj[sect], dict):
                return sect
            for k, x in obj[sect].items():
                if not isinstance(x, str):
                    return sect + "." + k
    p = obj.get("properties", {})
    if not isinstance(p, dict):
        return "properties"
    for k, x in p.items():
        path = "properties." + k
        if k == "value" and not is_num(x):
            return path
        if k == "num_items" and not is_int(x):
            return path
        if k == "content_ids" and not (isinstance(x, list) and all(isinstance(i, str) for i in x)):
            return path
        if k == "contents":
            if not isinstance(x, list):
                return path
            for i, c in enumerate(x):
                if not isinstance(c, dict):
                    return path
                for ck, cv in c.items():
                    if ck == "price" and not is_num(cv):
                        return path
                    if ck == "quantity" and not is_int(cv):
                        return path
                    if ck in ("content_id", "content_name", "content_category", "brand") and not isinstance(cv, str):
                        return path
        if k in ("currency", "content_type", "content_name", "content_category", "query", "search_string",
                 "description", "order_id", "shop_id") and not isinstance(x, str):
            return path
    f = obj.get("form", {})
    if not isinstance(f, dict) or not all(isinstance(x, str) for x in f.values()):
        return "form"
    return None


def strict_loads(s):
    def bad_const(c):
        raise ValueError("non-JSON constant " + c)
    return json.loads(s, parse_constant=bad_const)


# --------------------------------------------------------------------------------------------------
# Building a corpus
# --------------------------------------------------------------------------------------------------
def build_corpus(key):
    v = VERTICALS[key]
    rng = random.Random("%d:%s" % (SEED, key))
    b = Builder(key, rng)
    recipes = clean_recipes(b, v)
    specs = PHI_EVENTS[key](b, v)
    specs += [recipes[name]() for name in CLEAN_PLAN[key]]
    specs += time_edge_events(b, v)
    specs += reject_lines(b, v)
    rng.shuffle(specs)

    # event_time: ~5% missing, ~20% ISO-8601 strings, the rest integers in [now-6d, now-60s]
    pool = [s for s in specs if not s.is_reject and s.time == "auto"]
    idx = list(range(len(pool)))
    rng.shuffle(idx)
    n_missing = max(2, round(0.05 * len(pool)))
    n_iso = round(0.2 * (len(pool) + 2))
    styles = ["Zms", "-06:00", "-05:00", "Z", "Zms", "-07:00", "+00:00", "-06:00", "Zms", "-04:00"]
    for rank, i in enumerate(idx):
        s = pool[i]
        if rank < n_missing:
            s.time = "missing"
            continue
        t = NOW - rng.randint(60, 6 * DAY)
        if rank < n_missing + n_iso:
            s.obj["event_time"] = iso(t, styles[rank % len(styles)])
        else:
            s.obj["event_time"] = t
    iso_future = key in ("glp1-clinic", "telehealth")
    for s in specs:
        if isinstance(s.time, tuple):
            kind, t = s.time
            s.obj["event_time"] = iso(t, "-06:00") if (kind == "future" and iso_future) else t
    for s in specs:
        if not s.is_reject:
            b.finish(s)
            s.raw = json.dumps(s.obj, ensure_ascii=False, separators=(",", ":"))
    return specs


def expectation(spec, line, rules):
    if spec.is_reject:
        return {"line": line, "decision": "reject", "error_contains": spec.error_contains}
    obj = spec.obj
    decision, info, out = sanitize_model(obj, rules)
    F = rules["fields"]
    kept = sorted({f for loc, _ in spec.phi if (f := kept_field_of(loc, F, obj))})
    e = {"line": line}
    if decision == "drop":
        if kept:
            raise SystemExit("line %d (%s): dropped (%s) but PHI in kept fields %s - ambiguous, redesign"
                             % (line, obj["event"], info, kept))
        e.update(decision="drop", reason=info)
    elif kept:
        e["decision"] = "quarantine"
        if len(kept) == 1:
            f = kept[0]
            e["reason_prefix"] = "phi_in_kept_field:" + f + ("" if f in ("properties.contents", "properties.content_ids") else ":")
        else:
            e["reason_prefix"] = "phi_in_kept_field:"
    else:
        e.update(decision="forward", tiktok_event=info)
    e["needles"] = spec.needles
    return e, out, kept


def check_event(spec, line, rules, exp, out, kept):
    """Cross-check one expectation with the reference scanner."""
    obj = spec.obj
    where = "line %d (%s, %s)" % (line, obj["event"], rules["name"])
    if type_error(obj):
        raise SystemExit(where + ": unexpected type error at " + type_error(obj))
    page_url = obj.get("page", {}).get("url")
    exempt = registrable(urllib.parse.urlsplit(page_url).hostname) if page_url else None
    if exp["decision"] == "quarantine":
        hits = scan_item(out, exempt, conservative=False)
        if set(hits) != set(kept):
            raise SystemExit("%s: annotated kept PHI fields %s but reference scanner found %s"
                             % (where, kept, {k: sorted(v) for k, v in hits.items()}))
    elif exp["decision"] == "forward":
        dirty = scan_item(out, exempt, conservative=True)
        if dirty:
            raise SystemExit("%s: forward expected but kept fields not clean: %s"
                             % (where, {k: sorted(v) for k, v in dirty.items()}))
    if spec.phi and not spec.needles:
        raise SystemExit(where + ": PHI annotated without needles")


def forwarded_text(exp, out):
    line = {"line": exp["line"], "decision": "forward", "event_id": out.get("event_id"), "tiktok": out, "reasons": []}
    return urllib.parse.unquote(json.dumps(line, ensure_ascii=False)).lower()


def write_expect(path, rules_rel, events):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{\n  "rules": %s,\n  "now": %d,\n  "events": [\n' % (json.dumps(rules_rel), NOW))
        f.write(",\n".join("    " + json.dumps(e, ensure_ascii=False) for e in events))
        f.write("\n  ]\n}\n")


def run_rules(specs, rules, line0=0):
    exps, fwd = [], []
    for i, s in enumerate(specs):
        line = line0 + i + 1
        if s.is_reject:
            exps.append(expectation(s, line, rules))
            try:
                obj = strict_loads(s.raw)
            except ValueError:
                if s.error_contains != "invalid JSON":
                    raise SystemExit("line %d: unintended invalid JSON" % line)
                continue
            if s.error_contains == "invalid JSON":
                raise SystemExit("line %d: meant to be invalid JSON but parses" % line)
            if type_error(obj) != s.error_contains:
                raise SystemExit("line %d: type error at %s, expected %s" % (line, type_error(obj), s.error_contains))
            continue
        if strict_loads(s.raw) != s.obj:
            raise SystemExit("line %d: serialisation round-trip failed" % line)
        e, out, kept = expectation(s, line, rules)
        check_event(s, line, rules, e, out, kept)
        exps.append(e)
        if e["decision"] == "forward":
            fwd.append((e, out))
    # No needle of any event may appear in any forwarded output of the same file.
    all_needles = {n for s in specs if not s.is_reject for n in s.needles}
    for e, out in fwd:
        text = forwarded_text(e, out)
        for n in all_needles:
            if n in text:
                raise SystemExit("line %d (%s): needle %r occurs in modelled forwarded output"
                                 % (e["line"], rules["name"], n))
    return exps


def main():
    tdir = os.path.join(REPO, "resources", "templates")
    templates = {k: load_json(os.path.join(tdir, k + ".json")) for k in TEMPLATES}
    permissive = make_permissive(templates["telehealth"])
    with open(os.path.join(REPO, PERMISSIVE_REL), "w", encoding="utf-8", newline="\n") as f:
        json.dump(permissive, f, indent=2, ensure_ascii=False)
        f.write("\n")

    all_specs = []
    summary = []
    for key in TEMPLATES:
        specs = build_corpus(key)
        if len(specs) < 40:
            raise SystemExit(key + ": fewer than 40 events")
        exps = run_rules(specs, templates[key])
        with open(os.path.join(HERE, key + ".ndjson"), "w", encoding="utf-8", newline="\n") as f:
            for s in specs:
                f.write(s.raw + "\n")
        write_expect(os.path.join(HERE, key + ".expect.json"), "resources/templates/%s.json" % key, exps)
        clean = sum(1 for s in specs if not s.is_reject and not s.needles)
        summary.append((key, len(specs), clean, exps))
        all_specs += specs

    mixed_exps = run_rules(all_specs, permissive)
    with open(os.path.join(HERE, "mixed.ndjson"), "w", encoding="utf-8", newline="\n") as f:
        for s in all_specs:
            f.write(s.raw + "\n")
    write_expect(os.path.join(HERE, "mixed.permissive.expect.json"), PERMISSIVE_REL, mixed_exps)
    summary.append(("mixed (permissive)", len(all_specs),
                    sum(1 for s in all_specs if not s.is_reject and not s.needles), mixed_exps))

    for name, n, clean, exps in summary:
        counts = {}
        for e in exps:
            k = e["decision"] + ("/" + e["reason"] if e["decision"] == "drop" else "")
            counts[k] = counts.get(k, 0) + 1
        print("%-20s lines=%3d clean=%3d  %s" % (name, n, clean, "  ".join("%s=%d" % kv for kv in sorted(counts.items()))))


if __name__ == "__main__":
    sys.exit(main())
