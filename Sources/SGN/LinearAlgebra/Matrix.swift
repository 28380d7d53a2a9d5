/// A dense real matrix stored column-major, the layout LAPACK expects.
///
/// Value semantics; all arithmetic is plain Swift except where `LAPACK` is called.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    public let rows: Int
    public let cols: Int
    /// Column-major entries: element (r, c) is `values[c * rows + r]`.
    public var values: [Double]

    public init(rows: Int, cols: Int, values: [Double]) {
        precondition(values.count == rows * cols, "matrix storage does not match its shape")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        self.init(rows: rows, cols: cols, values: Array(repeating: value, count: rows * cols))
    }

    /// Builds a matrix from row arrays (the natural reading order of JSON input).
    public init(rowMajor: [[Double]]) {
        let r = rowMajor.count
        let c = rowMajor.first?.count ?? 0
        var v = [Double](repeating: 0, count: r * c)
        for i in 0..<r {
            precondition(rowMajor[i].count == c, "ragged rows")
            for j in 0..<c { v[j * r + i] = rowMajor[i][j] }
        }
        self.init(rows: r, cols: c, values: v)
    }

    public static func identity(_ n: Int) -> Matrix { diagonal(Array(repeating: 1, count: n)) }

    public static func diagonal(_ d: [Double]) -> Matrix {
        var m = Matrix(rows: d.count, cols: d.count)
        for i in d.indices { m[i, i] = d[i] }
        return m
    }

    public static func scalar(_ s: Double, size n: Int) -> Matrix { diagonal(Array(repeating: s, count: n)) }

    public subscript(r: Int, c: Int) -> Double {
        get { values[c * rows + r] }
        set { values[c * rows + r] = newValue }
    }

    public var isSquare: Bool { rows == cols }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for c in 0..<cols { for r in 0..<rows { t[c, r] = self[r, c] } }
        return t
    }

    /// `(A + Aᵀ) / 2`.
    public var symmetricPart: Matrix {
        precondition(isSquare)
        var s = self
        for c in 0..<cols {
            for r in 0..<c {
                let m = 0.5 * (self[r, c] + self[c, r])
                s[r, c] = m
                s[c, r] = m
            }
        }
        return s
    }

    public var isZero: Bool { values.allSatisfy { $0 == 0 } }
    public var maxAbs: Double { values.reduce(0) { max($0, abs($1)) } }
    public var frobeniusNorm: Double { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    public static func * (s: Double, m: Matrix) -> Matrix {
        Matrix(rows: m.rows, cols: m.cols, values: m.values.map { s * $0 })
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols)
        return Matrix(rows: a.rows, cols: a.cols, values: zip(a.values, b.values).map(+))
    }

    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols)
        return Matrix(rows: a.rows, cols: a.cols, values: zip(a.values, b.values).map(-))
    }

    /// Matrix product (BLAS `dgemm`).
    public static func * (a: Matrix, b: Matrix) -> Matrix { LAPACK.multiply(a, b) }

    /// Matrix–vector product.
    public static func * (a: Matrix, x: [Double]) -> [Double] {
        precondition(a.cols == x.count)
        var y = [Double](repeating: 0, count: a.rows)
        for c in 0..<a.cols {
            let xc = x[c]
            if xc == 0 { continue }
            let base = c * a.rows
            for r in 0..<a.rows { y[r] += a.values[base + r] * xc }
        }
        return y
    }

    /// `Aᵀ x` without forming the transpose.
    public func transposeTimes(_ x: [Double]) -> [Double] {
        precondition(rows == x.count)
        var y = [Double](repeating: 0, count: cols)
        for c in 0..<cols {
            var s = 0.0
            let base = c * rows
            for r in 0..<rows { s += values[base + r] * x[r] }
            y[c] = s
        }
        return y
    }

    /// Copies `block` into this matrix with its top-left corner at (`row`, `col`).
    public mutating func setBlock(_ block: Matrix, row: Int, col: Int, scale: Double = 1) {
        for c in 0..<block.cols { for r in 0..<block.rows { self[row + r, col + c] = scale * block[r, c] } }
    }

    public func block(row: Int, col: Int, rows nr: Int, cols nc: Int) -> Matrix {
        var b = Matrix(rows: nr, cols: nc)
        for c in 0..<nc { for r in 0..<nr { b[r, c] = self[row + r, col + c] } }
        return b
    }

    public var description: String {
        (0..<rows).map { r in (0..<cols).map { "\(self[r, $0])" }.joined(separator: " ") }.joined(separator: "\n")
    }
}
