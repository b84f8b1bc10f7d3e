// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rules/RuleSet.h"
#include "rules/RuleTemplates.h"

#include <QAbstractTableModel>

namespace ClearSignal {

/// The bundled rule templates as a table: name, what it is for, mappings and what it sends.
class RuleTemplateModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Column { Name, Description, Mappings, Sends, Count };
    enum Role { TemplateIdRole = Qt::UserRole + 1 };

    explicit RuleTemplateModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Reloads the templates from the bundled resources.
    void reload();

private:
    struct Row
    {
        RuleTemplate info;
        int mappings = 0;
        QString sends;
    };
    QList<Row> m_rows;
};

} // namespace ClearSignal
