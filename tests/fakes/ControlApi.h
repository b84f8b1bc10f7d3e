// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QHttpServer;
QT_END_NAMESPACE

namespace ClearSignal::Fakes {

class FakeEventsApi;

/// The fake's remote control, for tests that run it as a separate process (fake-events-api). Requests to these
/// routes consume no fault and are not recorded. Every answer is JSON; a refused request gets 400 {"error": "..."}.
///
/// - POST /control/faults  [{"kind":"http_status","status":502}, {"kind":"code","code":40100}, {"kind":"timeout"},
///                          {"kind":"drop"}, {"kind":"slow","ms":1500}]  -> {"queued": n, "pending": total}
///                          (all or nothing: one bad fault queues none)
/// - POST /control/reject  {"event_id":"x"}  -> {"rejected_event_ids": [...]}
/// - GET  /control/accepted  -> {"events": [{"event_source", "event_source_id", "test_event_code", "request_id",
///                                           "index", "item": {...the data[] item as sent...}}, ...]}
/// - GET  /control/requests  -> {"requests": [{"time", "method", "path", "token", "http_status", "code", "message",
///                                             "request_id", "fault", "events", "event_ids", ...}, ...]}
/// - POST /control/reset   -> {"reset": true}
namespace ControlApi {

void addRoutes(QHttpServer& server, FakeEventsApi& api);

} // namespace ControlApi

} // namespace ClearSignal::Fakes
