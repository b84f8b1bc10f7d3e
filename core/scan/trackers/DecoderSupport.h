// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace ClearSignal::DecoderSupport {

using Params = QList<QPair<QString, QString>>;

/// A body as text: UTF-8, or Latin-1 when the bytes are not UTF-8 (as ValueDecoding::percentDecode reads escapes).
QString bodyText(const QByteArray& body);

/// "a=1&b=x%20y" -> decoded pairs, in order ("+" is a space).
Params parseForm(QStringView encoded);
/// Pairs of a multipart/form-data body (fbevents.js posts this way).
Params parseMultipart(const QByteArray& body, const QString& contentType);
/// The body's parameters whatever its content type: form, multipart, or JSON object (flattened one level).
Params parseBody(const QByteArray& body, const QString& contentType);

QString value(const Params& params, QStringView key);
/// A JSON object or array written into a parameter ("ed={...}"); an empty object when it is not one.
QJsonObject jsonParam(const Params& params, QStringView key);

/// "hashed_email" for a 64/40/32-hex value, "email" for a raw address; the kind prefix is the identifier name.
QString identifierName(const QString& kind, const QString& value);

void addUnique(QStringList& list, const QString& item);

} // namespace ClearSignal::DecoderSupport
