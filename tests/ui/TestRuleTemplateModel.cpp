// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/RuleTemplateModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestRuleTemplateModel : public QObject
{
    Q_OBJECT

private slots:
    void listsTheBundledTemplates();
    void reloadResetsTheModel();
};

void TestRuleTemplateModel::listsTheBundledTemplates()
{
    RuleTemplateModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.columnCount(), int(RuleTemplateModel::Column::Count));
    QCOMPARE(model.index(2, 0).data().toString(), u"GLP-1 clinic"_s);
    QCOMPARE(model.index(2, 0).data(RuleTemplateModel::TemplateIdRole).toString(), u"glp1-clinic"_s);
    QCOMPARE(model.index(4, int(RuleTemplateModel::Column::Sends)).data().toString(), u"event_id, user.ttclid, user.ttp"_s);
    QCOMPARE(model.headerData(int(RuleTemplateModel::Column::Sends), Qt::Horizontal).toString(),
             u"Fields sent to TikTok"_s);
    QVERIFY(!model.index(0, 0).parent().isValid());
    QCOMPARE(model.rowCount(model.index(0, 0)), 0);
}

void TestRuleTemplateModel::reloadResetsTheModel()
{
    RuleTemplateModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.reload();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 6);
}

QTEST_MAIN(TestRuleTemplateModel)
#include "TestRuleTemplateModel.moc"
