import Testing

@testable import SGN

/// The certificate model: guarantees, methods and solvers are enums, written as the prose and
/// names docs/certificate-format.md lists and read back from them.
@Suite("Certificate model: enums for prose, and what actually ran")
struct CertificateModelTests {
    /// 420 players of one coordinate: Γ (N > 400) runs iteratively, the 420×420 Jacobian densely,
    /// so the equilibrium comes from dense LU and only Γ's figures are Collatz–Wielandt bounds.
    /// Earlier versions wrote "gmres" and claimed Collatz–Wielandt margins here.
    @Test func iterativeBlockSaysWhatRan() throws {
        let game = GameGenerators.network(players: 420, dim: 1, degree: 4, seed: 1)
        let c = try Certifier().certify(game)
        let it = try #require(c.iterative)
        #expect(it.comparison == .iterative && it.metric == .dense)
        #expect(it.proven == .comparisonOnly)
        #expect(c.equilibrium?.solver == .denseLU)
        let block = try #require(c.json["numerics"]?["iterative"])
        #expect(block["equilibrium_solver"] == .string("dense_lu"))
        #expect(block["proven"] == .string(IterativeNumerics.ProvenScope.comparisonOnly.prose))
    }

    /// Each solver name follows the equilibrium that was reported.
    @Test func solverNames() {
        #expect(EquilibriumSolverReport(nil) == .none)
        #expect(EquilibriumSolverReport(Equilibrium(residual: 0)) == .game)
        #expect(EquilibriumSolverReport(Equilibrium(residual: 0, solver: .gmres)).rawValue == "gmres")
        #expect(EquilibriumSolverReport(Equilibrium(residual: 0, solver: .denseLU)).rawValue == "dense_lu")
    }

    /// The equilibrium's branch and the linear-algebra paths are read back as cases: a Markov
    /// example states the principal branch, a dense quadratic game "dense", an unexaminable one
    /// "none" (no path), and the raw values are the names the JSON writes.
    @Test func branchAndPathsReadBack() throws {
        let files = try CertificateCodecTests.fixture("examples-sgn1-c123a02.files")
        let lines = try CertificateCodecTests.fixture("examples-sgn1-c123a02.ndjson")
        func decoded(_ file: String) throws -> Certificate {
            let line = lines[try #require(files.firstIndex(of: file))]
            return try Certificate.decode(JSONNode(try JSONParser.parse(Array(line.utf8))))
        }
        let markov = try decoded("coordination-2x2x2.json")
        #expect(markov.equilibrium?.branch == .principal)
        #expect(markov.linearAlgebra == .dense)
        #expect(try decoded("mini-toy.json").equilibrium?.branch == nil)
        #expect(EquilibriumBranch.allCases.map(\.rawValue) == ["principal", "given", "unidentified", "other"])
        var unexamined = try decoded("mini-toy.json")
        unexamined.linearAlgebra = nil
        #expect(unexamined.json["numerics"]?["linear_algebra"] == .string("none"))
        #expect(LinearAlgebraPath(dense: false) == .iterative && LinearAlgebraPath(dense: true).rawValue == "dense")
    }

    /// Every guarantee reads back from its prose, distinct cases have distinct prose, and the
    /// older wording of the region guarantee is still read.
    @Test func guaranteesReadBack() {
        for g in EulerGuarantee.allCases { #expect(EulerGuarantee(prose: g.prose) == g) }
        for g in RK4Guarantee.allCases { #expect(RK4Guarantee(prose: g.prose) == g) }
        #expect(Set(EulerGuarantee.allCases.map(\.prose)).count == EulerGuarantee.allCases.count)
        #expect(Set(RK4Guarantee.allCases.map(\.prose)).count == RK4Guarantee.allCases.count)
        let old =
            """
            Proven on the region: for every step h with 0 < h < max, Euler contracts in the certificate's metric by \
            the factor sqrt(1 - 2h*alpha + h^2*beta^2) < 1 per step while iterates stay in the region the enclosure \
            covers; at the recommended step that factor is `factor`.
            """
        #expect(EulerGuarantee(prose: old) == .provenOnRegion(projected: false))
        // The RK4 sentences of versions up to 1.0.0 cited "the paper's 2.5/beta"; they read as
        // the same guarantees, and no sentence written today refers outside the certificate.
        #expect(Set(RK4Guarantee.legacyProse.values) == [.provenLinear, .localSampled, .localProvenLipschitz])
        for (sentence, g) in RK4Guarantee.legacyProse {
            #expect(sentence.hasSuffix("guideline is the paper's 2.5/beta."))
            #expect(RK4Guarantee(prose: sentence) == g && g.prose != sentence)
        }
        for g in RK4Guarantee.allCases {
            #expect(!g.prose.contains("paper"))
            #expect(g == .projectedNoStep || g.prose.contains("guideline = 2.5/beta is a round step inside max"))
        }
        #expect(EulerGuarantee(prose: "Proven: anything") == nil)
        #expect(RK4Guarantee(prose: "") == nil)
    }

    /// Sampling and proof methods with their parameters read back from their prose; a sentence
    /// that is not exactly what `prose` writes is rejected.
    @Test func methodsReadBack() {
        let methods: [SamplingMethod] = [
            .givenJacobians(source: "inline"), .givenJacobians(source: "samples.npy (a) (b)"),
            .givenConstants(source: "inline"), .logitBoxVertices(vertices: 256),
            .logitBoxVerticesAndUniform(vertices: 16, uniform: 7, seed: 3),
            .logitBoxRandom(vertices: 32, uniform: 31, seed: 7), .independentLogitBox(seed: UInt64.max),
            .boxSamples(purpose: .proofBudgetSpent, maxBoxes: 4096, vertices: 1024, seed: 1),
            .boxSamples(purpose: .independentCheck, maxBoxes: 64, vertices: nil, seed: 0),
            .noPoints, .noEquilibrium, .regionNotExaminable,
        ]
        for m in methods { #expect(SamplingMethod(prose: m.prose) == m) }
        #expect(
            SamplingMethod.logitBoxRandom(vertices: 32, uniform: 31, seed: 7).prose
                == "centre, 32 random vertices and 31 uniform points of the logit box (SplitMix64, seed 7)")
        #expect(
            SamplingMethod(
                prose: "centre, 032 random vertices and 31 uniform points of the logit box (SplitMix64, seed 7)") == nil
        )
        #expect(SamplingMethod(prose: "centre and all x vertices of the logit box") == nil)
        let proofs: [ProofMethod] = [
            .givenEnclosure(source: "j.npy", samples: 3), .subBoxEnclosures, .logitBoxCertifiedField, .logitBoxSubBoxes,
        ]
        for p in proofs { #expect(ProofMethod(prose: p.prose) == p) }
        #expect(ProofMethod(prose: "interval arithmetic") == nil)
    }
}
