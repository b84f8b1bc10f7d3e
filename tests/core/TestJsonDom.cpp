// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/JsonDom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestJsonDom : public QObject
{
    Q_OBJECT

private slots:
    void hugeObjectsParseInLinearTime();
    void readsWhatQtReads_data();
    void readsWhatQtReads();
    void refusesMalformedInput_data();
    void refusesMalformedInput();
    void navigatesMembers();
    void decodesEscapes();
};

void TestJsonDom::hugeObjectsParseInLinearTime()
{
    // 100,000 distinct keys, half of them escaped: pairwise comparison would take minutes (it once did).
    QByteArray json = "{";
    for (int i = 0; i < 100000; ++i)
        json += (i % 2 ? "\"\\u006b" : "\"k") + QByteArray::number(i) + "\":0,";
    json += "\"last\":1}";
    const Expected<JsonDom> dom = JsonDom::parse(json);
    QVERIFY2(dom, qPrintable(dom.errorMessage()));
    QCOMPARE(dom->node(0).childCount, 100001);
    QVERIFY(!JsonDom::parse(json.chopped(1) + ",\"\\u006b99999\":2}"));
}

void TestJsonDom::readsWhatQtReads_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("object") << QByteArray(R"({"a":1,"b":[true,false,null],"c":{"d":"e"}})");
    QTest::addRow("whitespace") << QByteArray(" \t\r\n{ \"a\" : [ 1 , 2 ] } \n");
    QTest::addRow("numbers") << QByteArray(R"([0,-0,1.5,-2.25e3,1E-2,123456789012345678,1e308,5e-324])");
    QTest::addRow("unicode") << QByteArray("[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]");
    QTest::addRow("escapes") << QByteArray(R"(["\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"])");
    QTest::addRow("empty containers") << QByteArray(R"({"a":{},"b":[]})");
    QTest::addRow("scalar root") << QByteArray("\"text\"");
    QTest::addRow("integral doubles") << QByteArray("[1.0,-2e2,179522000000000000.0000000001626,1.5e300]");
}

void TestJsonDom::readsWhatQtReads()
{
    QFETCH(QByteArray, json);
    const Expected<JsonDom> dom = JsonDom::parse(json);
    QVERIFY2(dom, qPrintable(dom.errorMessage()));
    QJsonParseError error;
    const QJsonDocument qt = QJsonDocument::fromJson(json.trimmed().startsWith('"') ? "[" + json + "]" : json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonValue expected = qt.isArray() ? QJsonValue(qt.array()) : QJsonValue(qt.object());
    const QJsonValue actual = json.trimmed().startsWith('"') ? QJsonValue(QJsonArray{dom->toJsonValue(JsonDom::root)})
                                                             : dom->toJsonValue(JsonDom::root);
    QCOMPARE(actual, expected);
}

void TestJsonDom::refusesMalformedInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::addRow("empty") << QByteArray() << u"invalid JSON at offset 0: unexpected end of input"_s;
    QTest::addRow("trailing comma") << QByteArray("[1,]") << u"invalid JSON at offset 3: expected a value"_s;
    QTest::addRow("trailing comma object") << QByteArray(R"({"a":1,})")
                                           << u"invalid JSON at offset 7: expected a key in double quotes"_s;
    QTest::addRow("single quotes") << QByteArray("{'a':1}") << u"invalid JSON at offset 1: expected a key in double quotes"_s;
    QTest::addRow("comment") << QByteArray("[1]//x") << u"invalid JSON at offset 3: unexpected text after the JSON value"_s;
    QTest::addRow("nan") << QByteArray("[NaN]") << u"invalid JSON at offset 1: expected a value"_s;
    QTest::addRow("infinity") << QByteArray("[1e999]") << u"invalid JSON at offset 1: illegal number (out of range)"_s;
    QTest::addRow("underflow") << QByteArray("[1e-400]") << u"invalid JSON at offset 1: illegal number (out of range)"_s;
    QTest::addRow("leading zero") << QByteArray("[01]") << u"invalid JSON at offset 2: expected ',' or ']'"_s;
    QTest::addRow("bare dot") << QByteArray("[1.]") << u"invalid JSON at offset 3: illegal number"_s;
    QTest::addRow("plus sign") << QByteArray("[+1]") << u"invalid JSON at offset 1: expected a value"_s;
    QTest::addRow("hex") << QByteArray("[0x10]") << u"invalid JSON at offset 2: expected ',' or ']'"_s;
    QTest::addRow("control character") << QByteArray("[\"a\tb\"]")
                                       << u"invalid JSON at offset 3: control character in a string; escape it"_s;
    QTest::addRow("bad escape") << QByteArray(R"(["\x"])") << u"invalid JSON at offset 4: invalid escape sequence"_s;
    QTest::addRow("short unicode escape") << QByteArray(R"(["\u12"])") << u"invalid JSON at offset 4: invalid \\u escape"_s;
    QTest::addRow("lone high surrogate") << QByteArray(R"(["\ud800x"])")
                                         << u"invalid JSON at offset 8: invalid \\u escape (unpaired surrogate)"_s;
    QTest::addRow("lone low surrogate") << QByteArray(R"(["\udc00"])")
                                        << u"invalid JSON at offset 8: invalid \\u escape (unpaired surrogate)"_s;
    QTest::addRow("overlong utf-8") << QByteArray("[\"\xc0\xaf\"]") << u"invalid JSON at offset 2: invalid UTF-8 in a string"_s;
    QTest::addRow("encoded surrogate") << QByteArray("[\"\xed\xa0\x80\"]")
                                       << u"invalid JSON at offset 2: invalid UTF-8 in a string"_s;
    QTest::addRow("truncated utf-8") << QByteArray("[\"\xe2\x82\"]") << u"invalid JSON at offset 2: invalid UTF-8 in a string"_s;
    QTest::addRow("unterminated") << QByteArray(R"(["abc)") << u"invalid JSON at offset 5: unterminated string"_s;
    QTest::addRow("duplicate key") << QByteArray(R"({"a":1,"a":2})") << u"invalid JSON at offset 7: duplicate key"_s;
    QTest::addRow("duplicate escaped key") << QByteArray(R"({"a":1,"\u0061":2})")
                                           << u"invalid JSON at offset 7: duplicate key"_s;
    // Past sixteen members duplicates are found through a set of the keys; the offset still names the second one.
    QByteArray wide = "{";
    for (int i = 0; i < 40; ++i)
        wide += "\"k" + QByteArray::number(i) + "\":0,";
    QTest::addRow("duplicate among many keys") << QByteArray(wide + "\"k3\":1}")
                                               << u"invalid JSON at offset %1: duplicate key"_s.arg(wide.size());
    QTest::addRow("escaped duplicate among many keys") << QByteArray(wide + "\"\\u006b17\":1}")
                                                       << u"invalid JSON at offset %1: duplicate key"_s.arg(wide.size());
    QTest::addRow("two values") << QByteArray("{} {}") << u"invalid JSON at offset 3: unexpected text after the JSON value"_s;
    QTest::addRow("too deep") << (QByteArray(65, '[') + QByteArray(65, ']'))
                              << u"invalid JSON at offset 64: nested more than 64 levels deep"_s;
    QTest::addRow("missing colon") << QByteArray(R"({"a" 1})") << u"invalid JSON at offset 5: expected ':' after a key"_s;
    QTest::addRow("true typo") << QByteArray("[tru]") << u"invalid JSON at offset 1: expected a value"_s;
}

void TestJsonDom::refusesMalformedInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const Expected<JsonDom> dom = JsonDom::parse(json);
    QVERIFY(!dom);
    QCOMPARE(dom.errorMessage(), error);
}

void TestJsonDom::navigatesMembers()
{
    const Expected<JsonDom> dom = JsonDom::parse(R"({"user":{"email":"a@b.co","n":[1,2,3]},"x":null})");
    QVERIFY(dom);
    const int user = dom->member(JsonDom::root, "user"_L1);
    QVERIFY(user > 0);
    QCOMPARE(dom->node(user).type, JsonDom::Type::Object);
    QCOMPARE(dom->node(user).depth, 2);
    const int email = dom->member(user, "email"_L1);
    QCOMPARE(dom->string(email), u"a@b.co"_s);
    QCOMPARE(dom->raw(email), QByteArrayView("\"a@b.co\""));
    QCOMPARE(dom->node(dom->member(user, "n"_L1)).childCount, 3);
    QCOMPARE(dom->raw(dom->member(user, "n"_L1)), QByteArrayView("[1,2,3]"));
    QCOMPARE(dom->member(user, "phone"_L1), -1);
    QCOMPARE(dom->node(dom->member(JsonDom::root, "x"_L1)).type, JsonDom::Type::Null);
}

void TestJsonDom::decodesEscapes()
{
    const Expected<JsonDom> dom = JsonDom::parse(R"({"k\u00e9y":"sema\u0067lutide \ud83d\ude00 \"q\" a\/b"})");
    QVERIFY(dom);
    const int member = dom->node(JsonDom::root).firstChild;
    QCOMPARE(dom->key(member), u"kéy"_s);
    QVERIFY(dom->keyIs(member, QLatin1StringView("k\xe9y")));
    QCOMPARE(dom->string(member), u"semaglutide \U0001F600 \"q\" a/b"_s);
}

QTEST_GUILESS_MAIN(TestJsonDom)
#include "TestJsonDom.moc"
