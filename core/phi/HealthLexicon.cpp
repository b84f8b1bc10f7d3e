// SPDX-License-Identifier: GPL-3.0-or-later
#include "HealthLexicon.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

const QMap<QString, QString>& HealthLexicon::categoryLabels()
{
    static const QMap<QString, QString> labels = {
        {u"condition"_s, u"Conditions and diagnoses"_s},
        {u"procedure"_s, u"Procedures and treatments"_s},
        {u"medication"_s, u"Medications"_s},
        {u"specialty"_s, u"Specialties and provider types"_s},
    };
    return labels;
}

Expected<HealthLexicon> HealthLexicon::fromJson(const QByteArray& json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{u"the lexicon is not valid JSON (offset %1: %2)"_s.arg(parseError.offset).arg(
            parseError.errorString())};
    const QJsonObject root = document.object();
    if (root.value("schema"_L1).toString() != "clearsignal.lexicon/1"_L1)
        return Error{u"the lexicon's schema must be \"clearsignal.lexicon/1\""_s};

    HealthLexicon lexicon;
    lexicon.m_version = root.value("version"_L1).toString();
    if (lexicon.m_version.isEmpty())
        return Error{u"the lexicon has no version"_s};

    const QJsonArray lists = root.value("lists"_L1).toArray();
    for (qsizetype i = 0; i < lists.size(); ++i) {
        const QJsonObject object = lists.at(i).toObject();
        LexiconList list;
        list.id = object.value("id"_L1).toString();
        list.category = object.value("category"_L1).toString();
        list.language = object.value("language"_L1).toString();
        list.source = object.value("source"_L1).toString();
        for (const QJsonValue& vertical : object.value("verticals"_L1).toArray())
            list.verticals.append(vertical.toString());
        if (list.id.isEmpty() || !isCategory(list.category) || list.source.isEmpty())
            return Error{u"lexicon list %1 needs an id, a known category and a source"_s.arg(i)};

        const QJsonArray terms = object.value("terms"_L1).toArray();
        for (const QJsonValue& value : terms) {
            LexiconTerm term;
            term.category = list.category;
            term.listId = list.id;
            if (value.isObject()) {
                term.term = value.toObject().value("term"_L1).toString();
                term.wordOnly = value.toObject().value("match"_L1).toString() == "word"_L1;
            } else {
                term.term = value.toString();
            }
            if (term.term.trimmed().isEmpty())
                return Error{u"lexicon list %1 has an empty term"_s.arg(list.id)};
            lexicon.m_terms.append(term);
        }
        list.termCount = int(terms.size());
        lexicon.m_lists.append(list);
    }
    if (lexicon.m_terms.isEmpty())
        return Error{u"the lexicon has no terms"_s};
    return lexicon;
}

Expected<HealthLexicon> HealthLexicon::load(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"cannot read the lexicon %1: %2"_s.arg(path, file.errorString())};
    return fromJson(file.readAll());
}

const Expected<HealthLexicon>& HealthLexicon::bundled()
{
    static const Expected<HealthLexicon> lexicon = load(u":/clearsignal/lexicon/health-terms.json"_s);
    return lexicon;
}

const LexiconList* HealthLexicon::list(const QString& id) const
{
    for (const LexiconList& list : m_lists) {
        if (list.id == id)
            return &list;
    }
    return nullptr;
}

} // namespace ClearSignal
