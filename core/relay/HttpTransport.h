// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <utility>

class QNetworkAccessManager;

namespace ClearSignal {

/// What came back from one POST: an HTTP status and body, or a network failure.
struct HttpResult
{
    int status = 0;          ///< 0 when no HTTP answer arrived
    QByteArray body;
    QString networkError;    ///< empty when an answer arrived
};

/// How the dispatcher reaches the Events API; tests and benchmarks swap in their own.
class HttpTransport
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;
    virtual ~HttpTransport() = default;
    /// Posts `body`; `done` is called exactly once, on the caller's thread, also after `timeoutMs`.
    virtual void post(const QUrl& url, const Headers& headers, const QByteArray& body, int timeoutMs,
                      std::function<void(HttpResult)> done) = 0;
};

/// The real thing, on QNetworkAccessManager.
class NetworkHttpTransport final : public HttpTransport
{
public:
    NetworkHttpTransport();
    ~NetworkHttpTransport() override;
    void post(const QUrl& url, const Headers& headers, const QByteArray& body, int timeoutMs,
              std::function<void(HttpResult)> done) override;

private:
    std::unique_ptr<QNetworkAccessManager> m_network;
};

} // namespace ClearSignal
