// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HealthTermMatcher.h"
#include "IdentifierDetector.h"
#include "PhiHit.h"

#include <QSet>

#include <memory>

namespace ClearSignal {

/// Finds health context and identifiers in any string value, after undoing the encodings sites use:
/// percent-encoding (repeated), "+" for spaces, base64/base64url segments, JSON inside values and URLs
/// inside URLs. Hits name the term and where it was, never the value.
class PhiScanner final
{
public:
    /// A practice's own vocabulary on top of the bundled lexicon.
    struct Vocabulary
    {
        QList<LexiconTerm> extraTerms; ///< service names to treat as health context
        QStringList allowedTerms;      ///< terms never to report (compared after folding)
    };

    /// What to look for in one field, and what not to.
    struct FieldScan
    {
        QString field;           ///< path reported in hits ("page.url")
        QString key;             ///< key the value sits under, for labelled identifiers ("email", "dob")
        bool healthTerms = true;
        bool identifiers = true;
        bool hashes = true;      ///< report hash-shaped hex strings
        bool md5 = true;         ///< report 32-hex strings
        bool ipAddresses = true;
        QStringList ownDomains;  ///< registrable domains of the practice: their names are not health context
        bool ownHost = false;    ///< the value is the page's own URL: its registrable domain is the practice's
    };

    /// Limits on the work one value may cause. Past them the value is reported as Unscannable.
    struct Budget
    {
        int maxDepth = 4;          ///< nested decodings (base64 inside a query value inside a URL ...)
        int maxPieces = 256;       ///< pieces of text inspected per value
        qsizetype maxChars = 256 * 1024;
    };

    /// Uses the bundled lexicon. Fails only if the bundled lexicon is broken.
    static Expected<std::shared_ptr<const PhiScanner>> create(const Vocabulary& vocabulary, QString phoneRegion);
    PhiScanner(std::shared_ptr<const HealthTermMatcher> lexicon, const Vocabulary& vocabulary, QString phoneRegion);

    /// Scans one value. Hits are in the order found, without duplicates.
    PhiHits scan(QStringView value, const FieldScan& field) const;

    /// The matcher built once from the bundled lexicon and shared by every scanner.
    static Expected<std::shared_ptr<const HealthTermMatcher>> bundledMatcher();

    QString phoneRegion() const { return m_phoneRegion; }

private:
    friend class PhiScanSession;

    std::shared_ptr<const HealthTermMatcher> m_lexicon;
    std::unique_ptr<HealthTermMatcher> m_extraTerms;
    std::vector<bool> m_lexiconAllowed;
    std::vector<bool> m_extraAllowed;
    QString m_phoneRegion;
    Budget m_budget;
};

} // namespace ClearSignal
