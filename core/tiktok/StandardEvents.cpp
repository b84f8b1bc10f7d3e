// SPDX-License-Identifier: GPL-3.0-or-later
#include "StandardEvents.h"


namespace ClearSignal::StandardEvents {

using namespace Qt::Literals::StringLiterals;

const QStringList& all()
{
    static const QStringList names = {
        // Current list (TikTok help centre, "supported standard events", Sept. 2025)
        u"AddPaymentInfo"_s, u"AddToCart"_s, u"AddToWishlist"_s, u"ApplicationApproval"_s, u"CompleteRegistration"_s,
        u"Contact"_s, u"CustomizeProduct"_s, u"Download"_s, u"FindLocation"_s, u"InitiateCheckout"_s, u"Lead"_s,
        u"Purchase"_s, u"Schedule"_s, u"Search"_s, u"StartTrial"_s, u"SubmitApplication"_s, u"Subscribe"_s,
        u"ViewContent"_s,
        // Still accepted: SubmitForm (some locales), legacy names integrations send, and the page view
        u"SubmitForm"_s, u"ClickButton"_s, u"CompletePayment"_s, u"PlaceAnOrder"_s, u"Pageview"_s,
    };
    return names;
}

std::optional<QString> canonical(QStringView name)
{
    // Every event is looked up here: compare only names of the same length and first letter.
    const char16_t first = name.isEmpty() ? 0 : QChar::toLower(name.front().unicode());
    for (const QString& standard : all()) {
        if (standard.size() == name.size() && QChar::toLower(standard.front().unicode()) == first
            && name.compare(standard, Qt::CaseInsensitive) == 0)
            return standard;
    }
    return std::nullopt;
}

} // namespace ClearSignal::StandardEvents
