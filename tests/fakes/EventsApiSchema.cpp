// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventsApiSchema.h"

#include "tiktok/IdentifierHashing.h"
#include "tiktok/StandardEvents.h"

#include <QUrl>

#include <algorithm>
#include <initializer_list>

namespace ClearSignal::Fakes {

using namespace Qt::Literals::StringLiterals;

namespace {

using Type = JsonDom::Type;

// The wording follows TikTok's (marshmallow-style) messages, without the trailing period of its example.
const QString notString = u"Not a valid string"_s;
const QString notInteger = u"Not a valid integer"_s;
const QString notNumber = u"Not a valid number"_s;
const QString notBoolean = u"Not a valid boolean"_s;
const QString notList = u"Not a valid list"_s;
const QString notObject = u"Not a valid object"_s;
const QString unknownField = u"Unknown field"_s;
const QString missingField = u"Missing data for required field"_s;

QString join(const QString& path, QStringView key)
{
    return path.isEmpty() ? key.toString() : path + u'.' + key;
}

class Checker final
{
public:
    using Check = bool (Checker::*)(int node, const QString& path);
    struct Field
    {
        QLatin1StringView key;
        Check check;
        bool required = false;
    };

    Checker(const JsonDom& dom, const EventsApiSchema::Limits& limits, qint64 now)
        : m_dom(dom), m_limits(limits), m_now(now)
    {}

    bool request();
    const QString& error() const { return m_error; }

private:
    const JsonDom::Node& node(int index) const { return m_dom.node(index); }
    bool fail(const QString& path, const QString& what)
    {
        m_error = path + u": "_s + what;
        return false;
    }

    bool object(int index, const QString& path, std::initializer_list<Field> fields);
    bool eachOf(int index, const QString& path, Check check);

    bool string(int index, const QString& path) { return node(index).type == Type::String || fail(path, notString); }
    bool integer(int index, const QString& path);
    bool number(int index, const QString& path) { return node(index).type == Type::Number || fail(path, notNumber); }
    bool boolean(int index, const QString& path) { return node(index).type == Type::Bool || fail(path, notBoolean); }
    bool stringList(int index, const QString& path) { return eachOf(index, path, &Checker::string); }
    bool hash(int index, const QString& path);
    bool hashes(int index, const QString& path);
    bool url(int index, const QString& path);
    bool currency(int index, const QString& path);
    bool deliveryCategory(int index, const QString& path);
    bool eventName(int index, const QString& path);
    bool eventTime(int index, const QString& path);

    bool item(int index, const QString& path);
    bool user(int index, const QString& path);
    bool page(int index, const QString& path);
    bool properties(int index, const QString& path);
    bool contents(int index, const QString& path) { return eachOf(index, path, &Checker::content); }
    bool content(int index, const QString& path);
    bool lead(int index, const QString& path);

    const JsonDom& m_dom;
    const EventsApiSchema::Limits& m_limits;
    const qint64 m_now;
    QString m_source;
    QString m_error;
};

bool Checker::request()
{
    static const QStringList sources = {u"web"_s, u"app"_s, u"offline"_s, u"crm"_s};
    static const QStringList topLevel = {u"event_source"_s, u"event_source_id"_s, u"test_event_code"_s,
                                         u"partner_name"_s, u"data"_s};
    const int root = JsonDom::root;
    if (node(root).type != Type::Object)
        return fail(u"Request body"_s, notObject);
    // Top-level fields first, in a fixed order: the events can only be judged once event_source is known.
    for (int m = node(root).firstChild; m >= 0; m = node(m).nextSibling) {
        if (!topLevel.contains(m_dom.key(m)))
            return fail(m_dom.key(m), unknownField);
    }
    const int source = m_dom.member(root, "event_source"_L1);
    if (source < 0)
        return fail(u"event_source"_s, missingField);
    if (!string(source, u"event_source"_s))
        return false;
    m_source = m_dom.string(source);
    if (!sources.contains(m_source))
        return fail(u"event_source"_s, u"Must be one of: web, app, offline, crm"_s);
    const int sourceId = m_dom.member(root, "event_source_id"_L1);
    if (sourceId < 0)
        return fail(u"event_source_id"_s, missingField);
    if (!string(sourceId, u"event_source_id"_s))
        return false;
    if (m_dom.string(sourceId).trimmed().isEmpty())
        return fail(u"event_source_id"_s, u"Must not be empty"_s);
    const int testCode = m_dom.member(root, "test_event_code"_L1);
    if (testCode >= 0 && !string(testCode, u"test_event_code"_s))
        return false;
    const int partner = m_dom.member(root, "partner_name"_L1);
    if (partner >= 0 && !string(partner, u"partner_name"_s))
        return false;
    const int data = m_dom.member(root, "data"_L1);
    if (data < 0)
        return fail(u"data"_s, missingField);
    if (node(data).type != Type::Array)
        return fail(u"data"_s, notList);
    const int count = node(data).childCount;
    if (count < 1 || count > EventsApiSchema::maxEvents)
        return fail(u"data"_s, u"Must hold 1 to %1 events, not %2"_s.arg(EventsApiSchema::maxEvents).arg(count));
    // The relay sends test events one by one (research 1.8); a batch of them is a relay bug.
    if (testCode >= 0 && count != 1)
        return fail(u"data"_s, u"A request with test_event_code must hold exactly one event, not %1"_s.arg(count));
    int index = 0;
    for (int e = node(data).firstChild; e >= 0; e = node(e).nextSibling, ++index) {
        if (!item(e, u"Batch.%1"_s.arg(index)))
            return false;
    }
    return true;
}

bool Checker::object(int index, const QString& path, std::initializer_list<Field> fields)
{
    if (node(index).type != Type::Object)
        return fail(path, notObject);
    for (int m = node(index).firstChild; m >= 0; m = node(m).nextSibling) {
        const auto field =
            std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return m_dom.keyIs(m, f.key); });
        const QString memberPath = join(path, m_dom.key(m));
        if (field == fields.end())
            return fail(memberPath, unknownField);
        if (!(this->*field->check)(m, memberPath))
            return false;
    }
    for (const Field& field : fields) {
        if (field.required && m_dom.member(index, field.key) < 0)
            return fail(join(path, QString(field.key)), missingField);
    }
    return true;
}

bool Checker::eachOf(int index, const QString& path, Check check)
{
    if (node(index).type != Type::Array)
        return fail(path, notList);
    int i = 0;
    for (int e = node(index).firstChild; e >= 0; e = node(e).nextSibling, ++i) {
        if (!(this->*check)(e, join(path, QString::number(i))))
            return false;
    }
    return true;
}

bool Checker::integer(int index, const QString& path)
{
    // The literal decides: 1.0 and 1e3 are numbers but not integers, as for a Python JSON reader.
    if (node(index).type != Type::Number)
        return fail(path, notInteger);
    const QByteArrayView literal = m_dom.raw(index);
    const bool digits =
        std::all_of(literal.begin(), literal.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
    return digits || fail(path, notInteger);
}

bool Checker::hash(int index, const QString& path)
{
    if (!string(index, path))
        return false;
    const QString value = m_dom.string(index);
    if (!IdentifierHashing::isSha256Hex(value) || value != value.toLower())
        return fail(path, u"Not a lowercase SHA-256 hex digest"_s);
    return true;
}

bool Checker::hashes(int index, const QString& path)
{
    // Both forms are in production use: one string (Rudder, stape) or a list of them (Segment).
    if (node(index).type == Type::String)
        return hash(index, path);
    if (node(index).type != Type::Array)
        return fail(path, u"Not a valid string or list"_s);
    if (node(index).childCount == 0)
        return fail(path, u"Must not be an empty list"_s);
    return eachOf(index, path, &Checker::hash);
}

bool Checker::url(int index, const QString& path)
{
    if (!string(index, path))
        return false;
    const QUrl url(m_dom.string(index), QUrl::StrictMode);
    const bool web = url.scheme() == "http"_L1 || url.scheme() == "https"_L1;
    return (url.isValid() && web && !url.host().isEmpty()) || fail(path, u"Not an absolute http or https URL"_s);
}

bool Checker::currency(int index, const QString& path)
{
    if (!string(index, path))
        return false;
    const QString code = m_dom.string(index);
    const bool iso =
        code.size() == 3 && std::all_of(code.begin(), code.end(), [](QChar c) { return c >= u'A' && c <= u'Z'; });
    return iso || fail(path, u"Not a valid currency code (3 uppercase letters)"_s);
}

bool Checker::deliveryCategory(int index, const QString& path)
{
    static const QStringList categories = {u"in_store"_s, u"curbside"_s, u"home_delivery"_s};
    if (!string(index, path))
        return false;
    return categories.contains(m_dom.string(index)) ||
           fail(path, u"Must be one of: in_store, curbside, home_delivery"_s);
}

bool Checker::eventName(int index, const QString& path)
{
    if (!string(index, path))
        return false;
    const QString name = m_dom.string(index);
    return StandardEvents::isStandard(name) || fail(path, u"Not a TikTok standard event: \"%1\""_s.arg(name));
}

bool Checker::eventTime(int index, const QString& path)
{
    if (!integer(index, path))
        return false;
    const double seconds = node(index).number;
    if (seconds > double(m_now + m_limits.maxFuture.count()))
        return fail(path, u"More than %1 in the future"_s.arg(EventsApiSchema::describe(m_limits.maxFuture)));
    const bool offline = m_source == "offline"_L1 || m_source == "crm"_L1;
    const std::chrono::seconds maxAge = offline ? m_limits.maxOfflineAge : m_limits.maxAge;
    if (seconds < double(m_now - maxAge.count()))
        return fail(path, u"Older than %1"_s.arg(EventsApiSchema::describe(maxAge)));
    return true;
}

bool Checker::item(int index, const QString& path)
{
    return object(index, path,
                  {{"event"_L1, &Checker::eventName, true},
                   {"event_time"_L1, &Checker::eventTime, true},
                   {"event_id"_L1, &Checker::string},
                   {"user"_L1, &Checker::user},
                   {"page"_L1, &Checker::page},
                   {"properties"_L1, &Checker::properties},
                   {"limited_data_use"_L1, &Checker::boolean},
                   {"lead"_L1, &Checker::lead}});
}

bool Checker::user(int index, const QString& path)
{
    return object(index, path,
                  {{"email"_L1, &Checker::hashes},
                   {"phone"_L1, &Checker::hashes},
                   {"external_id"_L1, &Checker::hashes},
                   {"first_name"_L1, &Checker::hashes},
                   {"last_name"_L1, &Checker::hashes},
                   {"zip_code"_L1, &Checker::hashes},
                   {"ttclid"_L1, &Checker::string},
                   {"ttp"_L1, &Checker::string},
                   {"ip"_L1, &Checker::string},
                   {"user_agent"_L1, &Checker::string},
                   {"locale"_L1, &Checker::string},
                   {"city"_L1, &Checker::string},
                   {"state"_L1, &Checker::string},
                   {"country"_L1, &Checker::string}});
}

bool Checker::page(int index, const QString& path)
{
    return object(index, path, {{"url"_L1, &Checker::url}, {"referrer"_L1, &Checker::string}});
}

bool Checker::properties(int index, const QString& path)
{
    return object(index, path,
                  {{"contents"_L1, &Checker::contents},
                   {"content_type"_L1, &Checker::string},
                   {"currency"_L1, &Checker::currency},
                   {"value"_L1, &Checker::number},
                   {"query"_L1, &Checker::string},
                   {"search_string"_L1, &Checker::string},
                   {"description"_L1, &Checker::string},
                   {"order_id"_L1, &Checker::string},
                   {"shop_id"_L1, &Checker::string},
                   {"content_ids"_L1, &Checker::stringList},
                   {"num_items"_L1, &Checker::integer},
                   {"delivery_category"_L1, &Checker::deliveryCategory},
                   {"predicted_ltv"_L1, &Checker::number}});
}

bool Checker::content(int index, const QString& path)
{
    return object(index, path,
                  {{"content_id"_L1, &Checker::string},
                   {"content_name"_L1, &Checker::string},
                   {"content_category"_L1, &Checker::string},
                   {"brand"_L1, &Checker::string},
                   {"price"_L1, &Checker::number},
                   {"quantity"_L1, &Checker::integer}});
}

bool Checker::lead(int index, const QString& path)
{
    if (m_source != "crm"_L1)
        return fail(path, u"Only allowed when event_source is crm"_s);
    return object(index, path, {{"lead_id"_L1, &Checker::string}, {"lead_event_source"_L1, &Checker::string}});
}

} // namespace

Status EventsApiSchema::validate(const JsonDom& body, qint64 nowSeconds) const
{
    Checker checker(body, m_limits, nowSeconds);
    if (!checker.request())
        return Error{checker.error()};
    return Ok;
}

QString EventsApiSchema::describe(std::chrono::seconds duration)
{
    const qint64 seconds = duration.count();
    const auto unit = [](qint64 n, const QString& name) -> QString {
        return QString::number(n) + u' ' + name + (n == 1 ? QString() : u"s"_s);
    };
    if (seconds != 0 && seconds % 86400 == 0)
        return unit(seconds / 86400, u"day"_s);
    if (seconds != 0 && seconds % 3600 == 0)
        return unit(seconds / 3600, u"hour"_s);
    if (seconds != 0 && seconds % 60 == 0)
        return unit(seconds / 60, u"minute"_s);
    return unit(seconds, u"second"_s);
}

} // namespace ClearSignal::Fakes
