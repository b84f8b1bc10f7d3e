// SPDX-License-Identifier: GPL-3.0-or-later
#include "CsvReader.h"

#include <QStringDecoder>

namespace ClearSignal::CsvReader {

using namespace Qt::Literals::StringLiterals;

namespace {

/// The delimiter the header line uses most, outside quotes.
QChar detectDelimiter(QStringView text)
{
    int commas = 0;
    int semicolons = 0;
    int tabs = 0;
    bool quoted = false;
    for (const QChar c : text) {
        if (c == u'"')
            quoted = !quoted;
        else if (!quoted && (c == u'\n' || c == u'\r'))
            break;
        else if (!quoted && c == u',')
            ++commas;
        else if (!quoted && c == u';')
            ++semicolons;
        else if (!quoted && c == u'\t')
            ++tabs;
    }
    if (tabs > commas && tabs > semicolons)
        return u'\t';
    return semicolons > commas ? u';' : u',';
}

} // namespace

Expected<CsvTable> parse(const QByteArray& bytes)
{
    if (bytes.size() > maxBytes)
        return Error{u"the file is larger than 64 MiB; split it into smaller exports"_s};
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        // Name the line of the first invalid byte: the usual cause is an export in Windows-1252 or Latin-1.
        const qsizetype bad = text.indexOf(QChar::ReplacementCharacter);
        const int line = 1 + int(QStringView(text).left(bad < 0 ? 0 : bad).count(u'\n'));
        return Error{u"line %1 is not UTF-8 text; export the file as \"CSV UTF-8\""_s.arg(line)};
    }
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);

    CsvTable table;
    table.delimiter = detectDelimiter(text);
    QStringList fields;
    QString field;
    bool quoted = false;
    bool fieldWasQuoted = false;
    int line = 1;
    int rowLine = 1;
    const auto endRow = [&]() -> std::optional<Error> {
        fields.append(field);
        field.clear();
        fieldWasQuoted = false;
        const bool blank = fields.size() == 1 && fields.first().trimmed().isEmpty();
        if (table.header.isEmpty()) {
            if (blank)
                return Error{u"line %1: the file starts with an empty line; the first line must name the columns"_s.arg(rowLine)};
            for (QString& name : fields)
                name = name.trimmed();
            table.header = fields;
        } else if (!blank) {
            if (fields.size() > table.header.size())
                return Error{u"line %1 has %2 fields but the header names %3 columns; check for an unquoted "
                             "delimiter in a value"_s.arg(rowLine).arg(fields.size()).arg(table.header.size())};
            while (fields.size() < table.header.size())
                fields.append(QString()); // spreadsheets drop trailing empty cells
            table.rows.append(fields);
            table.lines.append(rowLine);
        }
        fields.clear();
        return std::nullopt;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field.append(u'"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == u'\n')
                    ++line;
                field.append(c);
            }
            continue;
        }
        if (c == u'"' && field.isEmpty() && !fieldWasQuoted) {
            quoted = true;
            fieldWasQuoted = true;
        } else if (c == table.delimiter) {
            fields.append(field);
            field.clear();
            fieldWasQuoted = false;
        } else if (c == u'\n' || c == u'\r') {
            if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
                ++i;
            if (const std::optional<Error> error = endRow())
                return *error;
            ++line;
            rowLine = line;
        } else {
            field.append(c);
        }
    }
    if (quoted)
        return Error{u"line %1: a quoted value is never closed; check the quotes in that row"_s.arg(rowLine)};
    if (!field.isEmpty() || !fields.isEmpty()) {
        if (const std::optional<Error> error = endRow())
            return *error;
    }
    if (table.header.isEmpty())
        return Error{u"the file is empty; export the bookings with a header line"_s};
    return table;
}

} // namespace ClearSignal::CsvReader
