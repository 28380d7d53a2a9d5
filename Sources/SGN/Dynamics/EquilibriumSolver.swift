/// Finding the point a certificate promises convergence to.
public enum EquilibriumSolver {
    /// Largest game solved densely; larger ones use an iterative Krylov solver.
    public static let denseLimit = Limits.denseOrder

    /// Solves `J x = rhs` (dense LU with one refinement step for small or dense games; block-
    /// Jacobi-preconditioned restarted GMRES otherwise), or nil when J is singular / GMRES
    /// does not reach `Tolerance.krylovSolveRelative`.
    public static func solveLinear(_ j: BlockMatrix, rhs: [Double]) -> [Double]? {
        if linearSolver(for: j) == .gmres {
            if rhs.allSatisfy({ $0 == 0 }) { return rhs }
            return krylovSolve(j, rhs: rhs)
        }
        guard var x = LAPACK.solve(j.dense(), rhs), x.allSatisfy(\.isFinite) else { return nil }
        // One step of iterative refinement, for accuracy on ill-conditioned but certified games.
        let r = zip(rhs, j.times(x)).map { $0 - $1 }
        if let d = LAPACK.solve(j.dense(), r) { for k in x.indices { x[k] += d[k] } }
        return x
    }

    /// The solver `solveLinear` uses for `j`: dense LU for small or dense games, GMRES otherwise.
    public static func linearSolver(for j: BlockMatrix) -> LinearSolverKind {
        MetricSpectra.prefersDense(j) ? .denseLU : .gmres
    }

    /// GMRES(40) on `J x = rhs`, right-preconditioned by the inverses of the own blocks J_ii.
    public static func krylovSolve(_ j: BlockMatrix, rhs: [Double]) -> [Double]? {
        var inverses: [Matrix] = []
        inverses.reserveCapacity(j.playerCount)
        for h in j.diagonal {
            let d = h.rows
            if d == 1 {
                inverses.append(Matrix(rows: 1, cols: 1, values: [h.values[0] == 0 ? 1 : 1 / h.values[0]]))
            } else if d == 2, case let det = h.values[0] * h.values[3] - h.values[1] * h.values[2], det != 0 {
                inverses.append(
                    Matrix(
                        rows: 2, cols: 2,
                        values: [
                            h.values[3] / det, -h.values[1] / det,
                            -h.values[2] / det, h.values[0] / det,
                        ]))
            } else {
                var cols: [Double] = []
                for c in 0..<d {
                    var e = [Double](repeating: 0, count: d)
                    e[c] = 1
                    guard let col = LAPACK.solve(h, e) else {
                        cols = Matrix.identity(d).values
                        break
                    }
                    cols += col
                }
                inverses.append(Matrix(rows: d, cols: d, values: cols))
            }
        }
        let blockInverse = BlockMatrix(diagonal: inverses, offDiagonal: Array(repeating: [], count: inverses.count))
        let solution = Krylov.gmres(b: rhs, apply: { j.times($0) }, precondition: { blockInverse.times($0) })
        guard solution.converged, solution.x.allSatisfy(\.isFinite) else { return nil }
        return solution.x
    }

    /// Work allowed for one projected fixed-point solve, in matrix-entry operations (plus a fixed
    /// overhead per iteration). An ill-conditioned boxed game (own curvatures 1 and 2e5) makes
    /// the certified Euler step so small that the iteration would otherwise run for minutes;
    /// with the budget it stops and the certificate reports the residual it reached.
    public static let workBudget = Limits.equilibriumWork

    /// Iteration cap for a map costing `entries` matrix-entry operations per evaluation.
    public static func iterationCap(entries: Int) -> Int {
        max(1000, min(2_000_000, workBudget / (max(entries, 1) + 100)))
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
                if r < bestResidual {
                    best = x
                    bestResidual = r
                }
                if r <= residualTolerance * scale { return x }
            }
        }
        return best
    }
}

/// How `J x = −b` was solved (`numerics.iterative.equilibrium_solver`, `Equilibrium.LinearSolver`).
public enum LinearSolverKind: String, Sendable, CaseIterable {
    /// LAPACK's dense LU (`dgesv`) with one refinement step.
    case denseLU = "dense_lu"
    /// Block-Jacobi-preconditioned restarted GMRES.
    case gmres
}
