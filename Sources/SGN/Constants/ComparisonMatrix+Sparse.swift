/// The comparison matrix for many players: every N×N computation by Krylov iteration on the
/// sparse coupling lists, every figure that certifies turned into a proven bound by
/// Collatz–Wielandt (docs/performance.md).
extension ComparisonMatrix {
    /// Players up to which Γ is handled densely (LAPACK `dgeev`/`dsyevd`, O(N³)).
    public static let denseLimit = Limits.denseComparisonPlayers

    public var usesDense: Bool { playerCount <= ComparisonMatrix.denseLimit }

    /// Rows of `Γ` (diagonal μ, off-diagonal −L).
    var sparseRows: CollatzWielandt.Rows {
        CollatzWielandt.Rows(
            diagonal: constants.curvature, off: constants.coupling.map { $0.map { ($0.col, -$0.value) } })
    }

    /// Rows of the symmetric Z-matrix `sym(W^{1/2} Γ W^{-1/2})` (pairs coupled both ways appear
    /// as two entries, which sum).
    func symmetrizedRows(weights w: [Double]) -> CollatzWielandt.Rows {
        let n = playerCount
        var off = [[(col: Int, value: Double)]](repeating: [], count: n)
        for i in 0..<n {
            for (j, l) in constants.coupling[i] {
                let v = -0.5 * l * (w[i] / w[j]).squareRoot()
                off[i].append((j, v))
                off[j].append((i, v))
            }
        }
        return CollatzWielandt.Rows(diagonal: constants.curvature, off: off)
    }

    /// A proven lower bound on `α*(w)` with the Lanczos estimate it came from.
    func sparseMargin(weights w: [Double], start: [Double]? = nil) throws -> (
        lower: Double, estimate: Double, vector: [Double]
    ) {
        let s = symmetrizedRows(weights: w)
        let pair = try Krylov.lanczos(n: playerCount, start: start ?? [Double](repeating: 1, count: playerCount)) {
            s.times($0)
        }
        var lower = CollatzWielandt.lowerBound(s, pair)
        if let start { lower = max(lower, CollatzWielandt.bracket(s, start).lower) }
        return (lower, pair.value, pair.vector)
    }

    /// Right and left Perron vectors of Γ (for τ(Γ)) by restarted Arnoldi, and τ(Γ) bracketed
    /// by Collatz–Wielandt from both.
    func sparsePerron() throws -> (x: [Double], y: [Double], estimate: Double, lower: Double, upper: Double) {
        let g = sparseRows
        let gt = g.transposed()
        let n = playerCount
        let right = try Krylov.arnoldi(n: n, smallestReal: true) { g.times($0) }
        let left = try Krylov.arnoldi(n: n, smallestReal: true, start: right.vector) { gt.times($0) }
        let b1 = CollatzWielandt.bracket(g, right.vector)
        let b2 = CollatzWielandt.bracket(gt, left.vector)
        return (right.vector, left.vector, right.value, max(b1.lower, b2.lower), min(b1.upper, b2.upper))
    }

    /// Perron weights `y/x` for large Γ, or nil when a Perron entry is not safely positive.
    func sparsePerronWeights(
        _ computed: (x: [Double], y: [Double], estimate: Double, lower: Double, upper: Double)? = nil
    ) throws
        -> (weights: [Double], start: [Double])?
    {
        let p = try computed ?? sparsePerron()
        let xm = p.x.map(abs).max() ?? 0
        let ym = p.y.map(abs).max() ?? 0
        guard xm > 0, ym > 0 else { return nil }
        let x = p.x.map { $0 / xm }
        let y = p.y.map { $0 / ym }
        guard x.allSatisfy({ $0 > Tolerance.perronEntryFloor }), y.allSatisfy({ $0 > Tolerance.perronEntryFloor })
        else { return nil }
        let w = zip(y, x).map { $0 / $1 }
        guard w.allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
        // At w = y/x the Perron vector of sym(W^{1/2} Γ W^{-1/2}) is √(x∘y).
        return (w, zip(x, y).map { ($0 * $1).squareRoot() })
    }

    /// Upper bound on the gain spectral radius ρ(G), `G = D⁻¹L` (all μ > 0).
    func sparseGainSpectralRadius() throws -> Double {
        let n = playerCount
        let g = CollatzWielandt.Rows(
            diagonal: [Double](repeating: 0, count: n),
            off: (0..<n).map { i in constants.coupling[i].map { ($0.col, $0.value / constants.curvature[i]) } })
        // Iterate on I + G (same Perron vector, aperiodic), bound ρ(G) = ρ(I + G) − 1.
        var shifted = g
        shifted.diagonal = [Double](repeating: 1, count: n)
        let pair = try Krylov.arnoldi(n: n, smallestReal: false) { shifted.times($0) }
        return max(0, CollatzWielandt.bracket(g, pair.vector).upper)
    }

    /// The same constants with ε couplings closing the players into a ring (each ordered pair
    /// (i, i+1) and (i+1, i) raised by ε per occurrence, as the dense construction does).
    func withRing(_ eps: Double) -> ComparisonMatrix {
        let n = playerCount
        var c = constants
        func add(_ i: Int, _ j: Int) {
            if let k = c.coupling[i].firstIndex(where: { $0.col == j }) {
                c.coupling[i][k].value += eps
            } else {
                c.coupling[i].append((j, eps))
                c.coupling[i].sort { $0.col < $1.col }
            }
        }
        for i in 0..<n {
            add(i, (i + 1) % n)
            add((i + 1) % n, i)
        }
        return ComparisonMatrix(c)
    }
}
