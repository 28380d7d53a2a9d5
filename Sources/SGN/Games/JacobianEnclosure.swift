/// An entrywise enclosure `lower ≤ J(x) ≤ upper` of the pseudo-gradient's Jacobian, valid at
/// every point x of a region (docs/jacobian-games.md). Every figure derived from it is a proven
/// bound for every Jacobian in the enclosure, rounding included:
///
/// - the enclosure is re-centred as `|J − mid| ≤ rad` with `rad` rounded up, so the midpoint's
///   rounding is absorbed;
/// - for any `E` with `|E| ≤ R` entrywise, `‖E‖₂ ≤ ‖R‖₂`, so
///   `λmin(sym(A + E)) ≥ λmin(sym A) − ‖R‖₂` and `‖A + E‖₂ ≤ ‖A‖₂ + ‖R‖₂`;
/// - `λmin` lower bounds and norm upper bounds of the floating-point matrices come from
///   `RigorousArithmetic` (Cholesky proofs with every rounding error absorbed), and the scaling
///   `M^{1/2}(·)M^{-1/2}` of a weighted metric adds its rounding to `R`.
public struct JacobianEnclosure: Sendable {
    public let dims: [Int]
    public let offsets: [Int]
    /// Midpoint, n×n.
    public let mid: Matrix
    /// Radius, n×n, rounded up: `|J − mid| ≤ rad` entrywise for every J in the enclosure.
    public let rad: Matrix

    /// Largest order (Σ d_i) of an enclosure: every margin the weight search asks for is an
    /// O(n³) Cholesky proof in plain Swift (about 5 s for a whole certificate at n = 200).
    public static let maxOrder = Limits.enclosureOrder

    /// - Precondition: `lower ≤ upper` entrywise, both n×n with n = Σ dims, all finite.
    public init(lower: Matrix, upper: Matrix, dims: [Int]) {
        self.dims = dims
        var offsets = [0]
        for d in dims { offsets.append(offsets.last! + d) }
        self.offsets = offsets
        var mid = Matrix(rows: lower.rows, cols: lower.cols)
        var rad = Matrix(rows: lower.rows, cols: lower.cols)
        for k in lower.values.indices {
            let lo = lower.values[k]
            let hi = upper.values[k]
            let m = lo == hi ? lo : 0.5 * lo + 0.5 * hi
            mid.values[k] = m
            // fl(a − b) is within half an ulp of the exact difference: one step up covers it.
            rad.values[k] = lo == hi ? 0 : Swift.max(0, (hi - m).nextUp, (m - lo).nextUp)
        }
        self.mid = mid
        self.rad = rad
    }

    private func block(_ m: Matrix, _ i: Int, _ j: Int) -> Matrix {
        m.block(row: offsets[i], col: offsets[j], rows: dims[i], cols: dims[j])
    }

    /// Guaranteed upper bound on `‖R‖₂` for a non-negative matrix R.
    static func normUpper(_ r: Matrix) throws -> Double {
        if r.isZero { return 0 }
        return RigorousArithmetic.couplingUpperBound(r, estimate: try LAPACK.spectralNorm(r)).value
    }

    /// Guaranteed lower bound on `λmin(sym A)`.
    static func lambdaMinLower(_ a: Matrix) throws -> Double {
        let estimate = try LAPACK.symmetricEigenvalues(a.symmetricPart).first ?? 0
        return RigorousArithmetic.curvatureLowerBound(a, estimate: estimate).value
    }

    /// Guaranteed upper bound on `‖A‖₂`.
    static func normUpperGeneral(_ a: Matrix) throws -> Double {
        if a.isZero { return 0 }
        return RigorousArithmetic.couplingUpperBound(a, estimate: try LAPACK.spectralNorm(a)).value
    }

    /// Proven block constants: `μ_i ≤ λmin(sym J_ii)`, `ℓ_i ≥ ‖J_ii‖₂`, `L_ij ≥ ‖J_ij‖₂` for every
    /// J in the enclosure.
    public func constants() throws -> BlockConstants {
        var curvature: [Double] = []
        var ownSize: [Double] = []
        var coupling: [[(col: Int, value: Double)]] = []
        for i in dims.indices {
            let h = block(mid, i, i)
            let r = try Self.normUpper(block(rad, i, i))
            curvature.append((try Self.lambdaMinLower(h) - r).nextDown)
            ownSize.append((try Self.normUpperGeneral(h) + r).nextUp)
            var row: [(col: Int, value: Double)] = []
            for j in dims.indices where j != i {
                let c = block(mid, i, j)
                let rc = block(rad, i, j)
                if c.isZero && rc.isZero { continue }
                row.append((j, (try Self.normUpperGeneral(c) + (try Self.normUpper(rc))).nextUp))
            }
            coupling.append(row)
        }
        return BlockConstants(curvature: curvature, ownSize: ownSize, coupling: coupling)
    }

    /// `M^{1/2} mid M^{-1/2}` in floating point and a radius that covers both the enclosure's
    /// radius scaled the same way and the rounding of the scaling (a few units of roundoff of
    /// each scaled entry, including the rounding of `sqrt(w_i/w_j)` itself).
    func scaled(weights w: [Double]) -> (center: Matrix, radius: Matrix) {
        var a = mid
        var r = rad
        let u = RigorousArithmetic.u
        for i in dims.indices {
            for j in dims.indices {
                let s = i == j ? 1 : (w[i] / w[j]).squareRoot()
                for c in offsets[j]..<offsets[j + 1] {
                    for row in offsets[i]..<offsets[i + 1] {
                        let k = c * mid.rows + row
                        let v = mid.values[k] * s
                        a.values[k] = v
                        r.values[k] =
                            i == j
                            ? rad.values[k]
                            : ((rad.values[k] * s + 8 * u * abs(v)) * (1 + 8 * u)).nextUp
                    }
                }
            }
        }
        return (a, r)
    }

    /// Proven lower bound on `λmin(sym(M^{1/2} J M^{-1/2}))` for every J in the enclosure.
    public func marginLowerBound(weights w: [Double]) throws -> Double {
        let (a, r) = scaled(weights: w)
        return (try Self.lambdaMinLower(a) - (try Self.normUpper(r))).nextDown
    }

    /// Proven upper bound on `‖M^{1/2} J M^{-1/2}‖₂` for every J in the enclosure.
    public func lipschitzUpperBound(weights w: [Double]) throws -> Double {
        let (a, r) = scaled(weights: w)
        return (try Self.normUpperGeneral(a) + (try Self.normUpper(r))).nextUp
    }

    /// Whether `j` lies in the enclosure (entrywise, before re-centring).
    public static func contains(lower: Matrix, upper: Matrix, _ j: Matrix) -> (row: Int, col: Int)? {
        for c in 0..<j.cols {
            for r in 0..<j.rows where j[r, c] < lower[r, c] || j[r, c] > upper[r, c] { return (r, c) }
        }
        return nil
    }
}
