/// The certificate's JSON form, kept in one place: every key is one `CertificateField` that says
/// how it is written from the model and how it is read back into it. `Certificate.json` (the
/// writer) and `Certificate.decode` (the reader `sgn verify` uses) both walk the same tables, in
/// the documented key order (docs/certificate-format.md), so a field cannot be written without
/// being read, and a round trip writes the same bytes.
struct CertificateField {
    typealias Decode = (_ object: JSONNode, _ certificate: inout Certificate) throws(InputError) -> Void

    var key: String
    /// The value written under `key`; nil omits the key.
    var encode: (Certificate) -> JSONValue?
    /// Reads the key from the enclosing object (absent keys are the decoder's to judge).
    var decode: Decode

    init(_ key: String, encode: @escaping (Certificate) -> JSONValue?, decode: @escaping Decode) {
        self.key = key
        self.encode = encode
        self.decode = decode
    }

    /// A number kept at `path` of the model.
    static func real(_ key: String, _ path: WritableKeyPath<Certificate, Double>) -> CertificateField {
        CertificateField(
            key, encode: { .number($0[keyPath: path]) },
            decode: { o, c throws(InputError) in c[keyPath: path] = try o.field(key).real() })
    }

    /// A number or `null` kept at `path` of the model.
    static func optionalReal(_ key: String, _ path: WritableKeyPath<Certificate, Double?>) -> CertificateField {
        CertificateField(
            key, encode: { .number($0[keyPath: path]) },
            decode: { o, c throws(InputError) in c[keyPath: path] = try o.field(key).optionalReal() })
    }

    /// A sentence (`ProseCoded`) kept as its case at `path` of the model.
    static func prose<T: ProseCoded>(_ key: String, _ path: WritableKeyPath<Certificate, T>) -> CertificateField {
        CertificateField(
            key, encode: { .string($0[keyPath: path].prose) },
            decode: { o, c throws(InputError) in c[keyPath: path] = try o.field(key).prose() })
    }

    /// A required nested object whose keys are `fields`.
    init(_ key: String, object fields: [CertificateField]) {
        self.init(
            key, encode: { c in CertificateCodec.encode(fields, c) },
            decode: { o, c throws(InputError) in try CertificateCodec.decode(fields, try o.field(key), into: &c) })
    }
}

extension Certificate {
    /// The certificate as JSON, keys in the documented order (docs/certificate-format.md).
    public var json: JSONValue { CertificateCodec.encode(CertificateCodec.root, self) }

    /// Reads a certificate back from its JSON: the inverse of `json` (writing the result gives
    /// the same JSON). Every malformed field is an `InputError` with its JSON path. Figures the
    /// JSON does not hold (the full metric's margin and β, the search's internals) are NaN.
    public static func decode(_ root: JSONNode) throws(InputError) -> Certificate {
        guard case .object = root.value else {
            throw root.fail("expected a certificate object, got \(root.value.kindName)")
        }
        var c = Certificate.blank
        // A line of `sgn certify`'s NDJSON batch output carries the game's `file` too.
        try CertificateCodec.decode(CertificateCodec.root, root, into: &c, alsoAllowed: ["file"])
        return c
    }

    /// The starting point of decoding: every field is overwritten or defaulted by the tables.
    static var blank: Certificate {
        Certificate(
            toolVersion: "", gameName: "", kind: "", players: [], dims: [], geometry: nil, status: .notCertified,
            certifiedBy: nil, reason: nil, objective: .rate, estimation: .exact,
            constants: BlockConstants(curvature: [], ownSize: [], coupling: []), gainSpectralRadius: nil,
            comparisonBound: .nan, irreducible: false, margins: [:], weights: [], contractionRate: nil,
            lipschitz: .nan, euclideanLipschitz: .nan, marginTolerance: .nan, linearAlgebra: .dense, steps: nil,
            timescaleBand: nil, weightBands: nil, equilibrium: nil, region: .global, basinRadius: nil)
    }
}

enum CertificateCodec {
    typealias Field = CertificateField

    static func encode(_ fields: [Field], _ c: Certificate) -> JSONValue {
        .object(fields.compactMap { f in f.encode(c).map { (f.key, $0) } })
    }

    /// Reads `fields` from `node`. Certificates are read back strictly: a key that no field (nor
    /// `alsoAllowed`) names is bad input, named by its JSON path.
    static func decode(
        _ fields: [Field], _ node: JSONNode, into c: inout Certificate, alsoAllowed: [String] = []
    ) throws(InputError) {
        guard case .object = node.value else { throw node.fail("expected an object, got \(node.value.kindName)") }
        for f in fields { try f.decode(node, &c) }
        // After the fields, so that a renamed key reports the missing one first.
        _ = try node.object(allowed: fields.map(\.key) + alsoAllowed)
    }

    /// The top-level keys, in order.
    static var root: [Field] {
        [
            Field(
                "certificate", encode: { _ in .string("sgn/1") },
                decode: { o, _ throws(InputError) in
                    let node = try o.field("certificate")
                    let format = try node.string()
                    guard format == "sgn/1" else {
                        throw node.fail("unsupported certificate format \"\(format)\" (this sgn reads \"sgn/1\")")
                    }
                }),
            Field(
                "tool", encode: { c in .object([("name", .string("sgn")), ("version", .string(c.toolVersion))]) },
                decode: { o, c throws(InputError) in
                    let tool = o.optionalField("tool")
                    _ = try tool?.object(allowed: ["name", "version"])
                    c.toolVersion = try tool?.optionalField("version")?.string() ?? ""
                }),
            Field("game", object: game),
            Field(
                "status", encode: { .string($0.status.rawValue) },
                decode: { o, c throws(InputError) in c.status = try o.field("status").rawEnum() }),
            Field(
                "certified_by", encode: { .string($0.certifiedBy?.rawValue) },
                decode: { o, c throws(InputError) in c.certifiedBy = try o.field("certified_by").optionalRawEnum() }),
            Field(
                "reason", encode: { .string($0.reason) },
                decode: { o, c throws(InputError) in c.reason = try o.optionalField("reason")?.optionalString() }),
            Field(
                "objective", encode: { .string($0.objective.rawValue) },
                decode: { o, c throws(InputError) in
                    c.objective = try o.optionalField("objective")?.optionalRawEnum() ?? .rate
                }),
            Field("constants", object: constants),
            Field("margins", object: margins),
            Field("metric", object: metric),
            Field(
                "contraction_rate", encode: { .number($0.contractionRate) },
                decode: { o, c throws(InputError) in c.contractionRate = try o.field("contraction_rate").optionalReal()
                }
            ),
            Field(
                "lipschitz", encode: { .number($0.lipschitz) },
                decode: { o, c throws(InputError) in c.lipschitz = try o.field("lipschitz").optionalReal() ?? .nan }),
            Field("steps", encode: { $0.steps == nil ? .null : encode(steps, $0) }, decode: decodeSteps),
            Field("timescale_band", encode: encodeBand, decode: decodeBand),
            Field("weight_bands", encode: encodeWeightBands, decode: decodeWeightBands),
            Field("equilibrium", encode: encodeEquilibrium, decode: decodeEquilibrium),
            Field("region", encode: encodeRegion, decode: decodeRegion),
            // Always present (keys never depend on the game); a number only for games with a
            // region around their equilibrium.
            Field(
                "basin",
                encode: { c in
                    c.region.center != nil ? c.basinRadius.map { .object([("radius", .number($0))]) } ?? .null : .null
                },
                decode: { o, c throws(InputError) in
                    guard let b = o.optionalField("basin"), b.value != .null else { return }
                    _ = try b.object(allowed: ["radius"])
                    c.basinRadius = try b.field("radius").real()
                }),
            Field("numerics", encode: { encode(numerics, $0) }, decode: decodeNumerics),
            Field("rigor", encode: { $0.rigor.map { encodeRigor($0) } }, decode: decodeRigor),
        ]
    }
}

/// Per player figures: one number (or null for a figure not computed) per player, in order.
extension Certificate {
    func perPlayer(_ xs: [Double]) -> JSONValue {
        .object(zip(players, xs).map { ($0, .number($1)) })
    }
}
