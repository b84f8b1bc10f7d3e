// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplatesPage.h"

#include "models/RuleTemplateModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace ClearSignal {

TemplatesPage::TemplatesPage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("templatesPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);

    auto* title = new QLabel(tr("<h2>Rule templates</h2>"), this);
    auto* intro = new QLabel(tr("Every template is safe by default: only conversions leave, page addresses are "
                                "reduced to your site's address, and no identifier of a person is sent."),
                             this);
    intro->setWordWrap(true);

    auto* table = new QTableView(this);
    table->setObjectName(QStringLiteral("templateTable"));
    table->setModel(new RuleTemplateModel(table));
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setWordWrap(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setColumnWidth(0, 140);
    table->setColumnWidth(1, 380);
    table->setColumnWidth(2, 110);
    table->resizeRowsToContents();

    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(table, 1);
}

} // namespace ClearSignal
