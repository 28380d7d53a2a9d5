/// Finding the point a certificate promises convergence to.
public enum EquilibriumSolver {
    /// Largest game solved densely; larger ones use an iterative Krylov solver.
    public static let denseLimit = 3000

    /// Solves `J x = rhs`, or nil when J is singular.
    public static func solveLinear(_ j: BlockMatrix, rhs: [Double]) -> [Double]? {
        if rhs.allSatisfy({ $0 == 0 }) {
            // Unique solution 0 if J is nonsingular; check by a solve anyway for small games.
            if j.size > denseLimit { return rhs }
        }
        guard j.size <= denseLimit else { return nil }
        guard var x = LAPACK.solve(j.dense(), rhs), x.allSatisfy(\.isFinite) else { return nil }
        // One step of iterative refinement, for accuracy on ill-conditioned but certified games.
        let r = zip(rhs, j.times(x)).map { $0 - $1 }
        if let d = LAPACK.solve(j.dense(), r) { for k in x.indices { x[k] += d[k] } }
        return x
    }

    /// Iterates `x ← Π(x − h F(x))` until the residual is below `residualTolerance` (relative to
    /// the size of F at the start) or an iteration cap is reached.
    public static func projectedFixedPoint(
        start: [Double], step h: Double, residualTolerance: Double, maxIterations: Int = 2_000_000,
        map: ([Double]) -> [Double], project: ([Double]) -> [Double], residual: ([Double]) -> Double
    ) -> [Double] {
        var x = start
        let scale = max(1, map(start).reduce(0) { max($0, abs($1)) })
        var best = x
        var bestResidual = residual(x)
        for k in 0..<maxIterations {
            let f = map(x)
            x = project(zip(x, f).map { $0 - h * $1 })
            if k % 64 == 0 {
                let r = residual(x)
                if r < bestResidual { best = x; bestResidual = r }
                if r <= residualTolerance * scale { return x }
            }
        }
        return best
    }
}
