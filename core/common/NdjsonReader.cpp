// SPDX-License-Identifier: GPL-3.0-or-later
#include "NdjsonReader.h"

#include <QIODevice>

namespace ClearSignal {

namespace {
constexpr qint64 chunkSize = 256 * 1024;
}

NdjsonReader::NdjsonReader(QIODevice& device, qint64 maxLineBytes) : m_device(device), m_maxLineBytes(maxLineBytes)
{
}

bool NdjsonReader::fill()
{
    if (m_atEnd)
        return false;
    if (m_position > 0) {
        m_buffer.remove(0, m_position);
        m_position = 0;
    }
    const qsizetype oldSize = m_buffer.size();
    m_buffer.resize(oldSize + chunkSize);
    const qint64 read = m_device.read(m_buffer.data() + oldSize, chunkSize);
    if (read < 0) {
        m_error = m_device.errorString();
        m_buffer.resize(oldSize);
        m_atEnd = true;
        return false;
    }
    m_buffer.resize(oldSize + read);
    if (read == 0) {
        m_atEnd = true;
        return false;
    }
    return true;
}

bool NdjsonReader::next(Line& line)
{
    for (;;) {
        line = Line();
        line.number = ++m_lineNumber;
        qint64 skipped = 0;
        for (;;) {
            const qsizetype newline = m_buffer.indexOf('\n', m_position);
            const qsizetype available = (newline < 0 ? m_buffer.size() : newline) - m_position;
            if (!line.tooLong && available > m_maxLineBytes + 1) {
                line.tooLong = true; // +1 leaves room for a trailing '\r'
            }
            if (newline >= 0) {
                if (!line.tooLong)
                    line.bytes = m_buffer.mid(m_position, available);
                line.size = skipped + available;
                m_position = newline + 1;
                break;
            }
            if (line.tooLong) {
                skipped += available;
                m_position = m_buffer.size();
            }
            if (!fill()) {
                // Last line without a line break.
                const qsizetype rest = m_buffer.size() - m_position;
                if (!line.tooLong)
                    line.bytes = m_buffer.mid(m_position, rest);
                line.size = skipped + rest;
                m_position = m_buffer.size();
                if (line.size == 0 && !line.tooLong) {
                    --m_lineNumber;
                    return false;
                }
                break;
            }
        }
        if (line.bytes.endsWith('\r'))
            line.bytes.chop(1);
        if (m_firstLine && line.bytes.startsWith("\xEF\xBB\xBF"))
            line.bytes.remove(0, 3);
        m_firstLine = false;
        if (!line.tooLong && line.bytes.size() > m_maxLineBytes)
            line.tooLong = true;
        if (line.tooLong) {
            line.bytes.clear();
            return true;
        }
        if (!line.bytes.trimmed().isEmpty())
            return true;
        if (m_atEnd && m_position >= m_buffer.size())
            return false;
    }
}

} // namespace ClearSignal
