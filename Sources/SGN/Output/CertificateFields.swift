/// The nested objects of the certificate's JSON (see `CertificateField`): `game`, `constants`,
/// `margins`, `metric` and `steps`, each key written and read by the same entry.
extension CertificateCodec {
    static var game: [Field] {
        [
            Field(
                "name", encode: { .string($0.gameName) },
                decode: { o, c throws(InputError) in c.gameName = try o.field("name").string() }),
            Field(
                "kind", encode: { .string($0.kind) },
                decode: { o, c throws(InputError) in c.kind = try o.field("kind").string() }),
            Field("players", encode: { .array($0.players.map { .string($0) }) }, decode: decodePlayers),
            Field("dims", encode: { .array($0.dims.map { .number(Double($0)) }) }, decode: decodeDims),
            Field(
                "geometry", encode: { $0.geometry.map { .string($0) } },
                decode: { o, c throws(InputError) in c.geometry = try o.optionalField("geometry")?.string() }),
            Field(
                "discount", encode: { $0.regularisation.map { .number($0.discount) } },
                decode: { o, c throws(InputError) in
                    guard let d = o.optionalField("discount") else { return }
                    c.regularisation = (try d.real(), try o.field("temperature").real())
                }),
            Field("temperature", encode: { $0.regularisation.map { .number($0.temperature) } }, decode: { _, _ in }),
        ]
    }

    static func decodePlayers(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        let node = try o.field("players")
        let players = try node.array().map { n throws(InputError) in try n.string() }
        guard !players.isEmpty else { throw node.fail("a certificate names at least one player") }
        guard Set(players).count == players.count else { throw node.fail("duplicate player names") }
        c.players = players
    }

    static func decodeDims(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        let node = try o.field("dims")
        let dims = try node.array().map { n throws(InputError) in try n.integer(in: 1...InputLimits.maxPlayerDimension)
        }
        guard dims.count == c.players.count else {
            throw node.fail("expected \(counted(c.players.count, "dimension")) (one per player), got \(dims.count)")
        }
        c.dims = dims
    }

    static var constants: [Field] {
        [
            Field("estimation", encode: { .string(estimationName($0.estimation)) }, decode: decodeEstimation),
            Field("samples", encode: { c in sampled(c).map { .number(Double($0.count)) } }, decode: { _, _ in }),
            Field("seed", encode: { c in sampled(c).map { .number(Double($0.seed)) } }, decode: { _, _ in }),
            Field("sampling", encode: { c in sampled(c).map { .string($0.method.prose) } }, decode: { _, _ in }),
            // How proven constants were proven ({method, boxes, gap}), or why a proof that was
            // attempted did not complete ({reason}); absent when none was attempted.
            Field("proof", encode: encodeProof, decode: { _, _ in }),
            Field(
                "curvature", encode: { $0.perPlayer($0.constants.curvature) },
                decode: { o, c throws(InputError) in
                    c.constants.curvature = try o.field("curvature").perPlayer(c.players)
                }),
            Field("coupling", encode: encodeCoupling, decode: decodeCoupling),
            Field(
                "own_size", encode: { $0.perPlayer($0.constants.ownSize) },
                decode: { o, c throws(InputError) in c.constants.ownSize = try o.field("own_size").perPlayer(c.players)
                }
            ),
            Field.optionalReal("gain_spectral_radius", \.gainSpectralRadius),
            Field(
                "comparison_min_eigenvalue", encode: { .number($0.comparisonBound) },
                decode: { o, c throws(InputError) in
                    c.comparisonBound = try o.optionalField("comparison_min_eigenvalue")?.optionalReal() ?? .nan
                }),
            Field(
                "coupling_graph",
                encode: { c in .string(c.examined ? (c.irreducible ? "strongly_connected" : "reducible") : nil) },
                decode: { o, c throws(InputError) in
                    guard let node = o.optionalField("coupling_graph"), node.value != .null else { return }
                    c.irreducible = try node.oneOf(["strongly_connected", "reducible"]) == "strongly_connected"
                }),
        ]
    }

    static func estimationName(_ e: Estimation) -> String {
        switch e {
        case .exact: return "exact"
        case .sampled: return "sampled"
        case .proven: return "proven"
        }
    }

    static func sampled(_ c: Certificate) -> (count: Int, seed: UInt64, method: SamplingMethod)? {
        guard case let .sampled(count, seed, method) = c.estimation else { return nil }
        return (count, seed, method)
    }

    static func encodeProof(_ c: Certificate) -> JSONValue? {
        if case let .proven(method, boxes, gap) = c.estimation {
            return .object([
                ("method", .string(method.prose)),
                ("boxes", boxes.map { .number(Double($0)) } ?? .null),
                ("gap", gap.map { .number($0) } ?? .null),
            ])
        }
        return c.proof?.reason.map { .object([("reason", .string($0))]) }
    }

    /// `estimation` with the keys that go with it: `samples`, `seed`, `sampling` or `proof`.
    static func decodeEstimation(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        switch try o.field("estimation").oneOf(["exact", "sampled", "proven"]) {
        case "exact": c.estimation = .exact
        case "sampled":
            let count = try o.field("samples").integer(in: 0...Int(Int32.max))
            let seedNode = try o.field("seed")
            let seedValue = try seedNode.real()
            guard seedValue >= 0, seedValue == seedValue.rounded(), let seed = UInt64(exactly: seedValue) else {
                throw seedNode.fail("expected a non-negative whole number")
            }
            c.estimation = .sampled(count: count, seed: seed, method: try o.field("sampling").prose())
        default:
            let proof = try o.field("proof")
            _ = try proof.object(allowed: ["method", "boxes", "gap"])
            var boxes: Int? = nil
            var gap: Double? = nil
            if let node = proof.optionalField("boxes"), node.value != .null {
                boxes = try node.integer(in: 1...Int(Int32.max))
            }
            if let node = proof.optionalField("gap"), node.value != .null {
                let g = try node.real()
                guard g >= 0 else { throw node.fail("expected a non-negative number") }
                gap = g
            }
            c.estimation = .proven(method: try proof.field("method").prose(), subBoxes: boxes, gap: gap)
        }
        // A proof that was attempted but not completed states its reason beside sampled constants.
        switch c.estimation {
        case .proven: break
        case .exact, .sampled: _ = try o.optionalField("proof")?.object(allowed: ["reason"])
        }
        if let reason = try o.optionalField("proof")?.optionalField("reason")?.string() {
            c.proof = .init(boxes: nil, gap: nil, reason: reason)
        }
    }

    static func encodeCoupling(_ c: Certificate) -> JSONValue {
        .object(
            c.constants.coupling.enumerated().compactMap { i, row in
                row.isEmpty ? nil : (c.players[i], .object(row.map { (c.players[$0.col], .number($0.value)) }))
            })
    }

    /// Rows in the written order; a missing pair is a coupling of 0.
    static func decodeCoupling(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        let index = Dictionary(uniqueKeysWithValues: c.players.enumerated().map { ($1, $0) })
        var coupling = [[(col: Int, value: Double)]](repeating: [], count: c.players.count)
        for (name, row) in try o.field("coupling").members() {
            guard let i = index[name], coupling[i].isEmpty else {
                throw row.fail("unknown or repeated player \"\(name)\"")
            }
            for (other, v) in try row.members() {
                guard let j = index[other], j != i, !coupling[i].contains(where: { $0.col == j }) else {
                    throw v.fail("unknown, repeated or self coupling \"\(other)\"")
                }
                coupling[i].append((j, try v.real()))
            }
        }
        c.constants.coupling = coupling
    }

    static var margins: [Field] {
        // The full-metric rung's margin is absent from certificates that predate it.
        Certificate.Rung.allCases.map { rung in
            Field(
                rung.rawValue, encode: { .number($0.margins[rung]) },
                decode: { o, c throws(InputError) in
                    let node = rung == .lyapunov ? o.optionalField(rung.rawValue) : try o.field(rung.rawValue)
                    c.margins[rung] = try node?.optionalReal()
                })
        } + [
            Field(
                "weighted_upper_bound", encode: { .number($0.weightedUpperBound) },
                decode: { o, c throws(InputError) in
                    c.weightedUpperBound = try o.optionalField("weighted_upper_bound")?.optionalReal()
                }),
            Field(
                "spectral_limit", encode: { .number($0.spectralLimit) },
                decode: { o, c throws(InputError) in
                    c.spectralLimit = try o.optionalField("spectral_limit")?.optionalReal()
                }),
            Field(
                "not_evaluated", encode: { .string($0.marginsNotEvaluated) },
                decode: { o, c throws(InputError) in
                    c.marginsNotEvaluated = try o.optionalField("not_evaluated")?.optionalString()
                }),
        ]
    }

    static var metric: [Field] {
        [
            Field(
                "weights", encode: { $0.examined ? $0.perPlayer($0.weights) : .null },
                decode: { o, c throws(InputError) in
                    // Null: the game could not be examined (no weights were computed).
                    let node = try o.field("weights")
                    c.examined = node.value != .null
                    c.weights =
                        c.examined ? try node.perPlayer(c.players) : [Double](repeating: 1, count: c.players.count)
                }),
            // Derived from the weights or the full metric: written from them; read back only for
            // `sgn verify` to compare with that derivation (absent in hand-made certificates).
            Field(
                "condition_factor", encode: { .number($0.conditionFactor) },
                decode: { o, c throws(InputError) in
                    guard let node = o.optionalField("condition_factor") else { return }
                    c.statedConditionFactor = .some(try node.optionalReal())
                }),
            Field("lyapunov", encode: { $0.lyapunov.map(encodeLyapunov) ?? .null }, decode: decodeLyapunov),
            Field(
                "lyapunov_skipped", encode: { .string($0.lyapunovSkipped) },
                decode: { o, c throws(InputError) in
                    c.lyapunovSkipped = try o.optionalField("lyapunov_skipped")?.optionalString()
                }),
        ]
    }

    static func encodeLyapunov(_ l: LyapunovMetric) -> JSONValue {
        .object([
            ("cholesky", .array((0..<l.cholesky.rows).map { r in .numbers((0...r).map { l.cholesky[r, $0] }) })),
            ("shift", .number(l.shift)), ("condition_factor", .number(l.conditionFactor)),
        ])
    }

    /// `metric.lyapunov`: the lower factor L of P = L Lᵀ, one row per state coordinate.
    static func decodeLyapunov(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        guard let node = o.optionalField("lyapunov"), node.value != .null else { return }
        _ = try node.object(allowed: ["cholesky", "shift", "condition_factor"])
        let rows = try node.field("cholesky")
        let items = try rows.array()
        let size = c.dims.reduce(0, +)
        guard items.count == size else { throw rows.fail("expected \(size) rows (the state dimension)") }
        var l = Matrix(rows: size, cols: size)
        for (r, item) in items.enumerated() {
            for (col, v) in try item.reals(count: r + 1).enumerated() { l[r, col] = v }
        }
        c.lyapunov = LyapunovMetric(
            cholesky: l, shift: try node.field("shift").real(), margin: .nan, lipschitz: .nan,
            conditionFactor: try node.field("condition_factor").optionalReal() ?? .nan)
    }
}
