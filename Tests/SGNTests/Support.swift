import Foundation
import Testing

@testable import SGN

/// Builds a game from JSON text (errors carry the JSON path, no file name).
func game(_ json: String) throws -> any Game { try GameReader.decode(bytes: Array(json.utf8)) }

/// A quadratic game with scalar players and Jacobian `j` (row-major), b = 0.
func scalarGame(_ j: [[Double]], name: String = "g") -> QuadraticGame {
    let n = j.count
    let diagonal = (0..<n).map { Matrix(rows: 1, cols: 1, values: [j[$0][$0]]) }
    let off = (0..<n).map { i in
        (0..<n).filter { $0 != i && j[i][$0] != 0 }.map {
            (col: $0, block: Matrix(rows: 1, cols: 1, values: [j[i][$0]]))
        }
    }
    let players = (0..<n).map { QuadraticGame.Player(name: "p\($0)", dim: 1, linear: [0], lower: nil, upper: nil) }
    return QuadraticGame(name: name, players: players, jacobian: BlockMatrix(diagonal: diagonal, offDiagonal: off))
}

/// `|a − b| ≤ tol·max(1, |b|)`, printing both when it fails.
func expectClose(_ a: Double?, _ b: Double, _ tol: Double = 1e-9, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let a else {
        Issue.record("expected \(b), got nil", sourceLocation: sourceLocation)
        return
    }
    #expect(
        abs(a - b) <= tol * max(1, abs(b)), "expected \(b), got \(a) (error \(abs(a - b)))",
        sourceLocation: sourceLocation)
}

/// Path of an example file.
func examplePath(_ name: String) -> String {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
    }
    return url.appendingPathComponent("examples/\(name)").path
}
