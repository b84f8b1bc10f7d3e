// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversions/CsvReader.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

/// Booking and CRM exports as spreadsheets and booking systems write them.
class TestCsvReader final : public QObject
{
    Q_OBJECT

private slots:
    void reads_data();
    void reads();
    void refuses_data();
    void refuses();
};

void TestCsvReader::reads_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("header");
    QTest::addColumn<QList<QStringList>>("rows");
    QTest::addColumn<QList<int>>("lines");
    QTest::addRow("plain") << QByteArray("a,b\n1,2\n3,4\n") << QStringList{u"a"_s, u"b"_s}
                           << QList<QStringList>{{u"1"_s, u"2"_s}, {u"3"_s, u"4"_s}} << QList<int>{2, 3};
    QTest::addRow("bom crlf no final newline")
        << QByteArray("\xEF\xBB\xBFId,Name\r\n7,Ana\r\n8,Ben") << QStringList{u"Id"_s, u"Name"_s}
        << QList<QStringList>{{u"7"_s, u"Ana"_s}, {u"8"_s, u"Ben"_s}} << QList<int>{2, 3};
    QTest::addRow("quotes, doubled quotes, delimiter and line break inside")
        << QByteArray("note,amount\n\"say \"\"hi\"\", then\nleave\",\"1,250.00\"\nok,2\n")
        << QStringList{u"note"_s, u"amount"_s}
        << QList<QStringList>{{u"say \"hi\", then\nleave"_s, u"1,250.00"_s}, {u"ok"_s, u"2"_s}} << QList<int>{2, 4};
    QTest::addRow("semicolons (European spreadsheets)")
        << QByteArray("Datum;Betrag\n20.11.2026;12,50\n") << QStringList{u"Datum"_s, u"Betrag"_s}
        << QList<QStringList>{{u"20.11.2026"_s, u"12,50"_s}} << QList<int>{2};
    QTest::addRow("tabs") << QByteArray("a\tb\nx\ty\n") << QStringList{u"a"_s, u"b"_s}
                          << QList<QStringList>{{u"x"_s, u"y"_s}} << QList<int>{2};
    QTest::addRow("short rows padded, blank lines skipped, header trimmed")
        << QByteArray(" a , b ,c\n1\n\n2,3,4\n") << QStringList{u"a"_s, u"b"_s, u"c"_s}
        << QList<QStringList>{{u"1"_s, QString(), QString()}, {u"2"_s, u"3"_s, u"4"_s}} << QList<int>{2, 4};
    QTest::addRow("utf-8 names") << QByteArray("nombre\nJosé Muñoz\n") << QStringList{u"nombre"_s}
                                 << QList<QStringList>{{u"José Muñoz"_s}} << QList<int>{2};
}

void TestCsvReader::reads()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, header);
    QFETCH(QList<QStringList>, rows);
    QFETCH(QList<int>, lines);
    const Expected<CsvTable> table = CsvReader::parse(bytes);
    QVERIFY2(table, qPrintable(table.errorMessage()));
    QCOMPARE(table->header, header);
    QCOMPARE(table->rows, rows);
    QCOMPARE(table->lines, lines);
}

void TestCsvReader::refuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    QTest::addRow("latin-1 export") << QByteArray("name\nok\nJos\xe9\n")
                                    << u"line 3 is not UTF-8 text; export the file as \"CSV UTF-8\""_s;
    QTest::addRow("unclosed quote") << QByteArray("a,b\n1,\"open\n2,3\n")
                                    << u"line 2: a quoted value is never closed; check the quotes in that row"_s;
    QTest::addRow("too many fields") << QByteArray("a,b\n1,2,3\n")
                                     << u"line 2 has 3 fields but the header names 2 columns; check for an unquoted "
                                        "delimiter in a value"_s;
    QTest::addRow("empty") << QByteArray() << u"the file is empty; export the bookings with a header line"_s;
    QTest::addRow("starts blank") << QByteArray("\na,b\n")
                                  << u"line 1: the file starts with an empty line; the first line must name the "
                                     "columns"_s;
}

void TestCsvReader::refuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    const Expected<CsvTable> table = CsvReader::parse(bytes);
    QVERIFY(!table);
    QCOMPARE(table.errorMessage(), message);
}

QTEST_GUILESS_MAIN(TestCsvReader)
#include "TestCsvReader.moc"
