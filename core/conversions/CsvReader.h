// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace ClearSignal {

/// A spreadsheet export: the header and the rows, each with the line it started on (for messages).
struct CsvTable
{
    QStringList header;
    QList<QStringList> rows;
    QList<int> lines;
    QChar delimiter = u',';
};

/// Reads the CSV exports of booking systems and CRMs (RFC 4180 and what spreadsheets write): a UTF-8 byte
/// order mark, comma, semicolon or tab (whichever the header uses), quoted fields with "" and line breaks,
/// CRLF or LF. Rejects what it cannot read faithfully, naming the line: invalid UTF-8 (an export in another
/// encoding), an unclosed quote, a row with more fields than the header.
namespace CsvReader {

inline constexpr qsizetype maxBytes = 64 * 1024 * 1024;

Expected<CsvTable> parse(const QByteArray& bytes);

} // namespace CsvReader

} // namespace ClearSignal
