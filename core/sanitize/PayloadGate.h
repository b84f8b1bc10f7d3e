// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/JsonDom.h"
#include "phi/PhiScanner.h"
#include "rules/RuleSet.h"

#include <QByteArray>
#include <QStringList>

#include <memory>

namespace ClearSignal {

/// The last check before anything leaves: it parses the serialized data[] item exactly as it would be
/// sent and scans every value again. Any health term, identifier outside an approved hashed field,
/// unexpected field or malformed value fails the item. The gate only ever blocks; it never edits.
class PayloadGate final
{
public:
    struct Verdict
    {
        QStringList reasons; ///< stable codes; empty when the item may leave
        PhiHits hits;
        bool passed() const { return reasons.isEmpty(); }
    };

    PayloadGate(const RuleSet& rules, std::shared_ptr<const PhiScanner> scanner);

    Verdict inspect(const QByteArray& item) const;

private:
    void inspectValue(const JsonDom& dom, std::optional<EventField> field, const QString& path, int index,
                      const QString& pageDomain, Verdict& verdict) const;
    void scanString(EventField field, const QString& path, const QString& text, const QString& pageDomain,
                    Verdict& verdict) const;

    std::array<bool, eventFieldCount> m_mayLeave{};
    std::array<bool, eventFieldCount> m_hashed{};
    QStringList m_siteDomains;
    bool m_limitedDataUse = false;
    std::shared_ptr<const PhiScanner> m_scanner;
};

} // namespace ClearSignal
