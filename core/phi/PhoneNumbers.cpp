// SPDX-License-Identifier: GPL-3.0-or-later
#include "PhoneNumbers.h"

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

#include <set>
#include <string>

namespace ClearSignal::PhoneNumbers {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

/// The library instance, with its logging silenced: its messages can quote the number being parsed.
PhoneNumberUtil* util()
{
    static PhoneNumberUtil* instance = [] {
        PhoneNumberUtil* result = PhoneNumberUtil::GetInstance();
        result->SetLogger(new i18n::phonenumbers::NullLogger());
        return result;
    }();
    return instance;
}

std::optional<PhoneNumber> parse(QStringView text, const QString& defaultRegion)
{
    PhoneNumber number;
    const std::string utf8 = text.toString().toStdString();
    const std::string region = defaultRegion.toUpper().toStdString();
    if (util()->Parse(utf8, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
        return std::nullopt;
    return number;
}

} // namespace

std::optional<QString> toE164(QStringView text, const QString& defaultRegion)
{
    const std::optional<PhoneNumber> number = parse(text, defaultRegion);
    if (!number || !util()->IsPossibleNumber(*number))
        return std::nullopt;
    std::string formatted;
    util()->Format(*number, PhoneNumberUtil::E164, &formatted);
    return QString::fromStdString(formatted);
}

bool isValidNumber(QStringView text, const QString& defaultRegion)
{
    const std::optional<PhoneNumber> number = parse(text, defaultRegion);
    return number && util()->IsValidNumber(*number);
}

bool isPossibleNumber(QStringView text, const QString& defaultRegion)
{
    const std::optional<PhoneNumber> number = parse(text, defaultRegion);
    return number && util()->IsPossibleNumber(*number);
}

bool isSupportedRegion(const QString& region)
{
    static const std::set<std::string> regions = [] {
        std::set<std::string> result;
        util()->GetSupportedRegions(&result);
        return result;
    }();
    return regions.count(region.toStdString()) > 0;
}

} // namespace ClearSignal::PhoneNumbers
