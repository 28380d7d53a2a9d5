/// The certificate's `numerics` and `rigor` objects (see `CertificateField`).
extension CertificateCodec {
    static var numerics: [Field] {
        [
            Field(
                "linear_algebra", encode: { .string($0.linearAlgebra?.rawValue ?? "none") },
                decode: { o, c throws(InputError) in
                    let path = try o.field("linear_algebra").oneOf(["dense", "iterative", "none"])
                    c.linearAlgebra = LinearAlgebraPath(rawValue: path)
                }),
            Field(
                "margin_tolerance", encode: { .number($0.marginTolerance) },
                decode: { o, c throws(InputError) in
                    c.marginTolerance = try o.field("margin_tolerance").optionalReal() ?? .nan
                }),
            Field(
                "euclidean_lipschitz", encode: { .number($0.euclideanLipschitz) },
                decode: { o, c throws(InputError) in
                    c.euclideanLipschitz = try o.optionalField("euclidean_lipschitz")?.optionalReal() ?? .nan
                }),
            Field(
                "iterative", encode: { c in c.iterative.map { encodeIterative($0, in: c) } }, decode: decodeIterative),
        ]
    }

    static func decodeNumerics(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        // Absent from hand-made certificates: the figures then stay unknown.
        guard let node = o.optionalField("numerics") else { return }
        try decode(numerics, node, into: &c)
    }

    static func encodeIterative(_ it: IterativeNumerics, in c: Certificate) -> JSONValue {
        .object([
            ("comparison_matrix", .string(it.comparison.rawValue)),
            ("metric_spectra", .string(it.metric.rawValue)),
            ("eigen_tolerance", .number(it.eigenTolerance)),
            ("verified_shift", .number(it.verifiedShift)),
            ("equilibrium_solver", .string(EquilibriumSolverReport(c.equilibrium).rawValue)),
            ("solver_tolerance", .number(it.solverTolerance)),
            ("proven", .string(it.proven.prose)),
            ("margin_estimate", .number(it.marginEstimate)),
            ("margin_estimate_residual", .number(it.marginResidual)),
            ("lipschitz_estimate", .number(it.lipschitzEstimate)),
            ("comparison_estimate", .number(it.comparisonEstimate)),
        ])
    }

    static func decodeIterative(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        guard let n = o.optionalField("iterative") else { return }
        _ = try n.object(allowed: [
            "comparison_matrix", "metric_spectra", "eigen_tolerance", "verified_shift", "equilibrium_solver",
            "solver_tolerance", "proven", "margin_estimate", "margin_estimate_residual", "lipschitz_estimate",
            "comparison_estimate",
        ])
        var it = IterativeNumerics(
            comparison: try n.field("comparison_matrix").rawEnum(), metric: try n.field("metric_spectra").rawEnum(),
            eigenTolerance: try n.field("eigen_tolerance").real(), verifiedShift: try n.field("verified_shift").real(),
            solverTolerance: try n.field("solver_tolerance").real())
        it.marginEstimate = try n.optionalField("margin_estimate")?.optionalReal()
        it.marginResidual = try n.optionalField("margin_estimate_residual")?.optionalReal()
        it.lipschitzEstimate = try n.optionalField("lipschitz_estimate")?.optionalReal()
        it.comparisonEstimate = try n.optionalField("comparison_estimate")?.optionalReal()
        // Earlier versions wrote "gmres" and the sentence of both parts whatever ran: both are
        // read, and the model keeps what the numbers say (the solver of a quadratic game's point).
        let _: IterativeNumerics.ProvenScope = try n.field("proven").prose()
        let solver: EquilibriumSolverReport = try n.field("equilibrium_solver").rawEnum()
        switch solver {
        case .denseLU: c.equilibrium?.solver = .denseLU
        case .gmres: c.equilibrium?.solver = .gmres
        case .game, .none: break
        }
        c.iterative = it
    }

    static func encodeRigor(_ r: RigorReport) -> JSONValue {
        .object([
            ("verdict", .string(r.verdict.rawValue)),
            ("rung", .string(r.rung?.rawValue)),
            ("proven_margin", .number(r.provenMargin)),
            ("reason", .string(r.reason)),
            (
                "checks",
                .array(
                    r.checks.map { check in
                        .object([
                            ("name", .string(check.name)), ("rigorous", .bool(check.rigorous)),
                            ("passed", .bool(check.passed)), ("detail", .string(check.detail)),
                        ])
                    })
            ),
            ("not_rigorous", .array(r.notRigorous.map { .string($0) })),
        ])
    }

    /// `rigor` (`--rigorous` only): the verdict and every check, as written.
    static func decodeRigor(_ o: JSONNode, _ c: inout Certificate) throws(InputError) {
        guard let n = o.optionalField("rigor") else { return }
        _ = try n.object(allowed: ["verdict", "rung", "proven_margin", "reason", "checks", "not_rigorous"])
        let checks = try n.field("checks").array().map { k throws(InputError) in
            _ = try k.object(allowed: ["name", "rigorous", "passed", "detail"])
            return RigorReport.Check(
                name: try k.field("name").string(), rigorous: try k.field("rigorous").bool(),
                passed: try k.field("passed").bool(), detail: try k.field("detail").string())
        }
        c.rigor = RigorReport(
            verdict: RigorReport.Verdict(rawValue: try n.field("verdict").oneOf(["certified", "refuted", "undecided"]))
                ?? .undecided, rung: try n.field("rung").optionalRawEnum(),
            provenMargin: try n.field("proven_margin").optionalReal(), reason: try n.field("reason").optionalString(),
            checks: checks,
            notRigorous: try n.field("not_rigorous").array().map { k throws(InputError) in try k.string() })
    }
}

extension RigorReport {
    /// What `--rigorous` never proves (`rigor.not_rigorous`).
    public static let notRigorous = ["steps", "timescale_band", "weight_bands", "equilibrium"]
}
