// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Expected.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QString>

#include <vector>

namespace ClearSignal {

/// A read-only JSON document parsed from UTF-8: strict RFC 8259 (no NaN, no trailing commas, no comments,
/// no duplicate keys, valid UTF-8 and \u escapes only), one node table, strings decoded only when asked for.
///
/// It exists for the relay's hot path and the final gate: QJsonDocument converts every value into its CBOR
/// representation, which costs more than everything else an event needs. Duplicate keys are refused because
/// two parsers that pick different duplicates are how payloads are smuggled past a check.
class JsonDom final
{
public:
    enum class Type : quint8 { Null, Bool, Number, String, Array, Object };

    struct Node
    {
        Type type = Type::Null;
        bool boolean = false;
        bool escaped = false;    ///< string value contains escapes (decode before comparing)
        bool keyEscaped = false; ///< member key contains escapes
        int depth = 0;           ///< the root is depth 1
        int parent = -1;
        int firstChild = -1;
        int nextSibling = -1;
        int childCount = 0;
        qsizetype begin = 0; ///< strings: first byte after the opening quote; others: first byte
        qsizetype end = 0;   ///< strings: the closing quote; others: one past the last byte
        qsizetype keyBegin = 0; ///< object members: the key, without quotes
        qsizetype keyEnd = 0;
        double number = 0;
    };

    static constexpr int defaultMaxDepth = 64;

    /// Parses the whole input as one JSON value. Errors read "invalid JSON at offset N: what".
    /// The document shares the bytes (QByteArray is implicitly shared); nothing is copied.
    static Expected<JsonDom> parse(const QByteArray& json, int maxDepth = defaultMaxDepth);

    static constexpr int root = 0;
    const Node& node(int index) const { return m_nodes[size_t(index)]; }
    int nodeCount() const { return int(m_nodes.size()); }

    QString string(int index) const;
    QString key(int index) const;
    /// Compares a member's key without decoding it when it has no escapes.
    bool keyIs(int index, QLatin1StringView name) const;
    /// The member of an object with this key, or -1.
    int member(int object, QLatin1StringView name) const;
    /// The source text of a value, as written.
    QByteArrayView raw(int index) const;
    /// The whole input the document was parsed from.
    const QByteArray& source() const { return m_source; }
    /// Decodes the bytes of a JSON string (without its quotes) that this reader validated.
    static QString decodeString(const QByteArray& source, qsizetype begin, qsizetype end, bool escaped);
    /// Converts a value to Qt's JSON types (for the rare paths that want them).
    QJsonValue toJsonValue(int index) const;

private:
    friend class JsonDomParser;

    QByteArray m_source;
    std::vector<Node> m_nodes;
};

} // namespace ClearSignal
