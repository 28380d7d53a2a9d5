/// The certificate's `steps`, bands, `equilibrium`, `region`, `numerics` and `rigor`, each key
/// written and read by the same entry (see `CertificateField`).
extension CertificateCodec {
    static var steps: [Field] {
        [
            Field(
                "euler",
                object: [
                    Field.real("max", \.steps!.euler.max),
                    Field.real("recommended", \.steps!.euler.recommended),
                    Field.real("factor", \.steps!.euler.factor),
                    Field.prose("guarantee", \.steps!.euler.guarantee),
                ]),
            Field(
                "rk4",
                object: [
                    Field.optionalReal("max", \.steps!.rk4.max),
                    Field.optionalReal("guideline", \.steps!.rk4.guideline),
                    Field.prose("guarantee", \.steps!.rk4.guarantee),
                ]),
        ]
    }

    static func decodeSteps(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        let node = try o.field("steps")
        guard node.value != .null else {
            c.steps = nil
            return
        }
        c.steps = StepSizes(
            euler: .init(max: .nan, recommended: .nan, factor: .nan, guarantee: .provenLinearisation),
            rk4: .init(max: nil, guideline: nil, guarantee: .projectedNoStep))
        try decode(steps, node, into: &c)
    }

    /// Both band keys are always present (null where they do not apply), so a consumer never
    /// meets a missing key that depends on the player count.
    static func encodeBand(_ c: Certificate) -> JSONValue {
        guard c.players.count == 2, let b = c.timescaleBand else { return .null }
        return .object([
            ("ratio", .string("\(c.players[1])/\(c.players[0])")), ("target_margin", .number(b.target)),
            ("lower", .number(b.lower)), ("upper", .number(b.upper)), ("optimum", .number(b.optimum)),
        ])
    }

    static func decodeBand(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        guard let b = o.optionalField("timescale_band"), b.value != .null else { return }
        let players = c.players
        guard players.count == 2 else { throw b.fail("a timescale band is stated only for two players") }
        _ = try b.object(allowed: ["ratio", "target_margin", "lower", "upper", "optimum"])
        let ratio = try b.field("ratio")
        guard try ratio.string() == "\(players[1])/\(players[0])" else {
            throw ratio.fail("expected \"\(players[1])/\(players[0])\"")
        }
        c.timescaleBand = .init(
            lower: try b.field("lower").real(), upper: try b.field("upper").optionalReal(),
            optimum: try b.field("optimum").real(), target: try b.optionalField("target_margin")?.real() ?? 0)
    }

    static func encodeWeightBands(_ c: Certificate) -> JSONValue {
        guard c.players.count > 2, let bands = c.weightBands else { return .null }
        return .object(
            zip(c.players, bands).map { ($0, .object([("lower", .number($1.lower)), ("upper", .number($1.upper))])) })
    }

    static func decodeWeightBands(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        guard let b = o.optionalField("weight_bands"), b.value != .null else { return }
        let members = try b.members()
        guard members.map(\.key) == c.players else { throw b.fail("expected one entry per player, in player order") }
        c.weightBands = try members.map { m throws(InputError) in
            _ = try m.node.object(allowed: ["lower", "upper"])
            return .init(
                lower: try m.node.field("lower").optionalReal(), upper: try m.node.field("upper").optionalReal())
        }
    }

    static func encodeEquilibrium(_ c: Certificate) -> JSONValue {
        guard let e = c.equilibrium else { return .null }
        let players = c.players
        var out: [(key: String, value: JSONValue)] = []
        if let point = e.point { out.append(("point", .object(zip(players, point).map { ($0, .numbers($1)) }))) }
        if let names = e.actionNames {
            out.append(("actions", .object(zip(players, names).map { ($0, .array($1.map { .string($0) })) })))
        }
        if let policies = e.policies {
            out.append(("policies", .object(zip(players, policies).map { ($0, .array($1.map { .numbers($0) })) })))
        }
        if let logits = e.logits {
            out.append(("logits", .object(zip(players, logits).map { ($0, .array($1.map { .numbers($0) })) })))
        }
        out.append(("residual", .number(e.residual)))
        if let t = e.tolerance { out.append(("residual_tolerance", .number(t))) }
        if let b = e.branch { out.append(("branch", .string(b.rawValue))) }
        return .object(out)
    }

    static func decodeEquilibrium(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        let node = try o.field("equilibrium")
        guard node.value != .null else { return }
        _ = try node.object(allowed: [
            "point", "actions", "policies", "logits", "residual", "residual_tolerance", "branch",
        ])
        var e = Equilibrium(residual: try node.field("residual").optionalReal() ?? .nan)
        e.tolerance = try node.optionalField("residual_tolerance")?.real()
        e.branch = try node.optionalField("branch")?.rawEnum()
        if let p = node.optionalField("point") {
            let rows = try p.playerEntries(c.players)
            e.point = try rows.enumerated().map { k, n throws(InputError) in try n.reals(count: c.dims[k]) }
        }
        if let a = node.optionalField("actions") {
            e.actionNames = try a.playerEntries(c.players).map { n throws(InputError) in
                try n.array().map { s throws(InputError) in try s.string() }
            }
        }
        e.policies = try node.optionalField("policies").map { n throws(InputError) in try n.perStateRows(c.players) }
        e.logits = try node.optionalField("logits").map { n throws(InputError) in try n.perStateRows(c.players) }
        c.equilibrium = e
    }

    static func encodeRegion(_ c: Certificate) -> JSONValue {
        let region = c.region
        var out: [(key: String, value: JSONValue)] = [("kind", .string(region.kind.rawValue))]
        if let r = region.radius { out.append(("radius", .number(r))) }
        if let center = region.center { out.append(("center", .string(center.rawValue))) }
        if let p = region.statedEquilibrium {
            out.append(("equilibrium", .object(zip(c.players, p).map { ($0, .numbers($1)) })))
        }
        if let d = region.details { out.append(("description", d)) }
        return .object(out)
    }

    static func decodeRegion(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        let node = try o.field("region")
        // `description` is the game's own free-form account of the region; its content is not read.
        _ = try node.object(allowed: ["kind", "radius", "center", "equilibrium", "description"])
        let kind: RegionReport.Kind = try node.field("kind").rawEnum()
        let radius = try node.optionalField("radius")?.real()
        func center() throws(InputError) -> RegionReport.RegionCenter { try node.field("center").rawEnum() }
        func stated() throws(InputError) -> [[Double]]? {
            try node.optionalField("equilibrium").map { n throws(InputError) in
                try n.playerEntries(c.players).enumerated().map { k, x throws(InputError) in
                    try x.reals(count: c.dims[k])
                }
            }
        }
        let details = node.optionalField("description")?.value
        switch kind {
        case .global: c.region = .global
        case .box: c.region = .box
        case .logitBox: c.region = .logitBox(radius: try node.field("radius").real(), center: try center())
        case .variableBox: c.region = .variableBox(radius: radius, center: try center())
        case .sampledPoints: c.region = .sampledPoints(statedEquilibrium: try stated(), details: details)
        case .enclosure: c.region = .enclosure(statedEquilibrium: try stated(), details: details)
        }
    }
}
