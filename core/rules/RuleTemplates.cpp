// SPDX-License-Identifier: GPL-3.0-or-later
#include "RuleTemplates.h"

namespace ClearSignal::RuleTemplates {

using namespace Qt::Literals::StringLiterals;

namespace {

const QStringList& templateIds()
{
    static const QStringList ids = {u"med-spa"_s,       u"dermatology"_s, u"glp1-clinic"_s,
                                    u"dental"_s,        u"mental-health"_s, u"telehealth"_s};
    return ids;
}

QString resourcePath(const QString& id)
{
    return u":/clearsignal/templates/%1.json"_s.arg(id);
}

} // namespace

QList<RuleTemplate> all()
{
    QList<RuleTemplate> templates;
    for (const QString& id : templateIds()) {
        const RuleSetLoad loaded = RuleSetJson::load(resourcePath(id));
        if (loaded.rules)
            templates.append({id, loaded.rules->name, loaded.rules->description});
    }
    return templates;
}

RuleSetLoad load(const QString& id)
{
    if (!templateIds().contains(id)) {
        RuleSetLoad result;
        result.problems.append({RuleProblem::Severity::Error, u"$"_s,
                                u"there is no template \"%1\"; choose one of %2"_s.arg(id, templateIds().join(u", "_s))});
        return result;
    }
    return RuleSetJson::load(resourcePath(id));
}

} // namespace ClearSignal::RuleTemplates
