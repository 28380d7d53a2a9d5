/// The SGN weights of a large comparison matrix (docs/performance.md).
extension OptimalWeights {
    /// `compute` for large Γ: the same candidates as the dense path (Perron weights when the
    /// coupling graph is strongly connected; condensation and ε-ring candidates otherwise), with
    /// Perron vectors by Arnoldi, each candidate's margin a proven lower bound, and τ(Γ) the
    /// Arnoldi estimate.
    static func computeSparse(_ gamma: ComparisonMatrix, components: [[Int]]) throws -> SGNWeights {
        let n = gamma.playerCount
        let irreducible = components.count == 1
        var candidates: [(w: [Double], start: [Double]?)] = []
        let perron = try gamma.sparsePerron()
        if irreducible, let p = try gamma.sparsePerronWeights(perron) {
            // For irreducible Γ the Perron weights attain τ(Γ), the best any weights can do, so
            // uniform weights are not evaluated (each evaluation is a Krylov solve).
            candidates.append((p.weights, p.start))
        } else {
            candidates.append(([Double](repeating: 1, count: n), nil))
            candidates += try condensationWeights(gamma, components: components).map { ($0, nil) }
            let scale = max(
                gamma.constants.curvature.map(abs).max() ?? 0,
                gamma.constants.coupling.flatMap { $0.map(\.value) }.max() ?? 0, Tolerance.scaleFloor)
            for exponent in stride(from: 2, through: 12, by: 2) {
                var eps = scale
                for _ in 0..<exponent { eps /= 10 }
                if let p = try gamma.withRing(eps).sparsePerronWeights() { candidates.append((p.weights, p.start)) }
            }
        }
        var best: (w: [Double], m: Double, vector: [Double])? = nil
        for c in candidates {
            let m = try gamma.sparseMargin(weights: c.w, start: c.start)
            if best == nil || m.lower > best!.m { best = (c.w, m.lower, m.vector) }
        }
        return SGNWeights(
            weights: normalise(best!.w), margin: best!.m, bound: perron.estimate, irreducible: irreducible,
            perronVector: best!.vector)
    }
}
