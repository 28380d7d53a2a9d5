/// A minimal SVG 1.1 writer: well-formed XML, escaped text and attributes, numbers with fixed
/// precision, no external resources (fonts fall back to the viewer's sans-serif).
public struct SVGDocument: Sendable {
    public let width: Double
    public let height: Double
    private var body: [String] = []
    private var definitions: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Text with the five XML special characters escaped (valid in content and in attributes).
    public static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Control characters other than tab/newline are not allowed in XML 1.0.
            case _ where u.value < 0x20 && u != "\t" && u != "\n": out += " "
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A coordinate with two decimals (non-finite values become 0: callers filter them first).
    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        return String(format2(r))
    }

    private static func format2(_ x: Double) -> String {
        let scaled = Int((abs(x) * 100).rounded())
        let whole = scaled / 100
        let frac = scaled % 100
        let f = frac % 10 == 0 ? String(frac / 10) : (frac < 10 ? "0\(frac)" : String(frac))
        return (x < 0 ? "-" : "") + "\(whole).\(f)"
    }

    private static func attributes(_ a: [(String, String)]) -> String {
        a.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    public mutating func element(_ name: String, _ attrs: [(String, String)], text: String? = nil) {
        if let text {
            body.append("<\(name)\(Self.attributes(attrs))>\(Self.escape(text))</\(name)>")
        } else {
            body.append("<\(name)\(Self.attributes(attrs))/>")
        }
    }

    public mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String,
        stroke: String? = nil, opacity: Double? = nil, extra: [(String, String)] = []
    ) {
        var a = [
            ("x", Self.n(x)), ("y", Self.n(y)), ("width", Self.n(max(0, width))), ("height", Self.n(max(0, height))),
            ("fill", fill),
        ]
        if let stroke { a.append(("stroke", stroke)) }
        if let opacity { a.append(("fill-opacity", Self.n(opacity))) }
        element("rect", a + extra)
    }

    public mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
        dash: String? = nil, extra: [(String, String)] = []
    ) {
        var a = [
            ("x1", Self.n(x1)), ("y1", Self.n(y1)), ("x2", Self.n(x2)), ("y2", Self.n(y2)), ("stroke", stroke),
            ("stroke-width", Self.n(width)),
        ]
        if let dash { a.append(("stroke-dasharray", dash)) }
        element("line", a + extra)
    }

    public mutating func polyline(
        _ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil,
        opacity: Double? = nil, extra: [(String, String)] = []
    ) {
        guard !points.isEmpty else { return }
        var a = [
            ("points", points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")), ("fill", "none"),
            ("stroke", stroke), ("stroke-width", Self.n(width)), ("stroke-linejoin", "round"),
        ]
        if let dash { a.append(("stroke-dasharray", dash)) }
        if let opacity { a.append(("stroke-opacity", Self.n(opacity))) }
        element("polyline", a + extra)
    }

    public mutating func circle(x: Double, y: Double, r: Double, fill: String, extra: [(String, String)] = []) {
        element("circle", [("cx", Self.n(x)), ("cy", Self.n(y)), ("r", Self.n(r)), ("fill", fill)] + extra)
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    public mutating func text(
        _ s: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
        rotate: Double? = nil, weight: String? = nil, fill: String = "#222"
    ) {
        var a = [
            ("x", Self.n(x)), ("y", Self.n(y)), ("font-size", Self.n(size)), ("text-anchor", anchor.rawValue),
            ("fill", fill),
        ]
        if let rotate { a.append(("transform", "rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))")) }
        if let weight { a.append(("font-weight", weight)) }
        element("text", a, text: s)
    }

    /// Starts a group; everything until `endGroup()` belongs to it.
    public mutating func beginGroup(_ attrs: [(String, String)]) {
        body.append("<g\(Self.attributes(attrs))>")
    }

    public mutating func endGroup() { body.append("</g>") }

    /// A rectangular clip path usable as `clip-path="url(#id)"`.
    public mutating func defineClip(id: String, x: Double, y: Double, width: Double, height: Double) {
        definitions.append(
            "<clipPath id=\"\(Self.escape(id))\"><rect x=\"\(Self.n(x))\" "
                + "y=\"\(Self.n(y))\" width=\"\(Self.n(width))\" " + "height=\"\(Self.n(height))\"/></clipPath>"
        )
    }

    /// The complete document.
    public func render(title: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
            + "width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" viewBox=\"0 "
            + "0 \(Self.n(width)) \(Self.n(height))\" font-family=\"Helvetica, Arial, " + "sans-serif\">\n"
        out += "<title>\(Self.escape(title))</title>\n"
        if !definitions.isEmpty { out += "<defs>" + definitions.joined() + "</defs>\n" }
        out += body.joined(separator: "\n")
        out += "\n</svg>\n"
        return out
    }
}
