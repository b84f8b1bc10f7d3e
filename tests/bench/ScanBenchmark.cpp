// SPDX-License-Identifier: GPL-3.0-or-later
// Pages per minute and peak memory of a real scan: the embedded browser crawls a 50-page clinic site served on
// 127.0.0.1 with 3 pages in parallel (issue: site scanner; goal at least 60 pages/min on 2 cores). The site is
// generated at start-up: 1 home page, 7 service sections, 6 pages each, every page with the demo clinic's
// TikTok, Meta and Google tags (offline stand-ins) and, on every third page, a tag manager that injects a
// Snap pixel two seconds after load.
#include "scan/SiteScanner.h"
#include "scan/capture/DevToolsConnection.h"
#include "scan/demo/LocalSiteServer.h"

#include <benchmark/benchmark.h>

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <unistd.h>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int sections = 7;
constexpr int pagesPerSection = 6;

void write(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
}

QByteArray resource(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing resource %s", qPrintable(path));
    return file.readAll();
}

QByteArray page(const QString& title, const QStringList& links, bool tagManager)
{
    // The demo clinic's tags, taken from one of its pages so the benchmark measures what users scan.
    static const QByteArray demo = resource(u":/clearsignal/demo-site/services/semaglutide-weight-loss/index.html"_s);
    const QByteArray head = demo.mid(demo.indexOf("<!-- TikTok"), demo.indexOf("</head>") - demo.indexOf("<!-- TikTok"));
    QByteArray body = "<h1>" + title.toUtf8() + "</h1><p>Lorem ipsum dolor sit amet.</p><ul>";
    for (const QString& link : links)
        body += "<li><a href=\"" + link.toUtf8() + "\">" + link.toUtf8() + "</a></li>";
    body += "</ul>";
    const QByteArray gtm = tagManager ? "<script async src=\"{{THIRD_PARTY}}/vendor/gtm/gtm.js?id=GTM-BENCH\"></script>"
                                      : QByteArray();
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title.toUtf8() + "</title>\n" + head + gtm
           + "</head><body>" + body + "</body></html>\n";
}

/// Writes the 50-page site; returns its root.
QString makeSite(const QTemporaryDir& dir)
{
    const QString root = dir.filePath(u"site"_s);
    QDirIterator vendor(u":/clearsignal/demo-site"_s, QDirIterator::Subdirectories);
    while (vendor.hasNext()) {
        const QString path = vendor.next();
        if (QFileInfo(path).isFile() && (path.contains(u"/vendor/"_s) || path.contains(u"/assets/"_s)))
            write(root + path.mid(QStringLiteral(":/clearsignal/demo-site").size()), resource(path));
    }
    QStringList sectionLinks;
    int count = 0;
    for (int s = 0; s < sections; ++s) {
        const QString section = u"/services/section-%1/"_s.arg(s);
        sectionLinks.append(section);
        QStringList leafLinks = {u"/"_s};
        for (int p = 0; p < pagesPerSection; ++p)
            leafLinks.append(section + u"treatment-%1/"_s.arg(p));
        write(root + section + u"index.html"_s, page(u"Section %1"_s.arg(s), leafLinks, ++count % 3 == 0));
        for (int p = 0; p < pagesPerSection; ++p)
            write(root + section + u"treatment-%1/index.html"_s.arg(p),
                  page(u"Treatment %1.%2"_s.arg(s).arg(p), {u"/"_s, section}, ++count % 3 == 0));
    }
    write(root + u"/index.html"_s, page(u"Home"_s, sectionLinks, true));
    return root;
}

/// Resident memory of this process and all its descendants (the browser's zygote, renderers, utilities), in MiB.
double residentMiB()
{
    const auto rss = [](const QString& pid) -> qint64 {
        QFile status(u"/proc/%1/status"_s.arg(pid));
        if (!status.open(QIODevice::ReadOnly))
            return 0;
        for (const QByteArray& line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').first().toLongLong();
        }
        return 0;
    };
    QHash<QString, QString> parentOf;
    for (const QString& pid : QDir(u"/proc"_s).entryList(QDir::Dirs)) {
        QFile stat(u"/proc/%1/stat"_s.arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        parentOf.insert(pid, QString::fromLatin1(text.mid(text.lastIndexOf(')') + 2).split(' ').value(1)));
    }
    const QString self = QString::number(QCoreApplication::applicationPid());
    qint64 kib = 0;
    for (auto it = parentOf.begin(); it != parentOf.end(); ++it) {
        QString pid = it.key();
        for (int hops = 0; hops < 8 && !pid.isEmpty() && pid != self; ++hops)
            pid = parentOf.value(pid);
        if (pid == self)
            kib += rss(it.key());
    }
    return double(kib) / 1024.0;
}

void BM_Scan50Pages(benchmark::State& state)
{
    QTemporaryDir dir;
    LocalSiteServer server(makeSite(dir));
    if (!server.listen())
        state.SkipWithError("cannot listen on 127.0.0.1");
    for (auto _ : state) {
        ScanSettings settings;
        settings.startUrl = server.siteUrl();
        settings.parallelPages = int(state.range(0));
        double peak = 0;
        QTimer sampler;
        QObject::connect(&sampler, &QTimer::timeout, [&] { peak = std::max(peak, residentMiB()); });
        sampler.start(200);
        SiteScanner scanner(settings);
        ScanResult result;
        QEventLoop loop;
        QObject::connect(&scanner, &SiteScanner::finished, &loop, [&](const ScanResult& finished) {
            result = finished;
            loop.quit();
        });
        QElapsedTimer clock;
        clock.start();
        scanner.start();
        loop.exec();
        const double seconds = double(clock.elapsed()) / 1000.0;
        state.SetIterationTime(seconds);
        state.counters["pages"] = double(result.pages.size());
        state.counters["pages_per_min"] = double(result.pages.size()) * 60.0 / seconds;
        state.counters["tracker_events"] = double(result.trackerEvents.size());
        state.counters["peak_rss_MiB"] = peak;
    }
}
BENCHMARK(BM_Scan50Pages)->Arg(3)->Arg(1)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

} // namespace

int main(int argc, char* argv[])
{
    DevToolsConnection::prepareEnvironment();
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (::geteuid() == 0)
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
