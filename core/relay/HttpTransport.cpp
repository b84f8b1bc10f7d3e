// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpTransport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace ClearSignal {

NetworkHttpTransport::NetworkHttpTransport() : m_network(std::make_unique<QNetworkAccessManager>()) {}

NetworkHttpTransport::~NetworkHttpTransport() = default;

void NetworkHttpTransport::post(const QUrl& url, const Headers& headers, const QByteArray& body, int timeoutMs,
                                std::function<void(HttpResult)> done)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(timeoutMs);
    // Redirects could carry the access token to another host: never follow them.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = m_network->post(request, body);
    // The transfer timeout only fires when nothing moves; an answer trickling in must not hold a slot forever.
    QTimer::singleShot(timeoutMs, reply, [reply] { reply->abort(); });
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, done = std::move(done)] {
        HttpResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->isOpen()) // an aborted (timed-out) reply is closed: nothing to read
            result.body = reply->readAll();
        if (result.status == 0)
            result.networkError = reply->errorString();
        reply->deleteLater();
        done(std::move(result));
    });
}

} // namespace ClearSignal
