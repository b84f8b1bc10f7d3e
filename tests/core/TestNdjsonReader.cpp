// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/NdjsonReader.h"

#include <QBuffer>
#include <QTest>

using namespace ClearSignal;

class TestNdjsonReader : public QObject
{
    Q_OBJECT

private slots:
    void readsLines();
    void skipsOverlongLinesWithoutHoldingThem();
    void handlesLineLongerThanReadChunk();
};

namespace {

QList<NdjsonReader::Line> readAll(QByteArray input, qint64 limit)
{
    QBuffer buffer(&input);
    buffer.open(QIODevice::ReadOnly);
    NdjsonReader reader(buffer, limit);
    QList<NdjsonReader::Line> lines;
    NdjsonReader::Line line;
    while (reader.next(line))
        lines.append(line);
    return lines;
}

} // namespace

void TestNdjsonReader::readsLines()
{
    const auto lines = readAll("\xEF\xBB\xBF{\"a\":1}\r\n\n   \n{\"b\":2}\n{\"c\":3}", 100);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0].number, 1);
    QCOMPARE(lines[0].bytes, QByteArray("{\"a\":1}")); // BOM and CR removed
    QCOMPARE(lines[1].number, 4);                     // blank lines keep their numbers
    QCOMPARE(lines[1].bytes, QByteArray("{\"b\":2}"));
    QCOMPARE(lines[2].number, 5);
    QCOMPARE(lines[2].bytes, QByteArray("{\"c\":3}")); // last line without a line break
    QVERIFY(readAll("", 100).isEmpty());
    QCOMPARE(readAll("x\n", 100).size(), 1);
}

void TestNdjsonReader::skipsOverlongLinesWithoutHoldingThem()
{
    const auto lines = readAll("short\n" + QByteArray(500, 'x') + "\nafter\n" + QByteArray(101, 'y'), 100);
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines[1].tooLong);
    QVERIFY(lines[1].bytes.isEmpty());
    QCOMPARE(lines[1].size, 500);
    QCOMPARE(lines[2].bytes, QByteArray("after"));
    QVERIFY(lines[3].tooLong);
    QCOMPARE(lines[3].size, 101);
}

void TestNdjsonReader::handlesLineLongerThanReadChunk()
{
    const QByteArray huge(3 * 1024 * 1024, 'z');
    const auto lines = readAll("a\n" + huge + "\nb", 64 * 1024);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[1].tooLong);
    QCOMPARE(lines[1].size, huge.size());
    QCOMPARE(lines[2].bytes, QByteArray("b"));
}

QTEST_GUILESS_MAIN(TestNdjsonReader)
#include "TestNdjsonReader.moc"
