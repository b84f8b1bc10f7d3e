// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

class QIODevice;

namespace ClearSignal {

/// Reads newline-delimited JSON one line at a time with bounded memory: a line longer than the
/// limit is skipped (reported as too long) without ever being held in memory whole.
class NdjsonReader final
{
public:
    struct Line
    {
        qint64 number = 0;  ///< 1-based line number in the input
        QByteArray bytes;   ///< without the line break; empty when tooLong
        bool tooLong = false;
        qint64 size = 0;    ///< full length of the line in bytes
    };

    NdjsonReader(QIODevice& device, qint64 maxLineBytes);

    /// Fills line with the next non-blank line. Returns false at the end of the input.
    bool next(Line& line);
    /// Set when reading failed (not at a normal end of input).
    QString errorString() const { return m_error; }

private:
    bool fill();

    QIODevice& m_device;
    qint64 m_maxLineBytes;
    QByteArray m_buffer;
    qsizetype m_position = 0;
    qint64 m_lineNumber = 0;
    bool m_atEnd = false;
    bool m_firstLine = true;
    QString m_error;
};

} // namespace ClearSignal
