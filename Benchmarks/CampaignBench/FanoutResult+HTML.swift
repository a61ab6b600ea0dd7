import Foundation

extension FanoutResult {
    /// A self-contained page (inline CSS and SVG, no external assets): summary, percentile curve, timeline.
    var html: String {
        let rows = table.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(3)
            .filter { !$0.isEmpty && !$0.hasPrefix("  -") && !$0.hasPrefix("PROBLEMS") && !$0.hasPrefix("every event") }
            .map { line -> String in
                let label = line.prefix(22).trimmingCharacters(in: .whitespaces)
                let value = line.dropFirst(22)
                return "<tr><th>\(SVGChart.escape(label))</th><td>\(SVGChart.escape(String(value)))</td></tr>"
            }.joined(separator: "\n")
        let verdict = problems.isEmpty
            ? "<p class=ok>Every event delivered to every client exactly once, in order.</p>"
            : "<ul class=bad>" + problems.map { "<li>\(SVGChart.escape($0))</li>" }.joined() + "</ul>"
        let mode = (rate.map { String(format: "%g events/s", $0) } ?? "burst") + (closedLoop ? ", closed loop" : "")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <title>campaign-bench fanout: \(Format.count(clients)) clients × \(events) events</title>
            <style>
            body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 920px; color: #222; }
            h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 2em; }
            table { border-collapse: collapse; } th, td { padding: 2px 12px 2px 0; text-align: left; vertical-align: top; }
            th { font-weight: 600; white-space: nowrap; } code { background: #f4f4f4; padding: 1px 4px; }
            .ok { color: #1a7f37; } .bad { color: #b42318; }
            svg { background: #fcfcfc; border: 1px solid #e5e5e5; } svg text { font: 11px system-ui, sans-serif; fill: #444; }
            </style></head><body>
            <h1>Fan-out: \(Format.count(clients)) SSE clients × \(events) events (\(mode))</h1>
            <p>\(SVGChart.escape(url)), campaign <code>\(SVGChart.escape(campaignId))</code>, started \(SVGChart.escape(startedAt)).<br>
            Command: <code>\(SVGChart.escape(command))</code></p>
            \(verdict)
            <table>\(rows)</table>
            <h2>Delivery latency distribution (publish → arrival, every client and event)</h2>
            \(percentileChart)
            <h2>Timeline: per event, publish (dot) and first / median / last arrival</h2>
            \(timelineChart)
            <p>Latency is measured from just before the create request is written to the moment the event's bytes
            were read by the client; client and server share this machine's clock.</p>
            </body></html>
            """
    }

    private var percentileChart: String {
        let width = 860.0, height = 340.0, left = 60.0, right = 20.0, top = 15.0, bottom = 40.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let samples = Double(max(1, latency.count))
        let xMax = max(2, min(5, ceil(log10(samples))))
        func x(_ percentile: Double) -> Double {
            let level = percentile >= 100 ? xMax : min(xMax, log10(1 / (1 - percentile / 100)))
            return left + level / xMax * plotWidth
        }
        let yStep = SVGChart.step(for: max(latency.max, 0.001))
        let yMax = max(yStep, ceil(latency.max / yStep) * yStep)
        func y(_ milliseconds: Double) -> Double { top + plotHeight - milliseconds / yMax * plotHeight }
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        var value = 0.0
        while value <= yMax + yStep / 2 {
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(SVGChart.number(y(value)))\" y2=\"\(SVGChart.number(y(value)))\" stroke=\"#e5e5e5\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(SVGChart.number(y(value) + 4))\" text-anchor=\"end\">\(SVGChart.label(value)) ms</text>"
            value += yStep
        }
        let labels = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"]
        for level in 0...Int(xMax) {
            let position = left + Double(level) / xMax * plotWidth
            svg += "<line x1=\"\(SVGChart.number(position))\" x2=\"\(SVGChart.number(position))\" y1=\"\(top)\" y2=\"\(top + plotHeight)\" stroke=\"#e5e5e5\"/>"
            svg += "<text x=\"\(SVGChart.number(position))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">\(labels[level])</text>"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 6)\" text-anchor=\"middle\">percentile (log scale of 1/(1−p))</text>"
        let points = latencyDistribution.map { "\(SVGChart.number(x($0.percentile))),\(SVGChart.number(y($0.milliseconds)))" }
        svg += "<polyline fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        for (name, percentile, milliseconds) in [("p50", 50.0, latency.p50), ("p99", 99.0, latency.p99), ("p99.9", 99.9, latency.p999)]
        where Double(latency.count) >= 1 / (1 - percentile / 100) {
            svg += "<circle cx=\"\(SVGChart.number(x(percentile)))\" cy=\"\(SVGChart.number(y(milliseconds)))\" r=\"3.5\" fill=\"#b42318\"/>"
            svg += "<text x=\"\(SVGChart.number(x(percentile) + 6))\" y=\"\(SVGChart.number(y(milliseconds) - 6))\">\(name) \(Format.ms(milliseconds))</text>"
        }
        return svg + "</svg>"
    }

    private var timelineChart: String {
        let width = 860.0, left = 60.0, right = 20.0, top = 15.0, bottom = 40.0
        let rowHeight = timeline.count <= 60 ? 10.0 : max(1, 600.0 / Double(max(1, timeline.count)))
        let plotHeight = max(80, rowHeight * Double(timeline.count))
        let height = top + plotHeight + bottom
        let plotWidth = width - left - right
        let end = timeline.map { $0.publishedAt + ($0.lastMilliseconds ?? 0) }.max() ?? 1
        let xStep = SVGChart.step(for: max(end, 1), ticks: 8)
        let xMax = max(xStep, ceil(end / xStep) * xStep)
        func x(_ milliseconds: Double) -> Double { left + milliseconds / xMax * plotWidth }
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        var tick = 0.0
        while tick <= xMax + xStep / 2 {
            svg += "<line x1=\"\(SVGChart.number(x(tick)))\" x2=\"\(SVGChart.number(x(tick)))\" y1=\"\(top)\" y2=\"\(top + plotHeight)\" stroke=\"#e5e5e5\"/>"
            svg += "<text x=\"\(SVGChart.number(x(tick)))\" y=\"\(SVGChart.number(top + plotHeight + 16))\" text-anchor=\"middle\">\(SVGChart.label(tick))</text>"
            tick += xStep
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(SVGChart.number(height - 6))\" text-anchor=\"middle\">ms after the first publish</text>"
        svg += "<text x=\"\(left - 8)\" y=\"\(top + 10)\" text-anchor=\"end\">event 1</text>"
        svg += "<text x=\"\(left - 8)\" y=\"\(SVGChart.number(top + plotHeight))\" text-anchor=\"end\">\(timeline.count)</text>"
        for (row, event) in timeline.enumerated() {
            let centre = SVGChart.number(top + (Double(row) + 0.5) * rowHeight)
            let published = event.publishedAt
            if let first = event.firstMilliseconds, let median = event.medianMilliseconds, let last = event.lastMilliseconds {
                svg += "<line x1=\"\(SVGChart.number(x(published)))\" x2=\"\(SVGChart.number(x(published + first)))\" y1=\"\(centre)\" y2=\"\(centre)\" stroke=\"#bbb\"/>"
                svg += "<line x1=\"\(SVGChart.number(x(published + first)))\" x2=\"\(SVGChart.number(x(published + last)))\" y1=\"\(centre)\" y2=\"\(centre)\" stroke=\"#2563eb\" stroke-width=\"\(SVGChart.number(max(1, rowHeight * 0.6)))\"><title>event \(event.index): first \(Format.ms(first)), median \(Format.ms(median)), last \(Format.ms(last)), \(event.deliveries) deliveries</title></line>"
                let m = SVGChart.number(x(published + median))
                svg += "<line x1=\"\(m)\" x2=\"\(m)\" y1=\"\(SVGChart.number(top + Double(row) * rowHeight))\" y2=\"\(SVGChart.number(top + Double(row + 1) * rowHeight))\" stroke=\"#b42318\"/>"
            }
            svg += "<circle cx=\"\(SVGChart.number(x(published)))\" cy=\"\(centre)\" r=\"\(SVGChart.number(min(3, max(1, rowHeight / 3))))\" fill=\"#222\"/>"
        }
        return svg + "</svg>"
    }
}
