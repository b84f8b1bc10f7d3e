// SPDX-License-Identifier: GPL-3.0-or-later
#include "RuleTemplateModel.h"

namespace ClearSignal {

RuleTemplateModel::RuleTemplateModel(QObject* parent) : QAbstractTableModel(parent)
{
    reload();
}

void RuleTemplateModel::reload()
{
    beginResetModel();
    m_rows.clear();
    for (const RuleTemplate& info : RuleTemplates::all()) {
        const RuleSetLoad loaded = RuleTemplates::load(info.id);
        if (!loaded.rules)
            continue;
        QStringList sends;
        for (const EventFieldSpec& spec : allFieldSpecs()) {
            if (loaded.rules->policy(spec.field) != FieldPolicy::Drop)
                sends.append(spec.path);
        }
        m_rows.append({info, int(loaded.rules->mappings.size()), sends.join(QStringLiteral(", "))});
    }
    endResetModel();
}

int RuleTemplateModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RuleTemplateModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant RuleTemplateModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    if (role == TemplateIdRole)
        return row.info.id;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case Column::Name:
        return row.info.name;
    case Column::Description:
        return row.info.description;
    case Column::Mappings:
        return row.mappings;
    case Column::Sends:
        return row.sends;
    case Column::Count:
        break;
    }
    return {};
}

QVariant RuleTemplateModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Name:
        return tr("Template");
    case Column::Description:
        return tr("For");
    case Column::Mappings:
        return tr("Event mappings");
    case Column::Sends:
        return tr("Fields sent to TikTok");
    case Column::Count:
        break;
    }
    return {};
}

} // namespace ClearSignal
