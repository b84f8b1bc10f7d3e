// SPDX-License-Identifier: GPL-3.0-or-later
#include "DecoderSupport.h"

#include "phi/ValueDecoding.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStringDecoder>

namespace ClearSignal::DecoderSupport {

using namespace Qt::Literals::StringLiterals;

QString bodyText(const QByteArray& body)
{
    // A legacy page can post Latin-1 ("depresi\xF3n"); reading it as UTF-8 would turn the letter into U+FFFD
    // and hide the health term from the scanner.
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8(body);
    if (utf8.hasError())
        text = QString::fromLatin1(body);
    return text;
}

Params parseForm(QStringView encoded)
{
    Params params;
    for (const auto& [key, value] : ValueDecoding::splitQuery(encoded))
        params.append({ValueDecoding::percentDecode(key, true), ValueDecoding::percentDecode(value, true)});
    return params;
}

Params parseMultipart(const QByteArray& body, const QString& contentType)
{
    Params params;
    const qsizetype at = contentType.indexOf(u"boundary="_s);
    if (at < 0)
        return params;
    QString boundary = contentType.mid(at + 9).section(u';', 0, 0).trimmed();
    if (boundary.size() >= 2 && boundary.startsWith(u'"') && boundary.endsWith(u'"'))
        boundary = boundary.mid(1).chopped(1);
    if (boundary.isEmpty())
        return params;
    const QByteArray separator = "--" + boundary.toUtf8();
    qsizetype position = 0;
    while ((position = body.indexOf(separator, position)) >= 0) {
        position += separator.size();
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", position);
        const qsizetype next = body.indexOf(separator, position);
        if (headersEnd < 0 || next < 0 || headersEnd > next)
            break;
        const QByteArray headers = body.mid(position, headersEnd - position);
        static const QRegularExpression name(uR"re(name="([^"]*)")re"_s);
        const QRegularExpressionMatch match = name.match(QString::fromUtf8(headers));
        QByteArray content = body.mid(headersEnd + 4, next - headersEnd - 4);
        if (content.endsWith("\r\n"))
            content.chop(2);
        if (match.hasMatch())
            params.append({match.captured(1), bodyText(content)});
        position = next;
    }
    return params;
}

Params parseBody(const QByteArray& body, const QString& contentType)
{
    if (body.isEmpty())
        return {};
    if (contentType.contains(u"multipart/form-data"_s, Qt::CaseInsensitive))
        return parseMultipart(body, contentType);
    const QByteArray trimmed = body.trimmed();
    if (trimmed.startsWith('{')) {
        Params params;
        const QJsonObject object = QJsonDocument::fromJson(trimmed).object();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QJsonValue v = it.value();
            params.append({it.key(), v.isString()   ? v.toString()
                                     : v.isDouble() ? QString::number(v.toDouble(), 'g', 17)
                                                    : QString::fromUtf8(QJsonDocument(v.isArray() ? QJsonDocument(v.toArray())
                                                                                                  : QJsonDocument(v.toObject()))
                                                                            .toJson(QJsonDocument::Compact))});
        }
        return params;
    }
    return parseForm(bodyText(body));
}

QString value(const Params& params, QStringView key)
{
    for (const auto& [k, v] : params) {
        if (k == key)
            return v;
    }
    return {};
}

QJsonObject jsonParam(const Params& params, QStringView key)
{
    const QJsonDocument document = QJsonDocument::fromJson(value(params, key).toUtf8());
    return document.object();
}

QString identifierName(const QString& kind, const QString& value)
{
    static const QRegularExpression hashed(uR"(^([a-fA-F0-9]{64}|[a-fA-F0-9]{40}|[a-fA-F0-9]{32})$)"_s);
    if (hashed.match(value.trimmed()).hasMatch())
        return u"hashed_"_s + kind;
    return kind;
}

void addUnique(QStringList& list, const QString& item)
{
    if (!item.isEmpty() && !list.contains(item))
        list.append(item);
}

} // namespace ClearSignal::DecoderSupport
