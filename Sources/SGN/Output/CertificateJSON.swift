extension Certificate {
    /// The certificate as JSON, keys in the documented order (docs/certificate-format.md).
    public var json: JSONValue {
        func perPlayer(_ xs: [Double]) -> JSONValue {
            .object(zip(players, xs).map { ($0, .number($1)) })
        }
        var game: [(key: String, value: JSONValue)] = [
            ("name", .string(gameName)), ("kind", .string(kind)),
            ("players", .array(players.map { .string($0) })), ("dims", .array(dims.map { .number(Double($0)) })),
        ]
        if let geometry { game.append(("geometry", .string(geometry))) }
        if let regularisation {
            game += [
                ("discount", .number(regularisation.discount)), ("temperature", .number(regularisation.temperature)),
            ]
        }

        var constantsJSON: [(key: String, value: JSONValue)] = []
        switch estimation {
        case .exact:
            constantsJSON.append(("estimation", .string("exact")))
        case let .sampled(count, seed, method):
            constantsJSON += [
                ("estimation", .string("sampled")), ("samples", .number(Double(count))),
                ("seed", .number(Double(seed))), ("sampling", .string(method)),
            ]
        case .proven:
            constantsJSON.append(("estimation", .string("proven")))
        }
        // `constants.proof`: how proven constants were proven ({method, boxes, gap}), or why a
        // proof that was attempted did not complete ({reason}); absent when none was attempted.
        if case let .proven(method, boxes, gap) = estimation {
            constantsJSON.append(
                (
                    "proof",
                    .object([
                        ("method", .string(method)),
                        ("boxes", boxes.map { .number(Double($0)) } ?? .null),
                        ("gap", gap.map { .number($0) } ?? .null),
                    ])
                ))
        } else if let reason = proof?.reason {
            constantsJSON.append(("proof", .object([("reason", .string(reason))])))
        }
        constantsJSON += [
            ("curvature", perPlayer(constants.curvature)),
            (
                "coupling",
                .object(
                    constants.coupling.enumerated().compactMap { i, row in
                        row.isEmpty ? nil : (players[i], .object(row.map { (players[$0.col], .number($0.value)) }))
                    })
            ),
            ("own_size", perPlayer(constants.ownSize)),
            ("gain_spectral_radius", .number(gainSpectralRadius)),
            ("comparison_min_eigenvalue", .number(comparisonBound)),
            ("coupling_graph", .string(examined ? (irreducible ? "strongly_connected" : "reducible") : nil)),
        ]

        var out: [(key: String, value: JSONValue)] = [
            ("certificate", .string("sgn/1")),
            ("tool", .object([("name", .string("sgn")), ("version", .string(toolVersion))])),
            ("game", .object(game)),
            ("status", .string(status.rawValue)),
            ("certified_by", .string(certifiedBy?.rawValue)),
            ("reason", .string(reason)),
            ("objective", .string(objective.rawValue)),
            ("constants", .object(constantsJSON)),
            (
                "margins",
                .object(
                    Rung.allCases.map { ($0.rawValue, .number(margins[$0])) }
                        + [
                            ("weighted_upper_bound", .number(weightedUpperBound)),
                            ("spectral_limit", .number(spectralLimit)),
                        ]
                        + [("not_evaluated", marginsNotEvaluated.map { .string($0) } ?? .null)])
            ),
            (
                "metric",
                .object([
                    ("weights", examined ? perPlayer(weights) : .null),
                    ("condition_factor", .number(conditionFactor)),
                    (
                        "lyapunov",
                        lyapunov.map { l in
                            .object([
                                (
                                    "cholesky",
                                    .array(
                                        (0..<l.cholesky.rows).map { r in .numbers((0...r).map { l.cholesky[r, $0] }) })
                                ),
                                ("shift", .number(l.shift)), ("condition_factor", .number(l.conditionFactor)),
                            ])
                        } ?? .null
                    ),
                    ("lyapunov_skipped", .string(lyapunovSkipped)),
                ])
            ),
            ("contraction_rate", .number(contractionRate)),
            ("lipschitz", .number(lipschitz)),
        ]
        if let steps {
            out.append(
                (
                    "steps",
                    .object([
                        (
                            "euler",
                            .object([
                                ("max", .number(steps.euler.max)), ("recommended", .number(steps.euler.recommended)),
                                ("factor", .number(steps.euler.factor)), ("guarantee", .string(steps.euler.guarantee)),
                            ])
                        ),
                        (
                            "rk4",
                            .object([
                                ("max", .number(steps.rk4.max)), ("guideline", .number(steps.rk4.guideline)),
                                ("guarantee", .string(steps.rk4.guarantee)),
                            ])
                        ),
                    ])
                ))
        } else {
            out.append(("steps", .null))
        }
        // Both band keys are always present (null where they do not apply), so a consumer never
        // meets a missing key that depends on the player count.
        out.append(
            (
                "timescale_band",
                players.count == 2
                    ? timescaleBand.map { b in
                        .object([
                            ("ratio", .string("\(players[1])/\(players[0])")), ("target_margin", .number(0)),
                            ("lower", .number(b.lower)), ("upper", .number(b.upper)), ("optimum", .number(b.optimum)),
                        ])
                    } ?? .null : .null
            ))
        out.append(
            (
                "weight_bands",
                players.count > 2
                    ? weightBands.map { bands in
                        .object(
                            zip(players, bands).map {
                                ($0, .object([("lower", .number($1.lower)), ("upper", .number($1.upper))]))
                            })
                    } ?? .null : .null
            ))
        if let equilibrium {
            var e: [(key: String, value: JSONValue)] = []
            if let point = equilibrium.point {
                e.append(("point", .object(zip(players, point).map { ($0, .numbers($1)) })))
            }
            if let names = equilibrium.actionNames {
                e.append(("actions", .object(zip(players, names).map { ($0, .array($1.map { .string($0) })) })))
            }
            if let policies = equilibrium.policies {
                e.append(("policies", .object(zip(players, policies).map { ($0, .array($1.map { .numbers($0) })) })))
            }
            if let logits = equilibrium.logits {
                e.append(("logits", .object(zip(players, logits).map { ($0, .array($1.map { .numbers($0) })) })))
            }
            e.append(("residual", .number(equilibrium.residual)))
            if let t = equilibrium.tolerance { e.append(("residual_tolerance", .number(t))) }
            if let b = equilibrium.branch { e.append(("branch", .string(b))) }
            out.append(("equilibrium", .object(e)))
        } else {
            out.append(("equilibrium", .null))
        }
        var regionJSON: [(key: String, value: JSONValue)] = [("kind", .string(region.kind))]
        if let r = region.radius { regionJSON.append(("radius", .number(r))) }
        if let c = region.center { regionJSON.append(("center", .string(c))) }
        if let p = region.statedEquilibrium {
            regionJSON.append(("equilibrium", .object(zip(players, p).map { ($0, .numbers($1)) })))
        }
        if let d = region.details { regionJSON.append(("description", d)) }
        out.append(("region", .object(regionJSON)))
        // Always present (#16: keys never depend on the game); a number only for games with a
        // region around their equilibrium.
        out.append(
            ("basin", region.center != nil ? basinRadius.map { .object([("radius", .number($0))]) } ?? .null : .null))
        var numerics: [(key: String, value: JSONValue)] = [
            ("linear_algebra", .string(linearAlgebra)),
            ("margin_tolerance", .number(marginTolerance)),
            ("euclidean_lipschitz", .number(euclideanLipschitz)),
        ]
        if let it = iterative {
            numerics.append(
                (
                    "iterative",
                    .object([
                        ("comparison_matrix", .string(it.comparison)),
                        ("metric_spectra", .string(it.metric)),
                        ("eigen_tolerance", .number(it.eigenTolerance)),
                        ("verified_shift", .number(it.verifiedShift)),
                        ("equilibrium_solver", .string("gmres")),
                        ("solver_tolerance", .number(it.solverTolerance)),
                        (
                            "proven",
                            .string(
                                "margins are lower bounds and lipschitz is an upper bound (Collatz-Wielandt certificates on block comparison matrices, rounding included); the estimates below are not"
                            )
                        ),
                        ("margin_estimate", .number(it.marginEstimate)),
                        ("margin_estimate_residual", .number(it.marginResidual)),
                        ("lipschitz_estimate", .number(it.lipschitzEstimate)),
                        ("comparison_estimate", .number(it.comparisonEstimate)),
                    ])
                ))
        }
        out.append(("numerics", .object(numerics)))
        if let rigor { out.append(("rigor", rigor.json)) }
        return .object(out)
    }
}
