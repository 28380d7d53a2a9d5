import Foundation

/// A certificate as read back from its JSON (docs/certificate-format.md): what it claims, not
/// yet checked. It is the `Certificate` model itself, decoded by the same field tables that
/// write it (`CertificateField`); reading only checks the shape, and every malformed field is an
/// `InputError` with its JSON path, so `sgn verify` can exit 2 and say which field is wrong. The
/// properties below are views of the model in the form the verifier compares.
public struct StatedCertificate: Sendable {
    public var certificate: Certificate

    public init(_ certificate: Certificate) {
        self.certificate = certificate
    }

    public var gameName: String { certificate.gameName }
    public var kind: String { certificate.kind }
    public var geometry: String? { certificate.geometry }
    public var players: [String] { certificate.players }
    public var dims: [Int] { certificate.dims }
    public var status: Certificate.Status { certificate.status }
    public var certifiedBy: Certificate.Rung? { certificate.certifiedBy }
    public var estimation: Estimation { certificate.estimation }
    public var curvature: [Double] { certificate.constants.curvature }
    public var ownSize: [Double] { certificate.constants.ownSize }
    /// `coupling[i][j]`, 0 when absent.
    public var coupling: [[Int: Double]] {
        certificate.constants.coupling.map { row in Dictionary(row.map { ($0.col, $0.value) }) { a, _ in a } }
    }
    public var gainSpectralRadius: Double? { certificate.gainSpectralRadius }
    public var comparisonBound: Double? { Self.known(certificate.comparisonBound) }
    public var margins: [Certificate.Rung: Double] { certificate.margins }
    public var weights: [Double] { certificate.weights }
    public var contractionRate: Double? { certificate.contractionRate }
    public var lipschitz: Double? { Self.known(certificate.lipschitz) }
    public var steps: StepSizes? { certificate.steps }
    public var timescaleBand: Certificate.Band? { certificate.timescaleBand }
    /// Per player `(lower, upper)`; nil ends are unbounded.
    public var weightBands: [(lower: Double?, upper: Double?)]? {
        certificate.weightBands?.map { ($0.lower, $0.upper) }
    }
    /// The equilibrium as a flat list (points, or logits, in player order), when stated.
    public var equilibrium: [Double]? {
        guard let e = certificate.equilibrium else { return nil }
        return e.point.map { $0.flatMap { $0 } } ?? e.logits.map { $0.flatMap { $0.flatMap { $0 } } }
    }
    public var equilibriumResidual: Double? { certificate.equilibrium.flatMap { Self.known($0.residual) } }
    /// Markov games: `equilibrium.branch` (`other` for the further QREs of `--equilibria all`).
    public var equilibriumBranch: EquilibriumBranch? { certificate.equilibrium?.branch }
    public var region: RegionReport { certificate.region }
    public var basinRadius: Double? { certificate.basinRadius }
    public var marginTolerance: Double? { Self.known(certificate.marginTolerance) }
    /// `margins.weighted_upper_bound` and `margins.spectral_limit` (absent in older certificates).
    public var weightedUpperBound: Double? { certificate.weightedUpperBound }
    public var spectralLimit: Double? { certificate.spectralLimit }
    /// `metric.lyapunov.cholesky`: the lower factor L of the full metric P = L Lᵀ, when stated.
    public var lyapunovCholesky: Matrix? { certificate.lyapunov?.cholesky }

    /// A figure written as null (not computed) is read as NaN; nil here.
    static func known(_ x: Double) -> Double? { x.isNaN ? nil : x }

    /// Reads a certificate file (`-` for standard input). The certificate may be one line of
    /// `sgn certify`'s NDJSON batch output (its extra `file` key is ignored).
    public static func read(path: String) throws(InputError) -> StatedCertificate {
        let display = path == "-" ? "<stdin>" : path
        let data: [UInt8]
        do {
            // The game reader's bounded read: a directory, a device or an endless stream is
            // refused the same way for certificates as for games.
            data = try GameReader.readBytes(path)
        } catch let e as InputError {
            throw e.inFile(display)
        } catch {
            throw InputError(file: display, message: "cannot read the file (\(error.localizedDescription))")
        }
        guard data.count <= InputLimits.maxFileBytes else {
            throw InputError(
                file: display, message: "file is \(data.count) bytes; the limit is \(InputLimits.maxFileBytes) bytes")
        }
        do {
            return try decode(bytes: data)
        } catch {
            throw error.inFile(display)
        }
    }

    /// Parses a certificate from bytes; errors carry the JSON path but no file name.
    public static func decode(bytes: [UInt8]) throws(InputError) -> StatedCertificate {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InputError(message: error.summary)
        }
        return try decode(JSONNode(value))
    }

    /// Decodes a parsed certificate (`Certificate.decode`).
    public static func decode(_ root: JSONNode) throws(InputError) -> StatedCertificate {
        StatedCertificate(try Certificate.decode(root))
    }
}

extension JSONNode {
    /// A required member of an object.
    func field(_ key: String) throws(InputError) -> JSONNode {
        guard case let .object(pairs) = value else { throw fail("expected an object, got \(value.kindName)") }
        guard let v = pairs.first(where: { $0.key == key })?.value else {
            throw fail("missing required key \"\(key)\"")
        }
        return child(key, v)
    }

    /// An optional member (nil when absent or when this is not an object).
    func optionalField(_ key: String) -> JSONNode? {
        guard case let .object(pairs) = value, let v = pairs.first(where: { $0.key == key })?.value else { return nil }
        return child(key, v)
    }

    /// Any finite number (certificates may hold figures outside the input limits).
    func real() throws(InputError) -> Double {
        guard case let .number(x) = value, x.isFinite else { throw fail("expected a number, got \(value.kindName)") }
        return x
    }

    /// A sentence a prose-coded value writes (a guarantee, a sampling or proof method).
    func prose<T: ProseCoded>() throws(InputError) -> T {
        let text = try string()
        guard let value = T(prose: text) else {
            throw fail("unknown \(T.proseDescription) \"\(text.prefix(80))\(text.count > 80 ? "…" : "")\"")
        }
        return value
    }

    /// One of an enumeration's names.
    func rawEnum<T: RawRepresentable & CaseIterable>() throws(InputError) -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else {
            throw fail(
                "expected one of \(T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), got \"\(text)\"")
        }
        return value
    }

    /// A string or null.
    func optionalString() throws(InputError) -> String? {
        value == .null ? nil : try string()
    }

    /// `true` or `false`.
    func bool() throws(InputError) -> Bool {
        guard case let .bool(b) = value else { throw fail("expected true or false, got \(value.kindName)") }
        return b
    }

    /// One of the given names.
    func oneOf(_ names: [String]) throws(InputError) -> String {
        let text = try string()
        guard names.contains(text) else {
            throw fail("expected one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(text)\"")
        }
        return text
    }

    /// One of an enumeration's names, or null.
    func optionalRawEnum<T: RawRepresentable & CaseIterable>() throws(InputError) -> T? where T.RawValue == String {
        value == .null ? nil : try rawEnum() as T
    }

    /// An object with one entry per player, keyed by name in player order.
    func playerEntries(_ players: [String]) throws(InputError) -> [JSONNode] {
        let members = try members()
        guard members.map(\.key) == players else { throw fail("expected one entry per player, in player order") }
        return members.map(\.node)
    }

    /// Per player, per state, a row of numbers (Markov policies and logits).
    func perStateRows(_ players: [String]) throws(InputError) -> [[[Double]]] {
        try playerEntries(players).map { n throws(InputError) in
            try n.array().map { row throws(InputError) in try row.reals(count: nil) }
        }
    }

    /// A number or null.
    func optionalReal() throws(InputError) -> Double? {
        value == .null ? nil : try real()
    }

    /// An array of numbers (of `count` entries when given).
    func reals(count: Int?) throws(InputError) -> [Double] {
        let items = try array()
        if let count, items.count != count { throw fail("expected \(count) numbers, got \(items.count)") }
        return try items.map { n throws(InputError) in try n.real() }
    }

    /// An object with one number (or null, read as NaN) per player, keyed by name in player order.
    func perPlayer(_ players: [String]) throws(InputError) -> [Double] {
        let members = try members()
        guard members.map(\.key) == players else {
            throw fail(
                """
                expected one number per player \
                (\(players.prefix(8).joined(separator: ", "))\(players.count > 8 ? ", …" : "")), in player order
                """
            )
        }
        // Null stands for a figure that was not computed (e.g. a game that could not be examined).
        return try members.map { m throws(InputError) in try m.node.optionalReal() ?? .nan }
    }
}
