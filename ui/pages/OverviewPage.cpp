// SPDX-License-Identifier: GPL-3.0-or-later
#include "OverviewPage.h"

#include "phi/HealthLexicon.h"

#include <QLabel>
#include <QVBoxLayout>

namespace ClearSignal {

OverviewPage::OverviewPage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("overviewPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);

    auto* title = new QLabel(tr("<h2>Keep patient data off TikTok</h2>"), this);
    auto* intro = new QLabel(
        tr("ClearSignal checks what your website sends to TikTok and other ad platforms, removes health "
           "information from every conversion before it leaves, and keeps watching so a tracking pixel cannot "
           "creep back."),
        this);
    intro->setWordWrap(true);

    const Expected<HealthLexicon>& lexicon = HealthLexicon::bundled();
    auto* lexiconLabel = new QLabel(this);
    lexiconLabel->setObjectName(QStringLiteral("lexiconStatusLabel"));
    lexiconLabel->setWordWrap(true);
    if (lexicon) {
        lexiconLabel->setText(tr("Health lexicon %1: %2 terms in %3 lists (conditions, procedures, medications, "
                                 "specialties; English and Spanish).")
                                  .arg(lexicon->version())
                                  .arg(lexicon->terms().size())
                                  .arg(lexicon->lists().size()));
    } else {
        lexiconLabel->setText(tr("The health lexicon could not be loaded: %1. Reinstall ClearSignal; until then "
                                 "nothing can be sanitized.")
                                  .arg(lexicon.errorMessage()));
    }

    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addSpacing(12);
    layout->addWidget(lexiconLabel);
    layout->addStretch();
}

} // namespace ClearSignal
