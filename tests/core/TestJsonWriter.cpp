// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/JsonWriter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestJsonWriter : public QObject
{
    Q_OBJECT

private slots:
    void keepsKeyOrder();
    void escapesStrings();
    void formatsNumbers_data();
    void formatsNumbers();
    void indents();
};

void TestJsonWriter::keepsKeyOrder()
{
    JsonWriter writer;
    writer.beginObject();
    writer.field("z"_L1, 1);
    writer.field("a"_L1, u"x"_s);
    writer.key("list"_L1);
    writer.beginArray();
    writer.value(true);
    writer.null();
    writer.beginObject();
    writer.endObject();
    writer.endArray();
    writer.endObject();
    QCOMPARE(writer.bytes(), QByteArray(R"({"z":1,"a":"x","list":[true,null,{}]})"));
}

void TestJsonWriter::escapesStrings()
{
    JsonWriter writer;
    writer.value(u"quote\" backslash\\ nl\n tab\t ctl\x01 del\x7f é \u2028"_s);
    QCOMPARE(writer.bytes(),
             QByteArray("\"quote\\\" backslash\\\\ nl\\n tab\\t ctl\\u0001 del\\u007f \xc3\xa9 \\u2028\""));
    // What it writes, Qt reads back unchanged.
    const QByteArray wrapped = "{\"v\":" + writer.bytes() + "}";
    QCOMPARE(QJsonDocument::fromJson(wrapped).object().value("v"_L1).toString(),
             u"quote\" backslash\\ nl\n tab\t ctl\x01 del\x7f é \u2028"_s);
}

void TestJsonWriter::formatsNumbers_data()
{
    QTest::addColumn<double>("number");
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("integer") << 150.0 << QByteArray("150");
    QTest::addRow("fraction") << 150.5 << QByteArray("150.5");
    QTest::addRow("shortest") << 0.1 << QByteArray("0.1");
    QTest::addRow("large") << 1e300 << QByteArray("1e+300");
}

void TestJsonWriter::formatsNumbers()
{
    QFETCH(double, number);
    QFETCH(QByteArray, text);
    QCOMPARE(JsonWriter::formatNumber(number), text);
}

void TestJsonWriter::indents()
{
    QCOMPARE(JsonWriter::indented(R"({"a":[1,2],"b":{},"c":"x,{y}:"})"),
             QByteArray("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": \"x,{y}:\"\n}\n"));
}

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "TestJsonWriter.moc"
