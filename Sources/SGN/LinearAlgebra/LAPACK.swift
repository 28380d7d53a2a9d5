internal import CLapack
import Foundation

/// `lapack_int` is a C macro (32-bit with the Debian build), which Swift does not import.
private typealias LapackInt = Int32

/// A LAPACK routine reported that it could not finish (`info > 0`).
public struct LinearAlgebraError: Error, CustomStringConvertible, Sendable {
    public let routine: String
    public let info: Int
    public var description: String {
        info < 0
            ? "\(routine) rejected argument \(-info) (non-finite entries)"
            : "\(routine) failed to converge (info \(info))"
    }
}

/// The project's only door to LAPACK/BLAS (and the one sparse kernel that needs raw buffers).
/// Every pointer lives inside this file.
///
/// All routines take and return column-major `Matrix` values; inputs are never mutated.
public enum LAPACK {
    /// OpenBLAS runs single-threaded: sgn parallelises across samples, players and files
    /// itself (nested BLAS threads only oversubscribe the cores), and one thread makes every
    /// result bit-for-bit independent of the machine's core count.
    private static let configured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// Applies the one-time BLAS configuration; every routine calls it first.
    @inline(__always) private static func configure() { precondition(configured) }

    /// Eigenvalues of a symmetric matrix, ascending (`dsyevd`, values only). Only the lower
    /// triangle is read.
    public static func symmetricEigenvalues(_ a: Matrix) throws -> [Double] {
        configure()
        precondition(a.isSquare)
        if a.rows == 1 { return [a[0, 0]] }
        return try dsyevd(a, vectors: false).values
    }

    /// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix.
    public static func symmetricEigen(_ a: Matrix) throws -> (values: [Double], vectors: Matrix) {
        configure()
        precondition(a.isSquare)
        let r = try dsyevd(a, vectors: true)
        return (r.values, Matrix(rows: a.rows, cols: a.rows, values: r.storage))
    }

    private static func dsyevd(_ a: Matrix, vectors: Bool) throws -> (values: [Double], storage: [Double]) {
        let n = a.rows
        if n == 0 { return ([], []) }
        var m = a.values
        var w = [Double](repeating: 0, count: n)
        let info = m.withUnsafeMutableBufferPointer { mp in
            w.withUnsafeMutableBufferPointer { wp in
                timed("dsyevd") {
                    LAPACKE_dsyevd(
                        LAPACK_COL_MAJOR, Int8(UInt8(ascii: vectors ? "V" : "N")), Int8(UInt8(ascii: "L")),
                        LapackInt(n), mp.baseAddress, LapackInt(n), wp.baseAddress)
                }
            }
        }
        try check("dsyevd", info)
        return (w, m)
    }

    /// Singular values, descending (`dgesdd`, values only).
    public static func singularValues(_ a: Matrix) throws -> [Double] {
        configure()
        let k = min(a.rows, a.cols)
        if k == 0 { return [] }
        if a.rows == 1 || a.cols == 1 { return [a.frobeniusNorm] }
        var m = a.values
        var s = [Double](repeating: 0, count: k)
        var dummy = [Double](repeating: 0, count: 1)
        let info = m.withUnsafeMutableBufferPointer { mp in
            s.withUnsafeMutableBufferPointer { sp in
                dummy.withUnsafeMutableBufferPointer { dp in
                    timed("dgesdd") {
                        LAPACKE_dgesdd(
                            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), LapackInt(a.rows), LapackInt(a.cols),
                            mp.baseAddress, LapackInt(a.rows), sp.baseAddress,
                            dp.baseAddress, 1, dp.baseAddress, 1)
                    }
                }
            }
        }
        try check("dgesdd", info)
        return s
    }

    /// Spectral norm `‖A‖₂` (largest singular value; 0 for an empty or zero matrix).
    public static func spectralNorm(_ a: Matrix) throws -> Double {
        configure()
        if a.isZero { return 0 }
        return try singularValues(a).first ?? 0
    }

    /// Eigen-decomposition of a general square matrix (`dgeev`). Eigenvectors are columns;
    /// for a complex pair, columns k and k+1 hold the real and imaginary parts, as in LAPACK.
    public static func eigen(_ a: Matrix, left: Bool = false, right: Bool = false) throws
        -> (real: [Double], imaginary: [Double], left: Matrix?, right: Matrix?)
    {
        configure()
        precondition(a.isSquare)
        let n = a.rows
        if n == 0 { return ([], [], nil, nil) }
        var m = a.values
        var wr = [Double](repeating: 0, count: n)
        var wi = [Double](repeating: 0, count: n)
        var vl = [Double](repeating: 0, count: left ? n * n : 1)
        var vr = [Double](repeating: 0, count: right ? n * n : 1)
        let info = m.withUnsafeMutableBufferPointer { mp in
            wr.withUnsafeMutableBufferPointer { wrp in
                wi.withUnsafeMutableBufferPointer { wip in
                    vl.withUnsafeMutableBufferPointer { vlp in
                        vr.withUnsafeMutableBufferPointer { vrp in
                            timed("dgeev") {
                                LAPACKE_dgeev(
                                    LAPACK_COL_MAJOR,
                                    Int8(UInt8(ascii: left ? "V" : "N")), Int8(UInt8(ascii: right ? "V" : "N")),
                                    LapackInt(n), mp.baseAddress, LapackInt(n), wrp.baseAddress, wip.baseAddress,
                                    vlp.baseAddress, LapackInt(left ? n : 1), vrp.baseAddress, LapackInt(right ? n : 1))
                            }
                        }
                    }
                }
            }
        }
        try check("dgeev", info)
        return (
            wr, wi,
            left ? Matrix(rows: n, cols: n, values: vl) : nil,
            right ? Matrix(rows: n, cols: n, values: vr) : nil
        )
    }

    /// Solves `A x = b` by LU with partial pivoting (`dgesv`); `nil` when A is exactly singular
    /// or has non-finite entries.
    public static func solve(_ a: Matrix, _ b: [Double]) -> [Double]? {
        configure()
        precondition(a.isSquare && a.rows == b.count)
        let n = a.rows
        if n == 0 { return [] }
        var m = a.values
        var x = b
        var piv = [LapackInt](repeating: 0, count: n)
        let info = m.withUnsafeMutableBufferPointer { mp in
            x.withUnsafeMutableBufferPointer { xp in
                piv.withUnsafeMutableBufferPointer { pp in
                    timed("dgesv") {
                        LAPACKE_dgesv(
                            LAPACK_COL_MAJOR, LapackInt(n), 1, mp.baseAddress, LapackInt(n),
                            pp.baseAddress, xp.baseAddress, LapackInt(n))
                    }
                }
            }
        }
        return info == 0 ? x : nil
    }

    /// Lower Cholesky factor of a symmetric matrix (`dpotrf`); `nil` when the matrix is not
    /// numerically positive definite (or has non-finite entries).
    public static func cholesky(_ a: Matrix) -> Matrix? {
        configure()
        precondition(a.isSquare)
        let n = a.rows
        if n == 0 { return a }
        var m = a.values
        let info = m.withUnsafeMutableBufferPointer { mp in
            timed("dpotrf") {
                LAPACKE_dpotrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), LapackInt(n), mp.baseAddress, LapackInt(n))
            }
        }
        guard info == 0 else { return nil }
        var l = Matrix(rows: n, cols: n, values: m)
        for c in 0..<n { for r in 0..<c { l[r, c] = 0 } }
        return l
    }

    /// Solves the Lyapunov equation `Aᵀ P + P A = Q` for symmetric Q (Bartels–Stewart: real Schur
    /// form `A = U T Uᵀ` by `dgees`, then `Tᵀ X + X T = Uᵀ Q U` by `dtrsyl`, `P = U X Uᵀ`,
    /// symmetrised). Unique when no two eigenvalues of A sum to zero.
    public static func lyapunov(_ a: Matrix, _ q: Matrix) throws -> Matrix {
        configure()
        precondition(a.isSquare && q.rows == a.rows && q.cols == a.cols)
        let n = a.rows
        if n == 0 { return q }
        var t = a.values
        var u = [Double](repeating: 0, count: n * n)
        var wr = [Double](repeating: 0, count: n)
        var wi = wr
        var sdim: LapackInt = 0
        let info = t.withUnsafeMutableBufferPointer { tp in
            u.withUnsafeMutableBufferPointer { up in
                wr.withUnsafeMutableBufferPointer { wrp in
                    wi.withUnsafeMutableBufferPointer { wip in
                        timed("dgees") {
                            LAPACKE_dgees(
                                LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "N")), nil,
                                LapackInt(n), tp.baseAddress, LapackInt(n), &sdim, wrp.baseAddress,
                                wip.baseAddress, up.baseAddress, LapackInt(n))
                        }
                    }
                }
            }
        }
        try check("dgees", info)
        let schur = Matrix(rows: n, cols: n, values: t)
        let vectors = Matrix(rows: n, cols: n, values: u)
        var c = (vectors.transposed * q * vectors).values
        var scale = 1.0
        let info2 = schur.values.withUnsafeBufferPointer { tp in
            c.withUnsafeMutableBufferPointer { cp in
                timed("dtrsyl") {
                    LAPACKE_dtrsyl(
                        LAPACK_COL_MAJOR, Int8(UInt8(ascii: "T")), Int8(UInt8(ascii: "N")), 1,
                        LapackInt(n), LapackInt(n), tp.baseAddress, LapackInt(n), tp.baseAddress,
                        LapackInt(n), cp.baseAddress, LapackInt(n), &scale)
                }
            }
        }
        // info 1: A and -A have close eigenvalues; the perturbed solution is still returned.
        if info2 < 0 { try check("dtrsyl", info2) }
        let x = Matrix(rows: n, cols: n, values: c.map { $0 / scale })
        return (vectors * x * vectors.transposed).symmetricPart
    }

    /// Solves `A X = B` for several right-hand sides by LU with partial pivoting (`dgesv`); `nil`
    /// when A is exactly singular or has non-finite entries.
    public static func solve(_ a: Matrix, _ b: Matrix) -> Matrix? {
        configure()
        precondition(a.isSquare && a.rows == b.rows)
        let n = a.rows
        if n == 0 || b.cols == 0 { return b }
        var m = a.values
        var x = b.values
        var piv = [LapackInt](repeating: 0, count: n)
        let info = m.withUnsafeMutableBufferPointer { mp in
            x.withUnsafeMutableBufferPointer { xp in
                piv.withUnsafeMutableBufferPointer { pp in
                    timed("dgesv") {
                        LAPACKE_dgesv(
                            LAPACK_COL_MAJOR, LapackInt(n), LapackInt(b.cols), mp.baseAddress, LapackInt(n),
                            pp.baseAddress, xp.baseAddress, LapackInt(n))
                    }
                }
            }
        }
        return info == 0 ? Matrix(rows: n, cols: b.cols, values: x) : nil
    }

    /// `A B` (BLAS `dgemm`).
    public static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        configure()
        precondition(a.cols == b.rows, "shape mismatch in product")
        var c = [Double](repeating: 0, count: a.rows * b.cols)
        if a.rows == 0 || b.cols == 0 || a.cols == 0 { return Matrix(rows: a.rows, cols: b.cols, values: c) }
        a.values.withUnsafeBufferPointer { ap in
            b.values.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    timed("dgemm") {
                        cblas_dgemm(
                            CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(a.rows), Int32(b.cols), Int32(a.cols),
                            1, ap.baseAddress, Int32(a.rows), bp.baseAddress, Int32(b.rows), 0,
                            cp.baseAddress, Int32(a.rows))
                    }
                }
            }
        }
        return Matrix(rows: a.rows, cols: b.cols, values: c)
    }

    // MARK: time spent in LAPACK

    /// Wall time spent inside the LAPACK routines and `dgemm`, per routine, recorded only when
    /// tracing (`SGN_DEBUG`): the "LAPACK floor" of a dense game in docs/benchmarks.md.
    public static var timeSummary: String { clock.summary }

    private static let clock = RoutineClock()

    @inline(__always) private static func timed<T>(_ routine: StaticString, _ body: () -> T) -> T {
        guard Trace.enabled else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = body()
        clock.add("\(routine)", DispatchTime.now().uptimeNanoseconds - start)
        return result
    }

    // MARK: vector kernels (BLAS level 1)

    /// `a · b` (BLAS `ddot`).
    @inline(__always) public static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        return a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                cblas_ddot(Int32(ap.count), ap.baseAddress, 1, bp.baseAddress, 1)
            }
        }
    }

    /// `y += a x` (BLAS `daxpy`).
    @inline(__always) public static func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                cblas_daxpy(Int32(xp.count), a, xp.baseAddress, 1, yp.baseAddress, 1)
            }
        }
    }

    /// Negative `info` is an argument LAPACKE rejected: with the shapes fixed by `Matrix` that
    /// means non-finite entries (LAPACKE's NaN check), which is reported, never a trap.
    private static func check(_ routine: String, _ info: LapackInt) throws {
        if info < 0 { throw LinearAlgebraError(routine: routine, info: Int(info)) }
        if info > 0 { throw LinearAlgebraError(routine: routine, info: Int(info)) }
    }
}

/// Per-routine call counts and nanoseconds, thread-safe.
private struct RoutineClock: Sendable {
    private let table = Locked<[String: (calls: Int, nanoseconds: UInt64)]>([:])

    func add(_ routine: String, _ ns: UInt64) {
        table.withLock { totals in
            let t = totals[routine] ?? (0, 0)
            totals[routine] = (t.calls + 1, t.nanoseconds + ns)
        }
    }

    var summary: String {
        let totals = table.withLock { $0 }
        let total = totals.values.reduce(0) { $0 + $1.nanoseconds }
        let parts = totals.keys.sorted().map { k in
            "\(k) \(totals[k]!.calls) calls \(String(format: "%.3f", Double(totals[k]!.nanoseconds) / 1e9)) s"
        }
        return "total \(String(format: "%.3f", Double(total) / 1e9)) s (\(parts.joined(separator: ", ")))"
    }
}
