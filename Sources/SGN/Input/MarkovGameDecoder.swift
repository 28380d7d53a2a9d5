/// Documented size limits of Markov games (docs/markov-games.md). They bound the work of one
/// certification: every sample point costs one exact Jacobian, `Σ S(A_i − 1)` dual-number
/// evaluations of the pseudo-gradient, each `O(S²·Π A_i·N)`.
public enum MarkovLimits {
    public static let maxPlayers = 16
    public static let maxActions = 1000
    public static let maxStates = 2000
    /// Joint actions `Π A_i` per state.
    public static let maxJointActions = 100_000
    /// Entries of the transition tensor, `S·Π A_i·S`.
    public static let maxTransitionEntries = 4_000_000
    /// Raw logits `Σ S·A_i`.
    public static let maxLogits = 1024
    public static let maxSamples = 65_536
    /// Sample points × (tangent dimension)²: the stored Jacobians (8 bytes each).
    public static let maxSampledEntries = 64_000_000
    /// Largest region radius in logits (e^{2r} must stay far from overflow).
    public static let maxRadius = 20.0
    /// Largest estimated work of one certification (`MarkovLimits.work`, about one
    /// floating-point operation per unit).
    public static let maxWork = 2e10
    /// Probabilities of a distribution must sum to 1 within this.
    public static let probabilitySumTolerance = Tolerance.probabilitySum
}

extension MarkovLimits {
    /// Estimated work of certifying a game, in units of about one floating-point operation.
    /// With `a = S·J·(S+1)·N` (joint policy, expected rewards, transitions and Q-values;
    /// J = Π A_i): a plain pseudo-gradient evaluation costs `a + S³` (two linear solves); a
    /// Jacobian costs `2S³` (LU factors of `I − γP_π` and its transpose) plus m dual evaluations
    /// of about `3a + 4S²` each (m the tangent dimension). The sample points need one Jacobian
    /// each; the equilibrium solver at most `MarkovGame.equilibriumJacobianBudget` Jacobians, with
    /// about 150 plain evaluations per step (line searches), and the continuation's chord-corrector evaluations.
    public static func work(states ns: Int, actions: [Int], points: Int) -> Double {
        let s = Double(ns)
        let j = Double(actions.reduce(1, *))
        let n = Double(actions.count)
        let m = Double(actions.reduce(0) { $0 + ns * ($1 - 1) })
        let a = s * j * (s + 1) * n
        let plain = a + s * s * s
        let jacobian = 2 * s * s * s + m * (3 * a + 4 * s * s)
        let budget = Double(MarkovGame.equilibriumJacobianBudget)
        return Double(points) * jacobian + budget * (jacobian + 150 * plain) + Double(MarkovGame.correctorEvaluations)
            * plain
    }
}

/// Decodes and validates `kind: "markov"` games (format in docs/markov-games.md).
enum MarkovGameDecoder {
    static let topKeys = [
        "$schema", "name", "description", "kind", "discount", "temperature", "states", "initial", "players",
        "transitions", "rewards", "geometry", "region",
    ]
    static let playerKeys = ["name", "actions", "action_names"]
    static let regionKeys = ["radius", "samples", "seed", "center"]

    static func decode(_ node: JSONNode, defaultName: String) throws(InputError) -> MarkovGame {
        let root = try node.object(allowed: topKeys)
        let name = try root["name"]?.string() ?? defaultName
        let description = try root["description"]?.string()

        let discountNode = try root.required("discount")
        let discount = try discountNode.number()
        guard discount >= 0, discount < 1 else {
            throw discountNode.fail("discount must be in [0, 1), got \(discount)")
        }
        let temperatureNode = try root.required("temperature")
        let temperature = try temperatureNode.number()
        guard temperature > 0 else { throw temperatureNode.fail("temperature must be > 0, got \(temperature)") }

        let players = try decodePlayers(try root.required("players"))
        let stateNames = try decodeStates(try root.required("states"))
        let ns = stateNames.count
        let actions = players.map(\.actions)
        let joint = actions.reduce(1, *)  // bounded: checked in decodePlayers
        let playersNode = try root.required("players")
        guard ns * joint * ns <= MarkovLimits.maxTransitionEntries else {
            throw playersNode.fail(
                "the transition tensor would have \(ns) x \(joint) x \(ns) entries, more than "
                    + "the limit of \(MarkovLimits.maxTransitionEntries)"
            )
        }
        let logits = actions.reduce(0) { $0 + ns * $1 }
        guard logits <= MarkovLimits.maxLogits else {
            throw playersNode.fail(
                "the game has \(logits) logits (states x actions, summed over players), more "
                    + "than the limit of \(MarkovLimits.maxLogits)"
            )
        }

        if MarkovLimits.work(states: ns, actions: actions, points: 1) > MarkovLimits.maxWork {
            throw playersNode.fail(
                "the game is too large to certify in bounded time: \(ns) states and \(joint) "
                    + "joint actions need about "
                    + "\(JSONWriter.format(MarkovLimits.work(states: ns, actions: actions, points: 1).rounded())) "
                    + "units of work even for one sample point, more than the limit "
                    + "of \(JSONWriter.format(MarkovLimits.maxWork))"
            )
        }

        let initial: [Double]
        if let initialNode = root["initial"] {
            initial = try distribution(initialNode, count: ns, what: "initial-state probabilities (one per state)")
        } else {
            initial = Array(repeating: 1 / Double(ns), count: ns)
        }

        let labels = ["state"] + players.map { "action of \($0.name)" }
        var transitions: [Double] = []
        transitions.reserveCapacity(ns * joint * ns)
        if let transitionsNode = root["transitions"] {
            try readTensor(transitionsNode, shape: [ns] + actions, labels: labels, into: &transitions) {
                (leaf: JSONNode) throws(InputError) -> [Double] in
                try distribution(leaf, count: ns, what: "next-state probabilities (one per state)")
            }
        } else {
            guard ns == 1 else {
                throw root.node.fail(
                    "missing required key \"transitions\" (it may be left out only when there is one state)")
            }
            transitions = Array(repeating: 1, count: joint)
        }

        let rewardsNode = try root.required("rewards")
        var rewardsByPlayer = [[Double]?](repeating: nil, count: players.count)
        for (key, node) in try rewardsNode.members() {
            guard let i = players.firstIndex(where: { $0.name == key }) else {
                throw node.fail(
                    "unknown player \"\(key)\" (players are: \(players.map(\.name).joined(separator: ", ")))")
            }
            var table: [Double] = []
            table.reserveCapacity(ns * joint)
            try readTensor(node, shape: [ns] + actions, labels: labels, into: &table) {
                (leaf: JSONNode) throws(InputError) -> [Double] in
                [try leaf.number()]
            }
            rewardsByPlayer[i] = table
        }
        var rewards: [[Double]] = []
        for (i, table) in rewardsByPlayer.enumerated() {
            guard let table else { throw rewardsNode.fail("missing the rewards of player \"\(players[i].name)\"") }
            rewards.append(table)
        }

        var geometry = MarkovGame.Geometry.fisher
        if let geometryNode = root["geometry"] {
            let g = try geometryNode.string()
            guard let parsed = MarkovGame.Geometry(rawValue: g) else {
                throw geometryNode.fail("unknown geometry \"\(g)\" (known: \"fisher\", \"euclidean\")")
            }
            geometry = parsed
        }

        let region =
            try root["region"].map { (n: JSONNode) throws(InputError) -> MarkovGame.Region in
                try decodeRegion(n, players: players, stateCount: ns)
            } ?? MarkovGame.Region()
        let tangent = actions.reduce(0) { $0 + ns * ($1 - 1) }
        let points = region.pointCount(rawCount: logits)
        guard points * tangent * tangent <= MarkovLimits.maxSampledEntries else {
            throw (root["region"] ?? root.node).fail(
                "\(points) sample points of a \(tangent)-dimensional game would store \(points) "
                    + "Jacobians of \(tangent)x\(tangent) entries, more than the limit "
                    + "of \(MarkovLimits.maxSampledEntries) entries; use fewer samples"
            )
        }

        let work = MarkovLimits.work(states: ns, actions: actions, points: points)
        guard work <= MarkovLimits.maxWork else {
            throw (root["region"] ?? root.node).fail(
                "\(points) sample points need about \(JSONWriter.format(work.rounded())) units "
                    + "of work, more than the limit of \(JSONWriter.format(MarkovLimits.maxWork)); use fewer samples"
            )
        }

        return MarkovGame(
            name: name, description: description, stateNames: stateNames, initial: initial,
            discount: discount, temperature: temperature, players: players, transitions: transitions,
            rewards: rewards, geometry: geometry, region: region)
    }

    static func decodePlayers(_ node: JSONNode) throws(InputError) -> [MarkovGame.Player] {
        let items = try node.array()
        guard !items.isEmpty else { throw node.fail("a game needs at least one player, got an empty array") }
        guard items.count <= MarkovLimits.maxPlayers else {
            throw node.fail("\(items.count) players exceed the limit of \(MarkovLimits.maxPlayers) for Markov games")
        }
        var players: [MarkovGame.Player] = []
        var seen: [String: Int] = [:]
        var joint = 1
        for item in items {
            let p = try item.object(allowed: playerKeys)
            let name = try p.playerName(seen: &seen, position: players.count)
            let actionsNode = try p.required("actions")
            let actions = try actionsNode.integer(in: 2...MarkovLimits.maxActions)
            joint *= actions
            guard joint <= MarkovLimits.maxJointActions else {
                throw actionsNode.fail(
                    "the players' action counts multiply to more than the limit "
                        + "of \(MarkovLimits.maxJointActions) joint actions"
                )
            }
            var actionNames: [String]? = nil
            if let namesNode = p["action_names"] {
                let items = try namesNode.array()
                guard items.count == actions else {
                    throw namesNode.fail("expected \(actions) action names (one per action), got \(items.count)")
                }
                var names: [String] = []
                for item in items { names.append(try item.string()) }
                actionNames = names
            }
            players.append(.init(name: name, actions: actions, actionNames: actionNames))
        }
        return players
    }

    /// `states`: a list of unique non-empty names, or a count (names `s0`, `s1`, …).
    static func decodeStates(_ node: JSONNode) throws(InputError) -> [String] {
        if case .number = node.value {
            let n = try node.integer(in: 1...MarkovLimits.maxStates)
            return (0..<n).map { "s\($0)" }
        }
        guard case .array = node.value else {
            throw node.fail("expected a list of state names or a number of states, got \(node.value.kindName)")
        }
        let items = try node.array()
        guard !items.isEmpty else { throw node.fail("a game needs at least one state, got an empty array") }
        guard items.count <= MarkovLimits.maxStates else {
            throw node.fail("\(items.count) states exceed the limit of \(MarkovLimits.maxStates)")
        }
        var names: [String] = []
        for item in items {
            let s = try item.string()
            guard !s.isEmpty else { throw item.fail("state names must be non-empty") }
            if let other = names.firstIndex(of: s) {
                throw item.fail("duplicate state name \"\(s)\" (also states[\(other)])")
            }
            names.append(s)
        }
        return names
    }

    /// A probability vector: `count` numbers in [0, 1] summing to 1 within
    /// `MarkovLimits.probabilitySumTolerance`.
    static func distribution(_ node: JSONNode, count: Int, what: String) throws(InputError) -> [Double] {
        guard case let .array(items) = node.value else {
            throw node.fail("expected \(count) \(what), got \(node.value.kindName)")
        }
        guard items.count == count else { throw node.fail("expected \(count) \(what), got \(items.count) numbers") }
        var out: [Double] = []
        out.reserveCapacity(count)
        var sum = 0.0
        for (k, item) in items.enumerated() {
            let entry = node.element(k, item)
            let p = try entry.number()
            guard p >= 0, p <= 1 else { throw entry.fail("probability \(p) is outside [0, 1]") }
            sum += p
            out.append(p)
        }
        guard abs(sum - 1) <= MarkovLimits.probabilitySumTolerance else {
            throw node.fail("probabilities sum to \(sum), not 1 (tolerance \(MarkovLimits.probabilitySumTolerance))")
        }
        return out
    }

    /// Reads a nested array of the given shape, first index slowest, appending each leaf's
    /// numbers to `out`.
    static func readTensor(
        _ node: JSONNode, shape: [Int], labels: [String], into out: inout [Double],
        leaf: (JSONNode) throws(InputError) -> [Double]
    ) throws(InputError) {
        guard let count = shape.first else {
            out += try leaf(node)
            return
        }
        guard case let .array(items) = node.value else {
            throw node.fail(
                "expected an array of \(counted(count, "entry", "entries")) (one per \(labels[0])), got "
                    + node.value.kindName)
        }
        guard items.count == count else {
            throw node.fail(
                "expected an array of \(counted(count, "entry", "entries")) (one per \(labels[0])), got \(items.count)")
        }
        let rest = Array(shape.dropFirst())
        let restLabels = Array(labels.dropFirst())
        for (k, item) in items.enumerated() {
            try readTensor(node.element(k, item), shape: rest, labels: restLabels, into: &out, leaf: leaf)
        }
    }

    static func decodeRegion(_ node: JSONNode, players: [MarkovGame.Player], stateCount ns: Int) throws(InputError)
        -> MarkovGame.Region
    {
        let o = try node.object(allowed: regionKeys)
        var region = MarkovGame.Region()
        if let r = o["radius"] {
            let radius = try r.number()
            guard radius > 0, radius <= MarkovLimits.maxRadius else {
                throw r.fail(
                    "radius must be > 0 and at most \(JSONWriter.format(MarkovLimits.maxRadius)) "
                        + "(logits), got \(radius)"
                )
            }
            region.radius = radius
        }
        if let s = o["samples"] { region.samples = try s.integer(in: 1...MarkovLimits.maxSamples) }
        if let s = o["seed"] { region.seed = UInt64(try s.integer(in: 0...(1 << 53))) }
        if let c = o["center"] {
            var center: [Double] = []
            let members = try c.members()
            for (key, node) in members where !players.contains(where: { $0.name == key }) {
                throw node.fail(
                    "unknown player \"\(key)\" (players are: \(players.map(\.name).joined(separator: ", ")))")
            }
            for p in players {
                guard let node = members.first(where: { $0.key == p.name })?.node else {
                    throw c.fail("missing the logits of player \"\(p.name)\"")
                }
                try readTensor(node, shape: [ns, p.actions], labels: ["state", "action of \(p.name)"], into: &center) {
                    (leaf: JSONNode) throws(InputError) -> [Double] in
                    [try leaf.number()]
                }
            }
            region.center = center
        }
        return region
    }
}
