/// Decodes and validates `kind: "smooth"` games (format in docs/smooth-games.md).
enum SmoothGameDecoder {
    static let topKeys = ["name", "description", "kind", "parameters", "players", "region"]
    static let playerKeys = ["name", "dim", "lower", "upper", "loss"]
    static let regionKeys = ["radius", "lower", "upper"]
    /// Sum of the players' dimensions (the Jacobian is enclosed densely).
    static let maxTotalDimension = Limits.smoothOrder
    /// Node evaluations of one Jacobian (Σ_i dim_i · variables read by f_i · (nodes of f_i + N)).
    static let maxJacobianWork = Limits.smoothJacobianWork

    static func decode(_ node: JSONNode, defaultName: String) throws(InputError) -> SmoothGame {
        let root = try node.object(allowed: topKeys)
        let name = try root["name"]?.string() ?? defaultName
        let description = try root["description"]?.string()

        var parameters: [String: Double] = [:]
        if let p = root["parameters"] {
            for (key, value) in try p.members() {
                try checkName(key, at: value, what: "parameter")
                parameters[key] = try value.number()
            }
        }

        let playersNode = try root.required("players")
        let items = try playersNode.array()
        guard !items.isEmpty else { throw playersNode.fail("a game needs at least one player, got an empty array") }
        var scopePlayers: [FormulaScope.Player] = []
        var objects: [JSONObject] = []
        var seen: [String: Int] = [:]
        var total = 0
        for (i, item) in items.enumerated() {
            let p = try item.object(allowed: playerKeys)
            let nameNode = try p.required("name")
            let pname = try nameNode.string()
            try checkName(pname, at: nameNode, what: "player")
            if let other = seen[pname] {
                throw nameNode.fail("duplicate player name \"\(pname)\" (also players[\(other)])")
            }
            if parameters[pname] != nil { throw nameNode.fail("player name \"\(pname)\" is also a parameter name") }
            seen[pname] = i
            let dim = try p["dim"]?.integer(in: 1...maxTotalDimension) ?? 1
            guard total + dim <= maxTotalDimension else {
                throw item.fail(
                    "the players' dimensions add up to more than the limit of \(maxTotalDimension) for smooth games")
            }
            scopePlayers.append(.init(name: pname, dim: dim, offset: total))
            total += dim
            objects.append(p)
        }
        let scope = FormulaScope(players: scopePlayers, parameters: parameters)

        var players: [SmoothGame.Player] = []
        var lossNodes: [JSONNode] = []
        for (i, p) in objects.enumerated() {
            let d = scopePlayers[i].dim
            let lower = try p["lower"]?.vector(count: d, broadcast: true)
            let upper = try p["upper"]?.vector(count: d, broadcast: true)
            if let lo = lower, let hi = upper {
                for k in 0..<d where !(lo[k] < hi[k]) {
                    throw try p.required("lower").fail(
                        "lower bound \(lo[k]) is not below upper bound \(hi[k]) in coordinate \(k)")
                }
            }
            let lossNode = try p.required("loss")
            let text = try lossNode.string()
            let formula: Formula
            do throws(FormulaError) {
                formula = try Formula.parse(text, scope: scope)
            } catch {
                throw lossNode.fail(error.description)
            }
            lossNodes.append(lossNode)
            players.append(.init(name: scopePlayers[i].name, dim: d, lower: lower, upper: upper, loss: formula))
        }

        // Work of one Jacobian evaluation (node evaluations, plus the variable vector per
        // evaluation), bounded so that no file within the formula limits can take hours.
        var work = 0
        for p in players {
            work += p.dim * p.loss.variables.count * (p.loss.nodes.count + total)
        }
        guard work <= maxJacobianWork else {
            throw playersNode.fail(
                "the formulas need \(work) node evaluations per Jacobian (dims x variables read "
                    + "x formula size); the limit is \(maxJacobianWork)"
            )
        }
        let region = try regionSpec(root["region"], players: players)
        let game = SmoothGame(name: name, description: description, players: players, region: region)
        // Every formula must be defined and finite on the whole region (and so must its
        // derivatives, which the Jacobian enclosure on the region shows).
        for (i, p) in players.enumerated() {
            if let problem = p.loss.checkDomain(on: game.regionBox) {
                throw lossNodes[i].fail("\(problem.description) (region: \(describe(game.regionBox)))")
            }
        }
        return game
    }

    static func describe(_ box: [Interval]) -> String {
        let shown = box.prefix(6).map { "[\(JSONWriter.format($0.lower)), \(JSONWriter.format($0.upper))]" }
        return shown.joined(separator: " x ") + (box.count > 6 ? " x …" : "")
    }

    static func checkName(_ name: String, at node: JSONNode, what: String) throws(InputError) {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, Parser.isNameStart(first), bytes.allSatisfy(Parser.isNameByte), bytes.count <= 64
        else {
            throw node.fail(
                "\(what) name \"\(name.prefix(64))\" must be a letter or '_' followed by "
                    + "letters, digits or '_' (at most 64), so formulas can use it"
            )
        }
        guard !FormulaScope.reservedNames.contains(name) else {
            throw node.fail("\(what) name \"\(name)\" clashes with a function or reserved word of the formula language")
        }
    }

    static func regionSpec(_ node: JSONNode?, players: [SmoothGame.Player]) throws(InputError) -> SmoothGame.RegionSpec
    {
        let bounded = players.allSatisfy { $0.lower != nil && $0.upper != nil }
        guard let node else { return bounded ? .bounds : .radius(SmoothGame.RegionSpec.defaultRadius) }
        let r = try node.object(allowed: regionKeys)
        if let radius = r["radius"] {
            guard r["lower"] == nil, r["upper"] == nil else {
                throw radius.fail("give either \"radius\" or \"lower\"/\"upper\", not both")
            }
            let v = try radius.number()
            guard v > 0 else { throw radius.fail("expected a positive radius, got \(v)") }
            return .radius(v)
        }
        let loNode = try r.required("lower")
        let hiNode = try r.required("upper")
        var lower: [Double] = []
        var upper: [Double] = []
        for (side, sideNode) in [(0, loNode), (1, hiNode)] {
            let byName = try sideNode.object(allowed: players.map(\.name))
            for p in players {
                let v = try byName.required(p.name).vector(count: p.dim, broadcast: true)
                if side == 0 { lower += v } else { upper += v }
            }
        }
        var k = 0
        for p in players {
            for c in 0..<p.dim {
                guard lower[k] < upper[k] else {
                    throw loNode.fail(
                        "region lower \(lower[k]) is not below upper \(upper[k]) for \(p.name) coordinate \(c)")
                }
                let lo = max(lower[k], p.lower?[c] ?? -.infinity)
                let hi = min(upper[k], p.upper?[c] ?? .infinity)
                guard lo < hi else {
                    throw loNode.fail("the region of \(p.name) coordinate \(c) does not meet its bounds")
                }
                k += 1
            }
        }
        return .box(lower: lower, upper: upper)
    }
}
