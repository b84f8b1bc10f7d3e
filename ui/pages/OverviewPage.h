// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

namespace ClearSignal {

/// First page: what ClearSignal does and the state of its bundled health lexicon.
class OverviewPage final : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewPage(QWidget* parent = nullptr);
};

} // namespace ClearSignal
