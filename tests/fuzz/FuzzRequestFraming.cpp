// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the relay's request framing check (core/relay/RequestFraming), which reads bytes from the
// network before anything else does. Input: one byte choosing the chunk size, then the bytes of a connection,
// fed in chunks of that size; a whole request is handed over and answered, as the relay would, so several
// requests can follow on one connection.

#include "relay/RequestFraming.h"

#include <cstdint>
#include <cstdlib>

using namespace ClearSignal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype chunk = 1 + data[0] % 64;
    const QByteArrayView bytes(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    constexpr qint64 maxHead = 1024;
    constexpr qint64 maxBody = 4096;
    RequestFraming framing(maxHead, maxBody);
    qint64 accepted = 0; // bytes fed without a refusal since the last answer
    for (qsizetype at = 0; at < bytes.size(); at += chunk) {
        const QByteArrayView piece = bytes.sliced(at, std::min(chunk, bytes.size() - at));
        const std::optional<RequestFraming::Refusal> refused = framing.feed(piece);
        if (refused) {
            if (refused->message.isEmpty())
                std::abort(); // every refusal says why
            break;
        }
        accepted += piece.size();
        // Whatever was let through for one request fits its limits (and the two line-break bytes an old client may
        // add after a body): QtHttpServer holds all of it in memory.
        if (accepted > maxHead + maxBody + 2)
            std::abort();
        if (framing.phase() == RequestFraming::Phase::Complete) {
            if (!framing.handedOver())
                std::abort();
            framing.answered();
            accepted = 0;
        }
    }
    return 0;
}
