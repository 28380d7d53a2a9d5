import Foundation
import Testing

@testable import SGN

/// `kind: "jacobians"` games: sample Jacobians reproduce the exact game; enclosures give proven
/// bounds that never exceed the truth; the sidecar readers.
@Suite("Jacobian-sample games")
struct JacobianGameTests {
    /// Row-major JSON of a dense matrix.
    static func rows(_ m: Matrix) -> String {
        "["
            + (0..<m.rows).map { r in
                "[" + (0..<m.cols).map { JSONWriter.format(m[r, $0]) }.joined(separator: ",") + "]"
            }
            .joined(separator: ",") + "]"
    }

    static func playersJSON(_ g: QuadraticGame) -> String {
        "[" + g.players.map { "{\"name\":\"\($0.name)\",\"dim\":\($0.dim)}" }.joined(separator: ",") + "]"
    }

    /// The jacobians-kind twin of a quadratic game, from its exact Jacobian.
    static func twin(_ g: QuadraticGame, extra: String = "") -> String {
        #"{"kind":"jacobians","name":"\#(g.name)","players":\#(playersJSON(g)),"#
            + #""jacobians":[\#(rows(g.jacobian.dense()))]\#(extra)}"#
    }

    @Test(
        "the exact Jacobian as one sample reproduces the quadratic certificate",
        arguments: [
            "mini-toy.json", "network-4.json", "scaled-0.5.json", "scaled-1.2.json", "scaled-1.5.json",
            "tandem.json", "bilinear.json", "zero-sum-like.json", "lq-64.json",
        ])
    func reproducesQuadratic(_ example: String) throws {
        let q = try #require(try GameReader.read(path: examplePath(example)) as? QuadraticGame)
        #expect(!q.isConstrained)
        let exact = try Certifier().certify(q)
        let sampled = try Certifier().certify(try game(Self.twin(q)))
        #expect(sampled.status == exact.status)
        #expect(sampled.certifiedBy == exact.certifiedBy)
        if let rate = exact.contractionRate {
            expectClose(sampled.contractionRate, rate, 1e-9)
        } else {
            #expect(sampled.contractionRate == nil)
        }
        expectClose(sampled.lipschitz, exact.lipschitz, 1e-9)
        #expect(
            sampled.estimation
                == .sampled(count: 1, seed: 0, method: .givenJacobians(source: "inline")))
    }

    /// Repeating a sample, or adding one inside the convex hull (a convex combination of two
    /// samples), changes nothing: constants are min/max over the set.
    @Test("duplicate samples change nothing")
    func duplicates() throws {
        let q = try #require(try GameReader.read(path: examplePath("network-4.json")) as? QuadraticGame)
        let m = Self.rows(q.jacobian.dense())
        let once = try Certifier().certify(try game(Self.twin(q)))
        let json = #"{"kind":"jacobians","name":"n","players":\#(Self.playersJSON(q)),"jacobians":[\#(m),\#(m),\#(m)]}"#
        let thrice = try Certifier().certify(try game(json))
        #expect(thrice.contractionRate == once.contractionRate)
        #expect(thrice.constants.curvature == once.constants.curvature)
    }

    /// The worst sample decides: a second, weaker sample (own curvature halved) lowers μ to the
    /// weaker value (closed form for scalar players).
    @Test("the worst sample decides")
    func worstSample() throws {
        let json =
            #"{"kind":"jacobians","players":[{"name":"x","dim":1},{"name":"y","dim":1}],"#
            + #""jacobians":[[[1,10],[0.05,1]],[[0.5,10],[0.05,1]]]}"#
        let c = try Certifier().certify(try game(json))
        #expect(c.constants.curvature == [0.5, 1])
        // ρ(G) = sqrt(L12 L21 / (μ1 μ2)) = sqrt(0.5 / 0.5) = 1: no SGN weights.
        expectClose(c.gainSpectralRadius, 1, 1e-12)
    }

    /// Enclosures that contain the exact Jacobian never claim more than the exact game: every
    /// proven constant is on the safe side of the exact one, the proven margin in the
    /// certificate's metric is below the exact margin there, the proven β above the exact β; and
    /// when the enclosure certifies, the exact game is certified too.
    @Test("enclosures containing the true Jacobian never overclaim", arguments: Array(UInt64(1)...UInt64(12)))
    func enclosureSound(seed: UInt64) throws {
        let q = GameGenerators.dense(players: 3, dim: 2, coupling: 0.8, seed: seed)
        let j = q.jacobian.dense()
        var rng = SeededGenerator(seed: seed &* 7919)
        let width = [0.0, 1e-3, 0.05, 0.3][Int(seed % 4)]
        var lo = j
        var hi = j
        for k in j.values.indices {
            lo.values[k] = j.values[k] - width * rng.uniform(0, 1) * abs(j.values[k]) - width * 0.01
            hi.values[k] = j.values[k] + width * rng.uniform(0, 1) * abs(j.values[k]) + width * 0.01
        }
        let json = Self.twin(q, extra: #","enclosure":{"lower":\#(Self.rows(lo)),"upper":\#(Self.rows(hi))}"#)
        let proven = try Certifier().certify(try game(json))
        let exact = try Certifier().certify(q)
        guard case .proven = proven.estimation else {
            Issue.record("expected proven constants")
            return
        }
        let exactConstants = try BlockConstants(q.jacobian)
        for i in 0..<3 {
            #expect(proven.constants.curvature[i] <= exactConstants.curvature[i])
            #expect(proven.constants.ownSize[i] >= exactConstants.ownSize[i])
            for c in exactConstants.coupling[i] { #expect(proven.constants.coupling(i, c.col) >= c.value) }
        }
        let spectra = MetricSpectra(try q.jacobians())
        #expect(try spectra.lipschitz(weights: proven.weights) <= proven.lipschitz)
        if let rate = proven.contractionRate {
            #expect(exact.status == .certified)
            // Every rung's margin is a lower bound of the exact margin in its metric (the SGN
            // block bound too), so the exact game contracts at least as fast there.
            #expect(try spectra.margin(weights: proven.weights) >= rate)
        }
        // A point enclosure (width 0) loses only rounding: the rate matches the exact one closely.
        if width == 0, let rate = exact.contractionRate { expectClose(proven.contractionRate, rate, 1e-6) }
    }

    /// `sgn verify` recomputes sampled and proven certificates of this kind like any other; a
    /// proven certificate whose stated rate is raised fails.
    @Test("verification of sampled and proven certificates")
    func verification() throws {
        let p = #""players":[{"name":"x","dim":1},{"name":"y","dim":2}]"#
        let j = "[[1,10,0],[0.05,2,0.1],[0,0.2,1.5]]"
        let lo = "[[0.9,9.9,-0.01],[0.04,1.9,0.09],[-0.01,0.19,1.4]]"
        let hi = "[[1.1,10.1,0.01],[0.06,2.1,0.11],[0.01,0.21,1.6]]"
        for json in [
            #"{"kind":"jacobians",\#(p),"jacobians":[\#(j)]}"#,
            #"{"kind":"jacobians",\#(p),"jacobians":[\#(j)],"enclosure":{"lower":\#(lo),"upper":\#(hi)}}"#,
        ] {
            let g = try game(json)
            let c = try Certifier().certify(g)
            #expect(c.status == .certified)
            let text = JSONWriter.write(c.json)
            #expect(
                try Verifier().verify(game: g, certificate: try StatedCertificate.decode(bytes: Array(text.utf8))).holds
            )
            let rate = try #require(c.contractionRate)
            let inflated = text.replacingOccurrences(
                of: "\"contraction_rate\":\(JSONWriter.format(rate))",
                with: "\"contraction_rate\":\(JSONWriter.format(rate * 1.01))")
            #expect(inflated != text)
            #expect(
                try !Verifier().verify(game: g, certificate: try StatedCertificate.decode(bytes: Array(inflated.utf8)))
                    .holds)
        }
    }

    @Test("an enclosure beyond its size limit is bad input")
    func enclosureLimit() throws {
        let n = JacobianEnclosure.maxOrder + 1
        let zeros =
            "["
            + Array(repeating: "[" + Array(repeating: "0", count: n).joined(separator: ",") + "]", count: n).joined(
                separator: ",") + "]"
        let json =
            #"{"kind":"jacobians","players":[{"name":"x","dim":\#(n)}],"#
            + #""enclosure":{"lower":\#(zeros),"upper":\#(zeros)}}"#
        #expect(
            throws: InputError(
                path: "enclosure",
                message:
                    "an enclosure is limited to 300 coordinates in all (the proofs factor dense "
                    + "matrices); this game has 301"
            )
        ) {
            try game(json)
        }
    }

    /// The soundness test above is not vacuous: enclosures of moderate width around certified
    /// games do certify (proven), and the proven rate shrinks as the enclosure widens.
    @Test("enclosures certify, less as they widen")
    func enclosureNotVacuous() throws {
        let q = try #require(try GameReader.read(path: examplePath("network-4.json")) as? QuadraticGame)
        let j = q.jacobian.dense()
        var rates: [Double] = []
        for width in [0.0, 0.001, 0.01] {
            var lo = j
            var hi = j
            for k in j.values.indices {
                lo.values[k] -= width
                hi.values[k] += width
            }
            let json = Self.twin(q, extra: #","enclosure":{"lower":\#(Self.rows(lo)),"upper":\#(Self.rows(hi))}"#)
            let c = try Certifier().certify(try game(json))
            rates.append(try #require(c.contractionRate))
        }
        let exact = try #require(try Certifier().certify(q).contractionRate)
        #expect(rates[0] <= exact && rates[0] >= exact * (1 - 1e-9))
        #expect(rates[1] < rates[0] && rates[2] < rates[1])
    }

    @Test("a sample outside the enclosure, and lower above upper, are bad input")
    func enclosureInconsistent() throws {
        let p = #""players":[{"name":"x","dim":1},{"name":"y","dim":1}]"#
        let outside =
            #"{"kind":"jacobians",\#(p),"jacobians":[[[1,10],[0.05,1]]],"#
            + #""enclosure":{"lower":[[1,9],[0,0]],"upper":[[1,9.5],[1,2]]}}"#
        #expect(
            throws: InputError(
                path: "jacobians", message: "Jacobian 0 entry [0][1] = 10.0 lies outside the enclosure [9.0, 9.5]")
        ) {
            try game(outside)
        }
        let crossed = #"{"kind":"jacobians",\#(p),"enclosure":{"lower":[[1,9],[0,0]],"upper":[[1,8],[1,2]]}}"#
        #expect(throws: InputError(path: "enclosure", message: "lower[0][1] = 9.0 exceeds upper[0][1] = 8.0")) {
            try game(crossed)
        }
        let neither = #"{"kind":"jacobians",\#(p)}"#
        #expect(
            throws: InputError(
                path: "(top level)",
                message:
                    "missing required key \"jacobians\" (sample Jacobians), \"enclosure\" "
                    + "(lower/upper bounds) or \"constants\" (block constants per sample point)"
            )
        ) {
            try game(neither)
        }
    }

    @Test("shapes and player keys are checked")
    func shapes() throws {
        let wrong = #"{"kind":"jacobians","players":[{"name":"x","dim":2}],"jacobians":[[[1,0],[0,1]],[[1,0]]]}"#
        #expect(throws: InputError(path: "jacobians[1]", message: "expected 2x2 matrix, got 1x2")) { try game(wrong) }
        let single = #"{"kind":"jacobians","players":[{"name":"x","dim":1}],"jacobians":[[1]]}"#
        #expect(throws: InputError.self) { try game(single) }
        let unknown = #"{"kind":"jacobians","players":[{"name":"x","dim":1,"hessian":1}],"jacobians":[[[1]]]}"#
        #expect(throws: InputError.self) { try game(unknown) }
    }

    @Test("the stated equilibrium and region are echoed in region; there are no dynamics")
    func echoes() throws {
        let json =
            #"{"kind":"jacobians","players":[{"name":"x","dim":1},{"name":"y","dim":2}],"#
            + #""jacobians":[[[2,0,0],[0,2,0],[0,0,2]]],"equilibrium":{"y":[1,2],"x":[3]},"#
            + #""region":{"center":"checkpoint 7","radius":0.1}}"#
        let g = try game(json)
        let c = try Certifier().certify(g)
        #expect(c.equilibrium == nil)
        let text = JSONWriter.write(c.json, pretty: false)
        #expect(
            text.contains(
                #""equilibrium":null,"region":{"kind":"sampled_points","equilibrium":{"x":[3],"#
                    + #""y":[1,2]},"description":{"center":"checkpoint 7","radius":0.1}}"#
            ))
        #expect(g as? any GameDynamics == nil)
        #expect(throws: Simulator.Failure.self) { try Simulator(game: g, certificate: c) }
        let stated = try StatedCertificate.decode(bytes: Array(text.utf8))
        #expect(try Verifier().verify(game: g, certificate: stated).holds)
    }
}

/// The `.npy` and `.safetensors` readers, on bytes built by hand from the formats' definitions
/// (files written by numpy itself are read in the Python suite, python/tests).
@Suite("Sidecar tensors")
struct TensorFileTests {
    static let dir: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-tensor-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func le<T: FixedWidthInteger>(_ x: T) -> [UInt8] { withUnsafeBytes(of: x.littleEndian) { Array($0) } }

    static func npy(version: UInt8 = 1, descr: String = "<f8", fortran: Bool = false, shape: String, values: [Double])
        -> [UInt8]
    {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var b: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        b += version == 1 ? le(UInt16(header.utf8.count)) : le(UInt32(header.utf8.count))
        b += Array(header.utf8)
        for v in values { b += descr == "<f4" ? le(Float(v).bitPattern) : le(v.bitPattern) }
        return b
    }

    static func safetensors(_ tensors: [(name: String, dtype: String, shape: [Int], values: [Double])]) -> [UInt8] {
        var data: [UInt8] = []
        var entries: [String] = []
        for t in tensors {
            let start = data.count
            for v in t.values { data += t.dtype == "F32" ? le(Float(v).bitPattern) : le(v.bitPattern) }
            entries.append(
                "\"\(t.name)\":{\"dtype\":\"\(t.dtype)\","
                    + "\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],"
                    + "\"data_offsets\":[\(start),\(data.count)]}"
            )
        }
        let header = Array(("{\"__metadata__\":{\"format\":\"pt\"}," + entries.joined(separator: ",") + "}").utf8)
        return le(UInt64(header.count)) + header + data
    }

    static func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static let jacobians: [Double] = [1, 10, 0.05, 1, 1.5, 8, 0.04, 2]

    @Test(
        "npy versions 1, 2, 3 and float32 read the same numbers",
        arguments: [(UInt8(1), "<f8"), (2, "<f8"), (3, "<f8"), (1, "<f4")])
    func npyVersions(version: UInt8, descr: String) throws {
        let path = try Self.write(
            "v\(version)\(descr == "<f4" ? "f4" : "f8").npy",
            Self.npy(version: version, descr: descr, shape: "(2, 2, 2)", values: Self.jacobians))
        let t = try TensorFile.read(path: path, tensor: nil, display: "x.npy")
        #expect(t.shape == [2, 2, 2])
        #expect(t.values == Self.jacobians.map { descr == "<f4" ? Double(Float($0)) : $0 })
    }

    @Test("npy: Fortran order, object and big-endian dtypes, truncation are rejected with the file's name")
    func npyRejects() throws {
        let cases: [([UInt8], String)] = [
            (
                Self.npy(fortran: true, shape: "(2, 2)", values: [1, 2, 3, 4]),
                "sidecar file x.npy: Fortran-order array; save a C-order array (np.ascontiguousarray)"
            ),
            (
                Self.npy(descr: "|O", shape: "(2, 2)", values: []),
                "sidecar file x.npy: object dtype: save a numeric float64 or float32 array (allow_pickle is never used)"
            ),
            (
                Self.npy(descr: ">f8", shape: "(2, 2)", values: [1, 2, 3, 4]),
                "sidecar file x.npy: big-endian dtype '>f8'; save little-endian float64 or "
                    + "float32 (e.g. arr.astype('<f8'))"
            ),
            (
                Self.npy(shape: "(2, 2)", values: [1, 2, 3]),
                "sidecar file x.npy: shape [2, 2] needs 32 bytes of data, the file has 24"
            ),
            (
                Self.npy(shape: "(2, 2)", values: [1, .nan, 3, 4]),
                "sidecar file x.npy: value nan at flat index 1 is not finite"
            ),
            (Array("not numpy at all".utf8), "sidecar file x.npy: not a .npy file (missing the \\x93NUMPY magic)"),
            // A repeated key was read as its first occurrence (numpy would keep the last).
            (
                Self.npy(shape: "(2, 2), 'shape': (1, 4)", values: [1, 2, 3, 4]),
                "sidecar file x.npy: header repeats the key 'shape'"
            ),
            (
                Self.npy(descr: "<f8', 'descr': '<f4", shape: "(2, 2)", values: [1, 2, 3, 4]),
                "sidecar file x.npy: header repeats the key 'descr'"
            ),
            (
                Self.npy(shape: "(2, 2), 'order': 'C'", values: [1, 2, 3, 4]),
                "sidecar file x.npy: header has the key 'order'; a .npy header has exactly 'descr', "
                    + "'fortran_order' and 'shape'"
            ),
            (Self.npy(shape: "((2, 2))", values: [1, 2, 3, 4]), "sidecar file x.npy: unreadable shape ((2, 2))"),
        ]
        for (k, (bytes, message)) in cases.enumerated() {
            let path = try Self.write("bad\(k).npy", bytes)
            #expect(throws: InputError(message: message)) {
                try TensorFile.read(path: path, tensor: nil, display: "x.npy")
            }
        }
    }

    /// A sidecar path naming a directory said "no such file"; it now says what it is.
    @Test func sidecarThatIsADirectory() throws {
        let sub = Self.dir.appendingPathComponent("folder.npy")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        #expect(
            throws: InputError(
                message: "sidecar file folder.npy is a directory; expected a .npy or .safetensors file")
        ) {
            try TensorFile.read(path: sub.path, tensor: nil, display: "folder.npy")
        }
    }

    @Test("safetensors: F64 and F32 by name; errors name the file and the tensor")
    func safetensors() throws {
        let path = try Self.write(
            "j.safetensors",
            Self.safetensors([
                ("lower", "F32", [2, 2], [0.5, 9, 0, 0.5]), ("jacobians", "F64", [2, 2, 2], Self.jacobians),
            ]))
        let t = try TensorFile.read(path: path, tensor: "jacobians", display: "j.safetensors")
        #expect(t.shape == [2, 2, 2] && t.values == Self.jacobians)
        #expect(try TensorFile.read(path: path, tensor: "lower", display: "j.safetensors").values == [0.5, 9, 0, 0.5])
        #expect(
            throws: InputError(
                message:
                    "sidecar file j.safetensors: tensor \"upper\": no such tensor (the file "
                    + "has: \"lower\", \"jacobians\")"
            )
        ) {
            try TensorFile.read(path: path, tensor: "upper", display: "j.safetensors")
        }
        #expect(
            throws: InputError(
                message:
                    "sidecar file j.safetensors: a .safetensors file needs \"tensor\", the name of the tensor to read")
        ) {
            try TensorFile.read(path: path, tensor: nil, display: "j.safetensors")
        }
        let i8 = try Self.write("i.safetensors", Self.safetensors([("jacobians", "I64", [1], [0])]))
        #expect(
            throws: InputError(
                message: "sidecar file i.safetensors: tensor \"jacobians\": dtype I64; expected F64 or F32")
        ) {
            try TensorFile.read(path: i8, tensor: "jacobians", display: "i.safetensors")
        }
        var huge = Self.le(UInt64(1) << 40)
        huge += Array("{}".utf8)
        let h = try Self.write("h.safetensors", huge)
        #expect(throws: InputError(message: "sidecar file h.safetensors: header length 1099511627776 exceeds the file"))
        {
            try TensorFile.read(path: h, tensor: "x", display: "h.safetensors")
        }
    }

    @Test("a game reads its sidecars relative to its own file and certifies as the inline twin")
    func gameWithSidecars() throws {
        _ = try Self.write("game.npy", Self.npy(shape: "(2, 2, 2)", values: Self.jacobians))
        _ = try Self.write(
            "enc.safetensors",
            Self.safetensors([
                ("lower", "F64", [2, 2], [0.9, 7.5, 0.03, 0.9]), ("upper", "F64", [2, 2], [1.6, 10.5, 0.06, 2.1]),
            ]))
        let p = #""players":[{"name":"x","dim":1},{"name":"y","dim":1}]"#
        let sidecar = Self.dir.appendingPathComponent("game.json").path
        try Data(
            (#"{"kind":"jacobians",\#(p),"jacobians":{"file":"game.npy"},"#
                + #""enclosure":{"lower":{"file":"enc.safetensors","tensor":"lower"},"#
                + #""upper":{"file":"enc.safetensors","tensor":"upper"}}}"#)
                .utf8
        )
        .write(to: URL(fileURLWithPath: sidecar))
        let fromFile = try Certifier().certify(try GameReader.read(path: sidecar))
        let inline = try Certifier().certify(
            try game(
                #"{"kind":"jacobians",\#(p),"jacobians":[[[1,10],[0.05,1]],[[1.5,8],[0.04,2]]],"#
                    + #""enclosure":{"lower":[[0.9,7.5],[0.03,0.9]],"upper":[[1.6,10.5],[0.06,2.1]]}}"#
            ))
        #expect(
            fromFile.contractionRate == inline.contractionRate
                && fromFile.constants.curvature == inline.constants.curvature)
        // Wrong shape for the game: names the file.
        let bad = Self.dir.appendingPathComponent("bad.json").path
        try Data(#"{"kind":"jacobians","players":[{"name":"x","dim":3}],"jacobians":{"file":"game.npy"}}"#.utf8).write(
            to: URL(fileURLWithPath: bad))
        #expect(
            throws: InputError(
                file: bad, path: "jacobians.file",
                message: "game.npy: shape [2, 2, 2] does not fit 3x3 Jacobians: expected (S, 3, 3) or (3, 3)")
        ) {
            try GameReader.read(path: bad)
        }
    }
}
