// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventParser.h"

#include "common/JsonWriter.h"
#include "common/KeyLabel.h"

#include <QDateTime>

#include <cmath>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;
using Type = JsonDom::Type;

namespace {

// Plausible event times: 2000-01-01 to 2100-01-01. Anything else is a unit or format mistake.
constexpr qint64 earliestEventTime = 946684800;
constexpr qint64 latestEventTime = 4102444800;
constexpr double maxMoney = 1e12;
constexpr double maxCount = 1e9;
constexpr int maxArrayStringLength = 256;

QString typeName(Type type)
{
    switch (type) {
    case Type::Null:
        return u"null"_s;
    case Type::Bool:
        return u"true/false"_s;
    case Type::Number:
        return u"a number"_s;
    case Type::String:
        return u"a string"_s;
    case Type::Array:
        return u"an array"_s;
    case Type::Object:
        return u"an object"_s;
    }
    return u"missing"_s;
}

/// Key names go into traces and messages: a key that could itself be someone's data is not repeated.
QString keyOrPlaceholder(const QString& key)
{
    const QString label = keyLabel(QStringView(), key);
    return label.isEmpty() ? u"(a key not shown)"_s : label;
}

/// Reads one event out of a JsonDom; every check names the field it failed on.
class EventReader final
{
public:
    explicit EventReader(const JsonDom& dom) : m_dom(dom) {}

    Expected<RawEvent> read(int root);

private:
    const JsonDom::Node& node(int index) const { return m_dom.node(index); }
    Error typeError(const QString& path, const QString& expected, int index) const
    {
        return Error{u"%1 must be %2, not %3"_s.arg(path, expected, typeName(node(index).type))};
    }
    bool isEmpty(int index) const
    {
        const JsonDom::Node& n = node(index);
        return n.type == Type::Null || (n.type == Type::String && n.begin == n.end);
    }

    std::optional<Error> checkDepth(int root) const;
    Expected<QString> readString(const QString& path, int index, int maxLength) const;
    std::optional<Error> checkNumber(const QString& path, int index, double max, bool integral) const;
    std::optional<Error> readSection(EventSection section, QLatin1StringView sectionKey, int index, RawEvent& event);
    std::optional<Error> readField(const EventFieldSpec& spec, int index, RawEvent& event);
    std::optional<Error> readContents(int index, RawEvent& event);

    const JsonDom& m_dom;
};

std::optional<Error> EventReader::checkDepth(int root) const
{
    // The event object is level 1. Paths are built only for the message.
    const int rootDepth = node(root).depth;
    for (int i = root + 1; i < m_dom.nodeCount() && node(i).depth > rootDepth; ++i) { // the root's subtree
        if (node(i).depth - rootDepth + 1 <= EventLimits::maxDepth)
            continue;
        QStringList parts;
        for (int at = i; at != root && at >= 0; at = node(at).parent) {
            const int parent = node(at).parent;
            if (node(parent).type == Type::Array) {
                int position = 0;
                for (int sibling = node(parent).firstChild; sibling != at; sibling = node(sibling).nextSibling)
                    ++position;
                parts.prepend(u"[%1]"_s.arg(position));
            } else {
                parts.prepend(u'.' + keyOrPlaceholder(m_dom.key(at)));
            }
        }
        QString path = parts.join(QString());
        if (path.startsWith(u'.'))
            path.remove(0, 1);
        return Error{u"%1 is nested more than %2 levels deep; flatten the data"_s.arg(path).arg(EventLimits::maxDepth)};
    }
    return std::nullopt;
}

Expected<QString> EventReader::readString(const QString& path, int index, int maxLength) const
{
    if (node(index).type != Type::String)
        return typeError(path, u"a string"_s, index);
    QString text = m_dom.string(index);
    if (text.size() > maxLength)
        return Error{u"%1 is %2 characters long; the limit is %3"_s.arg(path).arg(text.size()).arg(maxLength)};
    return text;
}

std::optional<Error> EventReader::checkNumber(const QString& path, int index, double max, bool integral) const
{
    if (node(index).type != Type::Number)
        return typeError(path, integral ? u"a whole number"_s : u"a number"_s, index);
    const double number = node(index).number;
    if (number < 0 || number > max)
        return Error{u"%1 must be between 0 and %2"_s.arg(path, QString::number(qint64(max)))};
    if (integral && std::floor(number) != number)
        return Error{u"%1 must be a whole number"_s.arg(path)};
    return std::nullopt;
}

std::optional<Error> EventReader::readContents(int index, RawEvent& event)
{
    const EventFieldSpec& spec = fieldSpec(EventField::PropContents);
    const QString& path = fieldPathString(spec.field);
    if (node(index).type != Type::Array)
        return typeError(path, u"an array"_s, index);
    if (node(index).childCount > spec.maxLength)
        return Error{u"%1 has %2 entries; the limit is %3"_s.arg(path).arg(node(index).childCount).arg(spec.maxLength)};
    // Kept in ClearSignal's key order, so the sanitizer can send it as it is.
    JsonWriter output;
    output.beginArray();
    int position = 0;
    for (int item = node(index).firstChild; item >= 0; item = node(item).nextSibling, ++position) {
        const QString itemPath = u"%1[%2]"_s.arg(path).arg(position);
        if (node(item).type != Type::Object)
            return typeError(itemPath, u"an object"_s, item);
        std::array<int, 6> members; // node of each key, in contentItemKeys() order
        members.fill(-1);
        const auto keys = contentItemKeys();
        for (int member = node(item).firstChild; member >= 0; member = node(member).nextSibling) {
            const auto known = std::find_if(keys.begin(), keys.end(),
                                            [&](QLatin1StringView key) { return m_dom.keyIs(member, key); });
            if (known == keys.end()) {
                event.unknownFields.append(itemPath + u'.' + keyOrPlaceholder(m_dom.key(member)));
                continue;
            }
            if (node(member).type == Type::Null)
                continue;
            const QString keyPath = itemPath + u'.' + *known;
            const bool price = *known == "price"_L1;
            const bool quantity = *known == "quantity"_L1;
            if (price || quantity) {
                if (auto error = checkNumber(keyPath, member, price ? maxMoney : maxCount, quantity))
                    return error;
            } else if (Expected<QString> text = readString(keyPath, member, 1024); !text) {
                return text.error();
            }
            members[size_t(known - keys.begin())] = member;
        }
        output.beginObject();
        for (size_t k = 0; k < members.size(); ++k) {
            const int member = members[k];
            if (member < 0)
                continue;
            output.key(keys[k]);
            if (node(member).type == Type::Number)
                output.value(node(member).number);
            else
                output.value(m_dom.string(member));
        }
        output.endObject();
    }
    output.endArray();
    event.setJson(EventField::PropContents, output.take());
    return std::nullopt;
}

std::optional<Error> EventReader::readField(const EventFieldSpec& spec, int index, RawEvent& event)
{
    const QString& path = fieldPathString(spec.field);
    switch (spec.kind) {
    case FieldValueKind::String: {
        if (spec.field == EventField::PropCurrency) {
            if (node(index).type != Type::String)
                return typeError(path, u"a string"_s, index);
            const QString text = m_dom.string(index);
            const bool letters = text.size() == 3 && std::all_of(text.begin(), text.end(), [](QChar c) {
                return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z');
            });
            if (!letters)
                return Error{u"properties.currency must be a three-letter ISO 4217 code such as USD"_s};
            event.setText(spec.field, text.toUpper());
            return std::nullopt;
        }
        const JsonDom::Node& n = node(index);
        if (n.type != Type::String)
            return typeError(path, u"a string"_s, index);
        // UTF-16 never needs more units than UTF-8 needs bytes: short byte runs pass without decoding.
        if (n.end - n.begin > spec.maxLength) {
            if (Expected<QString> text = readString(path, index, spec.maxLength); !text)
                return text.error();
        }
        event.setSourceText(spec.field, n.begin, n.end, n.escaped);
        return std::nullopt;
    }
    case FieldValueKind::Number:
    case FieldValueKind::Integer:
        if (auto error = checkNumber(path, index, spec.kind == FieldValueKind::Number ? maxMoney : maxCount,
                                     spec.kind == FieldValueKind::Integer))
            return error;
        event.setNumber(spec.field, node(index).number);
        return std::nullopt;
    case FieldValueKind::StringArray: {
        if (node(index).type != Type::Array)
            return typeError(path, u"an array of strings"_s, index);
        if (node(index).childCount > spec.maxLength)
            return Error{u"%1 has %2 entries; the limit is %3"_s.arg(path).arg(node(index).childCount).arg(spec.maxLength)};
        JsonWriter strings;
        strings.beginArray();
        int position = 0;
        for (int item = node(index).firstChild; item >= 0; item = node(item).nextSibling, ++position) {
            Expected<QString> text = readString(u"%1[%2]"_s.arg(path).arg(position), item, maxArrayStringLength);
            if (!text)
                return text.error();
            strings.value(*text);
        }
        strings.endArray();
        event.setJson(spec.field, strings.take());
        return std::nullopt;
    }
    case FieldValueKind::Contents:
        return readContents(index, event);
    }
    return std::nullopt;
}

std::optional<Error> EventReader::readSection(EventSection section, QLatin1StringView sectionKey, int index,
                                              RawEvent& event)
{
    if (node(index).type == Type::Null)
        return std::nullopt;
    if (node(index).type != Type::Object)
        return typeError(QString(sectionKey), u"an object"_s, index);

    JsonWriter custom; // properties without a field of their own, kept as JSON for the trace
    int customCount = 0;
    for (int member = node(index).firstChild; member >= 0; member = node(member).nextSibling) {
        const EventFieldSpec* spec = nullptr;
        for (const EventFieldSpec& candidate : sectionSpecs(section)) {
            if (m_dom.keyIs(member, candidate.key)) {
                spec = &candidate;
                break;
            }
        }
        if (!spec) {
            if (section == EventSection::Properties) {
                if (++customCount > EventLimits::maxCustomProperties)
                    return Error{u"properties has more than %1 custom keys"_s.arg(EventLimits::maxCustomProperties)};
                custom.key(m_dom.key(member));
                custom.raw(m_dom.raw(member).toByteArray());
            } else {
                event.unknownFields.append(QString(sectionKey) + u'.' + keyOrPlaceholder(m_dom.key(member)));
            }
            continue;
        }
        if (isEmpty(member))
            continue;
        if (auto error = readField(*spec, member, event))
            return error;
    }
    if (customCount > 0) {
        event.customPropertiesJson = '{' + custom.take() + '}';
    }
    return std::nullopt;
}

Expected<RawEvent> EventReader::read(int root)
{
    if (node(root).type != Type::Object)
        return Error{u"an event must be a JSON object, not %1"_s.arg(typeName(node(root).type))};
    if (auto error = checkDepth(root))
        return *error;

    RawEvent event;
    event.source = m_dom.source();
    bool hasName = false;
    for (int member = node(root).firstChild; member >= 0; member = node(member).nextSibling) {
        if (m_dom.keyIs(member, "event"_L1)) {
            if (node(member).type == Type::Null)
                continue;
            if (node(member).type != Type::String)
                return typeError(u"event"_s, u"a string"_s, member);
            event.name = m_dom.string(member);
            hasName = true;
            if (event.name.trimmed().isEmpty() || event.name.size() > EventLimits::maxNameLength)
                return Error{u"event must be 1 to %1 characters"_s.arg(EventLimits::maxNameLength)};
            if (std::any_of(event.name.begin(), event.name.end(),
                            [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; }))
                return Error{u"event contains control characters"_s};
        } else if (m_dom.keyIs(member, "event_time"_L1)) {
            const JsonDom::Node& time = node(member);
            if (time.type == Type::Null)
                continue;
            Expected<qint64> seconds = time.type == Type::Number   ? EventParser::parseEventTime(time.number)
                                       : time.type == Type::String ? EventParser::parseEventTime(m_dom.string(member))
                                                                   : Expected<qint64>(typeError(
                                                                         u"event_time"_s,
                                                                         u"Unix seconds or an ISO-8601 string"_s,
                                                                         member));
            if (!seconds)
                return seconds.error();
            event.eventTime = *seconds;
        } else if (m_dom.keyIs(member, "visitor_id"_L1)) {
            if (isEmpty(member))
                continue;
            Expected<QString> visitor = readString(u"visitor_id"_s, member, 128);
            if (!visitor)
                return visitor.error();
            event.visitorId = *visitor;
        } else if (m_dom.keyIs(member, "event_id"_L1)) {
            if (isEmpty(member))
                continue;
            if (auto error = readField(fieldSpec(EventField::EventId), member, event))
                return *error;
        } else if (m_dom.keyIs(member, "page"_L1)) {
            if (auto error = readSection(EventSection::Page, "page"_L1, member, event))
                return *error;
        } else if (m_dom.keyIs(member, "user"_L1)) {
            if (auto error = readSection(EventSection::User, "user"_L1, member, event))
                return *error;
        } else if (m_dom.keyIs(member, "properties"_L1)) {
            if (auto error = readSection(EventSection::Properties, "properties"_L1, member, event))
                return *error;
        } else if (m_dom.keyIs(member, "form"_L1)) {
            if (node(member).type == Type::Null)
                continue;
            if (node(member).type != Type::Object)
                return typeError(u"form"_s, u"an object"_s, member);
            if (node(member).childCount > EventLimits::maxFormFields)
                return Error{u"form has %1 fields; the limit is %2"_s.arg(node(member).childCount).arg(
                    EventLimits::maxFormFields)};
            event.formJson = m_dom.raw(member).toByteArray();
        } else {
            event.unknownFields.append(keyOrPlaceholder(m_dom.key(member)));
        }
    }
    if (!hasName)
        return Error{u"event is required: the name of what happened, such as \"Lead\""_s};
    return event;
}

Expected<qint64> checkRange(qint64 seconds)
{
    if (seconds < earliestEventTime || seconds > latestEventTime)
        return Error{u"event_time %1 is outside 2000-2100; send Unix seconds"_s.arg(seconds)};
    return seconds;
}

} // namespace

Expected<qint64> EventParser::parseEventTime(double number)
{
    if (std::floor(number) != number)
        return Error{u"event_time must be whole Unix seconds"_s};
    if (number > 1e11 && number < 1e14)
        return Error{u"event_time %1 looks like milliseconds; send Unix seconds"_s.arg(qint64(number))};
    if (std::fabs(number) > 1e15)
        return Error{u"event_time is outside 2000-2100; send Unix seconds"_s};
    return checkRange(qint64(number));
}

Expected<qint64> EventParser::parseEventTime(const QString& text)
{
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return Error{u"event_time is not an ISO-8601 date-time such as 2026-11-21T15:04:05Z"_s};
    if (time.timeSpec() == Qt::LocalTime)
        return Error{u"event_time has no time zone; add Z or an offset such as -05:00"_s};
    return checkRange(time.toSecsSinceEpoch());
}

Expected<RawEvent> EventParser::parse(const QByteArray& json)
{
    if (json.size() > EventLimits::maxEventBytes)
        return Error{u"the event is %1 bytes; the limit is %2 bytes (64 KiB)"_s.arg(json.size()).arg(
            EventLimits::maxEventBytes)};
    const Expected<JsonDom> dom = JsonDom::parse(json);
    if (!dom)
        return dom.error();
    return parse(*dom, JsonDom::root);
}

Expected<RawEvent> EventParser::parse(const JsonDom& dom, int node)
{
    return EventReader(dom).read(node);
}

} // namespace ClearSignal
