// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

namespace ClearSignal {

/// Lists the bundled rule templates and what each one sends.
class TemplatesPage final : public QWidget
{
    Q_OBJECT

public:
    explicit TemplatesPage(QWidget* parent = nullptr);
};

} // namespace ClearSignal
