import Foundation

/// A two-dimensional line chart rendered to SVG: linear or log axes with ticks and labels,
/// series as polylines (each tagged `class="series" data-series="…"`), vertical and horizontal
/// markers, shaded x-intervals and a legend.
public struct LineChart: Sendable {
    public struct Axis: Sendable {
        public var label: String
        public var log: Bool
        /// Range; nil ends are taken from the data.
        public var min: Double?
        public var max: Double?

        public init(label: String, log: Bool = false, min: Double? = nil, max: Double? = nil) {
            self.label = label
            self.log = log
            self.min = min
            self.max = max
        }
    }

    public struct Series: Sendable {
        /// Legend label; series sharing a label share one legend entry.
        public var name: String
        /// Stable identifier written as `data-series` (tests and scripts find series by it).
        public var id: String
        public var points: [(x: Double, y: Double)]
        public var color: String
        public var dash: String?
        public var width: Double
        public var opacity: Double?

        public init(
            name: String, id: String, points: [(x: Double, y: Double)], color: String, dash: String? = nil,
            width: Double = 1.8, opacity: Double? = nil
        ) {
            self.name = name
            self.id = id
            self.points = points
            self.color = color
            self.dash = dash
            self.width = width
            self.opacity = opacity
        }
    }

    public struct Marker: Sendable {
        public var value: Double
        public var label: String
        public var id: String
        public var color: String
        public var dash: String?

        public init(value: Double, label: String, id: String, color: String, dash: String? = "6 4") {
            self.value = value
            self.label = label
            self.id = id
            self.color = color
            self.dash = dash
        }
    }

    public struct Shade: Sendable {
        public var from: Double
        public var to: Double
        public var label: String
        public var id: String
        public var color: String

        public init(from: Double, to: Double, label: String, id: String, color: String) {
            self.from = from
            self.to = to
            self.label = label
            self.id = id
            self.color = color
        }
    }

    public var title: String
    public var subtitle: String?
    public var x: Axis
    public var y: Axis
    public var series: [Series] = []
    public var verticalMarkers: [Marker] = []
    public var horizontalMarkers: [Marker] = []
    public var shades: [Shade] = []
    /// A note printed under the plot (e.g. what was clipped).
    public var note: String?

    public init(title: String, subtitle: String? = nil, x: Axis, y: Axis) {
        self.title = title
        self.subtitle = subtitle
        self.x = x
        self.y = y
    }

    static let width = 820.0, height = 500.0
    static let left = 78.0, right = 210.0, top = 62.0, bottom = 70.0

    /// Data range of an axis over the finite (and, for log axes, positive) values.
    private func range(_ values: [Double], _ axis: Axis) -> (Double, Double) {
        let usable = values.filter { $0.isFinite && (!axis.log || $0 > 0) }
        var lo = axis.min ?? usable.min() ?? (axis.log ? 0.1 : 0)
        var hi = axis.max ?? usable.max() ?? (axis.log ? 10 : 1)
        if axis.log {
            lo = Swift.max(lo, 1e-300)
            hi = Swift.max(hi, lo)
        }
        if hi <= lo {
            if axis.log {
                lo /= 10
                hi *= 10
            } else {
                let pad = Swift.max(abs(lo) * 0.1, 1e-12)
                lo -= pad
                hi += pad
            }
        }
        return (lo, hi)
    }

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        let w = Self.width
        let h = Self.height
        let plotW = w - Self.left - Self.right
        let plotH = h - Self.top - Self.bottom
        let allX =
            series.flatMap { $0.points.map(\.x) } + verticalMarkers.map(\.value) + shades.flatMap { [$0.from, $0.to] }
        let allY = series.flatMap { $0.points.map(\.y) } + horizontalMarkers.map(\.value)
        let (x0, x1) = range(allX, x)
        let (y0, y1) = range(allY, y)
        func t(_ v: Double, _ axis: Axis, _ lo: Double, _ hi: Double) -> Double {
            axis.log ? (log10(v) - log10(lo)) / (log10(hi) - log10(lo)) : (v - lo) / (hi - lo)
        }
        func px(_ v: Double) -> Double { Self.left + t(v, x, x0, x1) * plotW }
        func py(_ v: Double) -> Double { Self.top + (1 - t(v, y, y0, y1)) * plotH }
        func usable(_ v: Double, _ axis: Axis) -> Bool { v.isFinite && (!axis.log || v > 0) }

        var doc = SVGDocument(width: w, height: h)
        doc.defineClip(id: "plot-area", x: Self.left, y: Self.top, width: plotW, height: plotH)
        doc.rect(x: 0, y: 0, width: w, height: h, fill: "#ffffff")
        doc.text(title, x: Self.left, y: 26, size: 17, weight: "bold")
        if let subtitle { doc.text(subtitle, x: Self.left, y: 46, size: 12, fill: "#555") }
        doc.rect(x: Self.left, y: Self.top, width: plotW, height: plotH, fill: "#fafafa", stroke: "#999")

        // Shaded intervals, under everything else.
        doc.beginGroup([("clip-path", "url(#plot-area)")])
        for s in shades {
            let a = usable(s.from, x) ? px(s.from) : Self.left
            let b = usable(s.to, x) ? px(s.to) : Self.left + plotW
            doc.rect(
                x: min(a, b), y: Self.top, width: abs(b - a), height: plotH, fill: s.color, opacity: 0.18,
                extra: [("class", "shade"), ("data-shade", s.id)])
        }
        doc.endGroup()

        // Ticks and grid.
        for v in Self.ticks(x0, x1, log: x.log) {
            let p = px(v)
            doc.line(x1: p, y1: Self.top, x2: p, y2: Self.top + plotH, stroke: "#e3e3e3")
            doc.line(x1: p, y1: Self.top + plotH, x2: p, y2: Self.top + plotH + 5, stroke: "#555")
            doc.text(Self.tickLabel(v, log: x.log), x: p, y: Self.top + plotH + 19, size: 11, anchor: .middle)
        }
        for v in Self.ticks(y0, y1, log: y.log) {
            let p = py(v)
            doc.line(x1: Self.left, y1: p, x2: Self.left + plotW, y2: p, stroke: "#e3e3e3")
            doc.line(x1: Self.left - 5, y1: p, x2: Self.left, y2: p, stroke: "#555")
            doc.text(Self.tickLabel(v, log: y.log), x: Self.left - 8, y: p + 4, size: 11, anchor: .end)
        }
        doc.text(
            x.label + (x.log ? " (log scale)" : ""), x: Self.left + plotW / 2, y: h - 24, size: 13, anchor: .middle)
        doc.text(
            y.label + (y.log ? " (log scale)" : ""), x: 18, y: Self.top + plotH / 2, size: 13, anchor: .middle,
            rotate: -90)

        // Markers and series, clipped to the plot area.
        doc.beginGroup([("clip-path", "url(#plot-area)")])
        for m in horizontalMarkers where usable(m.value, y) {
            let p = py(m.value)
            doc.line(
                x1: Self.left, y1: p, x2: Self.left + plotW, y2: p, stroke: m.color, width: 1.2, dash: m.dash,
                extra: [("class", "marker"), ("data-marker", m.id)])
        }
        for m in verticalMarkers where usable(m.value, x) {
            let p = px(m.value)
            doc.line(
                x1: p, y1: Self.top, x2: p, y2: Self.top + plotH, stroke: m.color, width: 1.4, dash: m.dash,
                extra: [("class", "marker"), ("data-marker", m.id)])
        }
        for s in series {
            // Break the line where a point cannot be drawn (non-finite, or ≤ 0 on a log axis).
            var segment: [(Double, Double)] = []
            func flush() {
                if segment.count == 1 {
                    doc.circle(
                        x: segment[0].0, y: segment[0].1, r: 2.5, fill: s.color,
                        extra: [("class", "series"), ("data-series", s.id)])
                } else {
                    doc.polyline(
                        segment, stroke: s.color, width: s.width, dash: s.dash, opacity: s.opacity,
                        extra: [("class", "series"), ("data-series", s.id)])
                }
                segment = []
            }
            for p in s.points {
                if usable(p.x, x) && usable(p.y, y) {
                    // Keep far-off points finite in pixels; the clip path hides the excess.
                    segment.append((px(p.x), min(max(py(p.y), -10 * h), 11 * h)))
                } else if !segment.isEmpty {
                    flush()
                }
            }
            if !segment.isEmpty { flush() }
        }
        doc.endGroup()
        // Marker labels, inside the top of the plot.
        for (k, m) in verticalMarkers.enumerated() where usable(m.value, x) && m.value >= x0 && m.value <= x1 {
            // Labels near the right edge go to the left of their line.
            let nearRight = px(m.value) > Self.left + plotW - 130
            doc.text(
                m.label, x: px(m.value) + (nearRight ? -4 : 4), y: Self.top + 14 + 14 * Double(k % 4), size: 11,
                anchor: nearRight ? .end : .start, fill: m.color)
        }
        for m in horizontalMarkers where usable(m.value, y) && m.value >= y0 && m.value <= y1 {
            doc.text(m.label, x: Self.left + plotW - 4, y: py(m.value) - 4, size: 11, anchor: .end, fill: m.color)
        }

        // Legend: one entry per series name, then markers and shades.
        var ly = Self.top + 8
        let lx = Self.left + plotW + 16
        var seen = Set<String>()
        for s in series where !seen.contains(s.name) {
            seen.insert(s.name)
            doc.line(x1: lx, y1: ly, x2: lx + 24, y2: ly, stroke: s.color, width: 2.5, dash: s.dash)
            doc.text(s.name, x: lx + 30, y: ly + 4, size: 11)
            ly += 18
        }
        for m in verticalMarkers + horizontalMarkers {
            doc.line(x1: lx, y1: ly, x2: lx + 24, y2: ly, stroke: m.color, width: 1.5, dash: m.dash)
            doc.text(m.label, x: lx + 30, y: ly + 4, size: 11)
            ly += 18
        }
        for s in shades {
            doc.rect(x: lx, y: ly - 6, width: 24, height: 12, fill: s.color, opacity: 0.25)
            doc.text(s.label, x: lx + 30, y: ly + 4, size: 11)
            ly += 18
        }
        if let note { doc.text(note, x: Self.left, y: h - 6, size: 10, fill: "#666") }
        return doc.render(title: title)
    }

    /// Tick positions: 1-2-5 steps on linear axes; decades on log axes (every k-th decade when
    /// there are many, 1-2-5 within a decade when the range is narrow).
    public static func ticks(_ lo: Double, _ hi: Double, log: Bool) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return [] }
        if log {
            let a = Int(floor(log10(lo)))
            let b = Int(ceil(log10(hi)))
            let decades = b - a
            if decades <= 1 {
                var out: [Double] = []
                for e in (a - 1)...b {
                    for m in [1.0, 2, 5] {
                        let v = m * pow(10, Double(e))
                        if v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12) { out.append(v) }
                    }
                }
                return out.count >= 2 ? out : linearTicks(lo, hi)
            }
            let every = max(1, Int((Double(decades) / 8).rounded(.up)))
            return stride(from: a, through: b, by: every).map { pow(10, Double($0)) }.filter {
                $0 >= lo * (1 - 1e-12) && $0 <= hi * (1 + 1e-12)
            }
        }
        return linearTicks(lo, hi)
    }

    static func linearTicks(_ lo: Double, _ hi: Double) -> [Double] {
        let raw = (hi - lo) / 6
        let e = Int(floor(log10(raw)))
        let mag = pow(10, Double(e))
        let m = [1, 2, 5, 10].first { Double($0) * mag >= raw } ?? 10
        // Tick k is k·m·10^e, computed by one exact integer product and one rounding.
        func value(_ k: Int) -> Double { e < 0 ? Double(k * m) / pow(10, Double(-e)) : Double(k * m) * mag }
        let step = Double(m) * mag
        var k = Int((lo / step).rounded(.up))
        var out: [Double] = []
        while value(k) <= hi + step * 1e-9 {
            out.append(value(k))
            k += 1
        }
        return out
    }

    /// A compact tick label: plain decimals in [1e-3, 1e5), otherwise `1e-6` style.
    public static func tickLabel(_ v: Double, log: Bool = false) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e5 || a < 1e-3 {
            let e = Int(floor(log10(a)))
            let m = v / pow(10, Double(e))
            let ms = abs(m - m.rounded()) < 1e-9 ? String(Int(m.rounded())) : String(format: "%.2g", m)
            return "\(ms)e\(e)"
        }
        var s = String(format: "%.4g", v)
        if s.contains("e") { s = String(format: "%.4f", v) }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
