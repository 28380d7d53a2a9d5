import Foundation

extension CollatzWielandt {
    /// A sparse row-major matrix given as `diagonal` plus off-diagonal entries per row, stored
    /// in compressed rows.
    public struct Rows: Sendable {
        public var diagonal: [Double]
        var rowStart: [Int]
        var cols: [Int32]
        var vals: [Double]
        public var count: Int { diagonal.count }

        public init(diagonal: [Double], off: [[(col: Int, value: Double)]]) {
            self.diagonal = diagonal
            var start = [Int](repeating: 0, count: diagonal.count + 1)
            for i in off.indices { start[i + 1] = start[i] + off[i].count }
            var c = [Int32]()
            var v = [Double]()
            c.reserveCapacity(start.last!)
            v.reserveCapacity(start.last!)
            for row in off {
                for (j, a) in row {
                    c.append(Int32(j))
                    v.append(a)
                }
            }
            rowStart = start
            cols = c
            vals = v
        }

        init(diagonal: [Double], rowStart: [Int], cols: [Int32], vals: [Double]) {
            self.diagonal = diagonal
            self.rowStart = rowStart
            self.cols = cols
            self.vals = vals
        }

        /// Largest number of off-diagonal entries in a row.
        var maxRowLength: Int {
            var m = 0
            for i in 0..<count { m = max(m, rowStart[i + 1] - rowStart[i]) }
            return m
        }

        public func transposed() -> Rows {
            let n = count
            var start = [Int](repeating: 0, count: n + 1)
            for k in cols.indices { start[Int(cols[k]) + 1] += 1 }
            for i in 0..<n { start[i + 1] += start[i] }
            var fill = start
            var c = [Int32](repeating: 0, count: cols.count)
            var v = [Double](repeating: 0, count: vals.count)
            for i in 0..<n {
                for k in rowStart[i]..<rowStart[i + 1] {
                    let j = Int(cols[k])
                    c[fill[j]] = Int32(i)
                    v[fill[j]] = vals[k]
                    fill[j] += 1
                }
            }
            return Rows(diagonal: diagonal, rowStart: start, cols: c, vals: v)
        }
    }
}
