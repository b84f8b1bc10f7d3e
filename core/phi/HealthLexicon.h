// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace ClearSignal {

/// One health term and where it comes from.
struct LexiconTerm
{
    QString term;     ///< as written in the list, lowercase ("semaglutide", "pérdida de peso")
    QString category; ///< condition, procedure, medication or specialty
    QString listId;   ///< the list it belongs to, or "rules" for a practice's own terms
    bool wordOnly = false; ///< long term that must still match whole words only
};

/// A named list of terms inside the lexicon, with its provenance.
struct LexiconList
{
    QString id;
    QString category;
    QString language;
    QStringList verticals;
    QString source;
    int termCount = 0;
};

/// The bundled, versioned, categorised vocabulary of health context (clearsignal.lexicon/1).
class HealthLexicon final
{
public:
    static Expected<HealthLexicon> fromJson(const QByteArray& json);
    static Expected<HealthLexicon> load(const QString& path);
    /// The lexicon compiled into ClearSignal (resources/lexicon/health-terms.json), parsed once.
    static const Expected<HealthLexicon>& bundled();

    /// The four categories every term belongs to, key -> human label.
    static const QMap<QString, QString>& categoryLabels();
    static bool isCategory(const QString& key) { return categoryLabels().contains(key); }

    QString version() const { return m_version; }
    const QList<LexiconTerm>& terms() const { return m_terms; }
    const QList<LexiconList>& lists() const { return m_lists; }
    /// The list a term came from, or nullptr for terms added by rules.
    const LexiconList* list(const QString& id) const;

private:
    QString m_version;
    QList<LexiconTerm> m_terms;
    QList<LexiconList> m_lists;
};

} // namespace ClearSignal
