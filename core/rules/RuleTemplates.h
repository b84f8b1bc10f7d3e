// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RuleSetJson.h"

#include <QList>
#include <QString>

namespace ClearSignal {

/// A starting rule set shipped with ClearSignal (resources/templates). All are safe by default:
/// conversions only, URLs reduced to the origin, no identifiers of people.
struct RuleTemplate
{
    QString id;   ///< "glp1-clinic"
    QString name; ///< "GLP-1 clinic"
    QString description;
};

namespace RuleTemplates {

/// The bundled templates, in menu order.
QList<RuleTemplate> all();
/// Loads one bundled template by id; an unknown id is reported as a problem.
RuleSetLoad load(const QString& id);

} // namespace RuleTemplates

} // namespace ClearSignal
