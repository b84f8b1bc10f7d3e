// SPDX-License-Identifier: GPL-3.0-or-later
#include "scan/crawl/CanaryTracer.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestCanaryTracer : public QObject
{
    Q_OBJECT

private slots:
    void values();
    void findsEveryEncoding_data();
    void findsEveryEncoding();
    void ignoresInnocentText_data();
    void ignoresInnocentText();
    void findsJsonEscapedValues();
    void reportsWhereAndRequest();
    void formValuesJsonMatchesFormsJs();
};

namespace {

const QString token = u"7f3a9c"_s;

QString valueOf(const CanaryTracer& tracer, const QString& field)
{
    for (const CanaryTracer::Canary& canary : tracer.canaries()) {
        if (canary.field == field)
            return canary.value;
    }
    return {};
}

QString hex(const QString& text, QCryptographicHash::Algorithm algorithm)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), algorithm).toHex());
}

QString sha256(const QString& text)
{
    return hex(text, QCryptographicHash::Sha256);
}

QString base64(const QString& text, QByteArray::Base64Options options = QByteArray::Base64Encoding)
{
    return QString::fromLatin1(text.toUtf8().toBase64(options));
}

/// "field/encoding" of each sighting, in the order reported.
QStringList found(const QList<CanaryTracer::Sighting>& sightings)
{
    QStringList list;
    for (const CanaryTracer::Sighting& sighting : sightings)
        list.append(sighting.field + u'/' + sighting.encoding);
    return list;
}

/// The phone canary's digits: "(312) 555-01NN" -> "31255501NN".
QString phoneDigits(const CanaryTracer& tracer)
{
    return valueOf(tracer, u"phone"_s).remove(QRegularExpression(u"[^0-9]"_s));
}

} // namespace

void TestCanaryTracer::values()
{
    const CanaryTracer tracer(token);
    QCOMPARE(valueOf(tracer, u"email"_s), u"canary.7f3a9c@clearsignal-canary.test"_s);
    QCOMPARE(valueOf(tracer, u"first_name"_s), u"Canaria7f3a9c"_s);
    QCOMPARE(valueOf(tracer, u"last_name"_s), u"Testwell7f3a9c"_s);
    QCOMPARE(valueOf(tracer, u"date_of_birth"_s), u"1971-07-23"_s);
    QCOMPARE(valueOf(tracer, u"zip_code"_s), u"60601"_s);
    QCOMPARE(valueOf(tracer, u"message"_s), u"canary-message-7f3a9c question about a consultation"_s);
    QCOMPARE(valueOf(tracer, u"text"_s), u"canary-7f3a9c"_s);
    // 555-0100 to 555-0199 are reserved for fiction: no real subscriber is ever reported.
    QVERIFY2(QRegularExpression(u"^\\(312\\) 555-01\\d\\d$"_s).match(valueOf(tracer, u"phone"_s)).hasMatch(),
             qPrintable(valueOf(tracer, u"phone"_s)));
    QVERIFY(QRegularExpression(u"^\\d{4} Canary Lane$"_s).match(valueOf(tracer, u"address"_s)).hasMatch());
    // Same token, same values: a rescan can be compared.
    QCOMPARE(CanaryTracer(token).formValuesJson(), tracer.formValuesJson());
    QVERIFY(CanaryTracer(u"0badf00d"_s).formValuesJson() != tracer.formValuesJson());
    // The token is lowercased into every value.
    QCOMPARE(valueOf(CanaryTracer(u"7F3A9C"_s), u"email"_s), valueOf(tracer, u"email"_s));
}

void TestCanaryTracer::findsEveryEncoding_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected"); // field/encoding, exactly

    const CanaryTracer tracer(token);
    const QString email = valueOf(tracer, u"email"_s);
    const QString message = valueOf(tracer, u"message"_s);
    const QString digits = phoneDigits(tracer);

    QTest::addRow("plain email in a query")
        << u"https://analytics.tiktok.com/api/v2/pixel?em=canary.7f3a9c@clearsignal-canary.test&x=1"_s
        << QStringList{u"email/plain"_s};
    QTest::addRow("plain first name") << u"{\"fn\":\"Canaria7f3a9c\"}"_s << QStringList{u"first_name/plain"_s};
    QTest::addRow("plain text field") << u"q=canary-7f3a9c"_s << QStringList{u"text/plain"_s};
    QTest::addRow("plain phone") << u"ph=(312) 555-01"_s + digits.right(2) << QStringList{u"phone/plain"_s};
    QTest::addRow("lowercase name") << u"fn=canaria7f3a9c"_s << QStringList{u"first_name/lowercase"_s};
    QTest::addRow("uppercase email") << email.toUpper() << QStringList{u"email/lowercase"_s};
    QTest::addRow("url_encoded email")
        << u"udff%5Bem%5D=canary.7f3a9c%40clearsignal-canary.test"_s << QStringList{u"email/url_encoded"_s};
    QTest::addRow("url_encoded %%20")
        << u"msg=canary-message-7f3a9c%20question%20about%20a%20consultation"_s
        << QStringList{u"message/url_encoded"_s};
    QTest::addRow("url_encoded +") << u"msg=canary-message-7f3a9c+question+about+a+consultation&y=2"_s
                                   << QStringList{u"message/url_encoded"_s};
    QTest::addRow("url_encoded phone") << u"ph=%28312%29%20555-01"_s + digits.right(2)
                                       << QStringList{u"phone/url_encoded"_s};
    QTest::addRow("base64 email") << u"state="_s + base64(email) << QStringList{u"email/base64"_s};
    QTest::addRow("base64 message") << base64(message) << QStringList{u"message/base64"_s};
    QTest::addRow("base64url message")
        << u"d="_s + base64(message, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + u"&z"_s
        << QStringList{u"message/base64"_s};
    // None of the values needs escaping in JSON: the JSON form is the plain one (escapes: findsJsonEscapedValues).
    QTest::addRow("inside JSON")
        << u"{\"user\":{\"email\":\"canary.7f3a9c@clearsignal-canary.test\"},\"m\":\""_s + message + u"\"}"_s
        << QStringList{u"email/plain"_s, u"message/plain"_s};
    QTest::addRow("e164") << u"ph=+1"_s + digits << QStringList{u"phone/e164"_s};
    QTest::addRow("e164 without +") << u"ph=1"_s + digits << QStringList{u"phone/e164"_s};
    QTest::addRow("national digits") << u"ph="_s + digits << QStringList{u"phone/digits"_s};
    QTest::addRow("sha256 normalised email") << u"em="_s + sha256(email) << QStringList{u"email/sha256"_s};
    QTest::addRow("sha256 uppercase hex") << sha256(email).toUpper() << QStringList{u"email/sha256"_s};
    QTest::addRow("sha1 email") << hex(email, QCryptographicHash::Sha1) << QStringList{u"email/sha1"_s};
    QTest::addRow("md5 email") << hex(email, QCryptographicHash::Md5) << QStringList{u"email/md5"_s};
    QTest::addRow("sha256 normalised name") << sha256(u"canaria7f3a9c"_s) << QStringList{u"first_name/sha256"_s};
    QTest::addRow("sha256 raw name") << sha256(u"Canaria7f3a9c"_s) << QStringList{u"first_name/sha256"_s};
    QTest::addRow("sha1 raw last name") << hex(u"Testwell7f3a9c"_s, QCryptographicHash::Sha1)
                                        << QStringList{u"last_name/sha1"_s};
    QTest::addRow("md5 normalised last name") << hex(u"testwell7f3a9c"_s, QCryptographicHash::Md5)
                                              << QStringList{u"last_name/md5"_s};
    QTest::addRow("sha256 e164 phone") << sha256(u"+1"_s + digits) << QStringList{u"phone/sha256"_s};
    QTest::addRow("sha256 e164 phone without +") << sha256(u"1"_s + digits) << QStringList{u"phone/sha256"_s};
    QTest::addRow("sha256 national digits") << sha256(digits) << QStringList{u"phone/sha256"_s};
    QTest::addRow("md5 national digits") << hex(digits, QCryptographicHash::Md5) << QStringList{u"phone/md5"_s};
    QTest::addRow("sha256 raw phone") << sha256(valueOf(tracer, u"phone"_s)) << QStringList{u"phone/sha256"_s};
    QTest::addRow("sha256 date of birth") << sha256(u"1971-07-23"_s) << QStringList{u"date_of_birth/sha256"_s};
    QTest::addRow("sha256 zip code") << sha256(u"60601"_s) << QStringList{u"zip_code/sha256"_s};
    QTest::addRow("sha1 address") << hex(valueOf(tracer, u"address"_s).toLower(), QCryptographicHash::Sha1)
                                  << QStringList{u"address/sha1"_s};
    QTest::addRow("several fields")
        << u"fn=Canaria7f3a9c&ln=testwell7f3a9c&em="_s + sha256(email) + u"&ph=+1"_s + digits
        << QStringList{u"email/sha256"_s, u"phone/e164"_s, u"first_name/plain"_s, u"last_name/lowercase"_s};
}

void TestCanaryTracer::findsEveryEncoding()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    const CanaryTracer tracer(token);
    QCOMPARE(found(tracer.search(text, u"url"_s, 3)), expected);
}

void TestCanaryTracer::ignoresInnocentText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("random hex") << u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s;
    QTest::addRow("md5-shaped hex") << u"d41d8cd98f00b204e9800998ecf8427e"_s;
    QTest::addRow("the date alone") << u"{\"dob\":\"1971-07-23\",\"date\":\"19710723\"}"_s;
    QTest::addRow("a zip code alone") << u"https://clinic.example/locations?zip=60601"_s;
    QTest::addRow("another token") << u"canary.0badf00d@clearsignal-canary.test Canaria0badf00d"_s;
    QTest::addRow("the token alone") << u"id=7f3a9c"_s;
    QTest::addRow("a real-looking phone") << u"(312) 555-2368"_s;
    QTest::addRow("empty") << QString();
}

void TestCanaryTracer::ignoresInnocentText()
{
    QFETCH(QString, text);
    const CanaryTracer tracer(token);
    QCOMPARE(found(tracer.search(text, u"body"_s, 1)), QStringList());
}

void TestCanaryTracer::findsJsonEscapedValues()
{
    // A token with a quote and a backslash makes the JSON-escaped form differ from the value.
    const CanaryTracer tracer(u"q\"7\\x"_s);
    QCOMPARE(valueOf(tracer, u"first_name"_s), u"Canariaq\"7\\x"_s);
    QCOMPARE(found(tracer.search(u"{\"fn\":\"Canariaq\\\"7\\\\x\"}"_s, u"body"_s, 1)),
             QStringList{u"first_name/json"_s});
    QCOMPARE(found(tracer.search(u"fn=Canariaq\"7\\x"_s, u"url"_s, 1)), QStringList{u"first_name/plain"_s});
}

void TestCanaryTracer::reportsWhereAndRequest()
{
    const CanaryTracer tracer(token);
    const QList<CanaryTracer::Sighting> sightings =
        tracer.search(u"_ttp=Canaria7f3a9c"_s, u"cookie"_s, 42);
    QCOMPARE(sightings.size(), 1);
    QCOMPARE(sightings.first().field, u"first_name"_s);
    QCOMPARE(sightings.first().encoding, u"plain"_s);
    QCOMPARE(sightings.first().where, u"cookie"_s);
    QCOMPARE(sightings.first().requestId, 42);
    // The same value twice in one text is one sighting.
    QCOMPARE(tracer.search(u"Canaria7f3a9c Canaria7f3a9c"_s, u"body"_s, 1).size(), 1);
}

void TestCanaryTracer::formValuesJsonMatchesFormsJs()
{
    const CanaryTracer tracer(token);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(tracer.formValuesJson(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(document.isObject());
    const QJsonObject values = document.object();
    const QStringList keys = {u"address"_s, u"dob"_s, u"email"_s, u"firstName"_s, u"lastName"_s,
                              u"message"_s, u"phone"_s, u"text"_s, u"zip"_s};
    QCOMPARE(values.keys(), keys);
    // Every key is one forms.js reads as canary.<key>, and it reads no other.
    QFile script(QStringLiteral(CLEARSIGNAL_SOURCE_DIR) + u"/resources/scan/forms.js"_s);
    QVERIFY(script.open(QIODevice::ReadOnly));
    const QString source = QString::fromUtf8(script.readAll());
    QStringList used;
    QRegularExpressionMatchIterator it = QRegularExpression(u"\\bcanary\\.([A-Za-z]+)"_s).globalMatch(source);
    while (it.hasNext()) {
        const QString key = it.next().captured(1);
        if (!used.contains(key))
            used.append(key);
    }
    used.sort();
    QCOMPARE(used, keys);

    QCOMPARE(values.value("email"_L1).toString(), valueOf(tracer, u"email"_s));
    QCOMPARE(values.value("phone"_L1).toString(), valueOf(tracer, u"phone"_s));
    QCOMPARE(values.value("firstName"_L1).toString(), u"Canaria7f3a9c"_s);
    QCOMPARE(values.value("lastName"_L1).toString(), u"Testwell7f3a9c"_s);
    QCOMPARE(values.value("dob"_L1).toString(), u"1971-07-23"_s); // what <input type=date> accepts
    QCOMPARE(values.value("zip"_L1).toString(), u"60601"_s);
    QCOMPARE(values.value("address"_L1).toString(), valueOf(tracer, u"address"_s));
    QCOMPARE(values.value("message"_L1).toString(), valueOf(tracer, u"message"_s));
    QCOMPARE(values.value("text"_L1).toString(), u"canary-7f3a9c"_s);
}

QTEST_GUILESS_MAIN(TestCanaryTracer)
#include "TestCanaryTracer.moc"
