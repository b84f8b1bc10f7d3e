// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpAnswer.h"

#include <QJsonDocument>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

HttpAnswer HttpAnswer::error(int status, const QString& message)
{
    return json(status, QJsonObject{{u"error"_s, message}});
}

HttpAnswer HttpAnswer::json(int status, const QJsonObject& object)
{
    HttpAnswer answer;
    answer.status = status;
    answer.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return answer;
}

} // namespace ClearSignal
