import BigInt

/// Gambit's extensive-form (`.efg`) files, version 2, read as their **agent form**
/// (docs/extensive-form-games.md): every information set of a personal player with two or more
/// actions is an agent choosing a behaviour strategy over its actions and receiving its owner's
/// expected payoff. With perfect recall no information set is met twice on a path, so the
/// expected payoffs are multilinear in the agents' strategies and the table of their values at
/// pure agent profiles is a normal-form game: the `NormalFormGame` the `.nfg` reader produces,
/// so everything after reading is shared.
///
/// The file: `EFG 2 R "title" { "P1" "P2" } "optional comment"`, then the nodes in preorder —
/// `c "name" infoset ["label" { "a" prob … }] outcome [...]`, `p "name" player infoset ["label"
/// { "a" … }] outcome [...]`, `t "name" outcome [...]`, where an outcome is a number (0 = none)
/// optionally followed by `"name" { payoffs }` at its first occurrence (payoffs separated by
/// white space or commas). Information sets and outcomes are defined at their first node and
/// referred to by number later; a repeated definition must match. Every error names line and
/// column; sizes are checked against `MarkovLimits` before the payoff table is allocated.
enum EFGReader {
    typealias Token = NFGReader.Token

    /// An information set: chance (player 0) or a personal player's (1-based).
    struct Infoset {
        var player: Int
        var number: Int
        var label: String
        var actions: [String]
        /// Chance only: the probability of every action.
        var probabilities: [Double]
        /// Personal only: the owner's own history (earlier information sets and actions) at the
        /// first member; every member must have the same (perfect recall).
        var history: Int
        /// The first node of the set.
        var line: Int
        var column: Int
    }

    /// A node: its information set (nil for a terminal node), outcome (index into the
    /// outcomes, nil for none) and children (one per action, from `childStart` in `children`).
    struct Node {
        var infoset: Int?
        var outcome: Int?
        var childStart: Int
    }

    /// The game tree as read.
    struct Tree {
        var title: String
        var comment: String?
        var players: [String]
        var infosets: [Infoset]
        /// Per outcome, every player's payoff.
        var outcomes: [[Double]]
        /// Node 0 is the root.
        var nodes: [Node]
        var children: [Int]
    }

    /// An error at a token that is well-formed but wrong in meaning (no "found ...").
    static func error(_ message: String, at t: Token) -> InputError {
        InputError(path: "line \(t.line), column \(t.column)", message: message)
    }

    /// Parses a whole `.efg` file into its agent form.
    static func parse(_ bytes: [UInt8]) throws(InputError) -> NormalFormGame {
        try agentForm(parseTree(bytes))
    }

    private struct InfosetKey: Hashable {
        var player: Int
        var number: Int
    }

    private struct HistoryKey: Hashable {
        var parent: Int
        var infoset: Int
        var action: Int
    }

    /// A node whose children are being read: `next` is the action whose subtree comes next.
    private struct Frame {
        var node: Int
        var next: Int
        var count: Int
        /// The owner's history before this node (personal nodes), restored when it is done.
        var savedHistory: Int
        var infoset: Int
        var player: Int
    }

    /// Reads the tree, checking the references, the chance probabilities and perfect recall.
    static func parseTree(_ bytes: [UInt8]) throws(InputError) -> Tree {
        var p = try NFGReader.Parser(bytes)
        let (title, players) = try p.header(magic: "EFG", version: "2", form: "extensive", playerLimit: nil)
        var comment: String? = nil
        if p.current.kind == .text {
            comment = p.current.text.isEmpty ? nil : p.current.text
            try p.advance()
        }

        var tree = Tree(
            title: title, comment: comment, players: players, infosets: [], outcomes: [], nodes: [], children: [])
        var infosetIndex: [InfosetKey: Int] = [:]
        var outcomeIndex: [Int: Int] = [:]
        var outcomeLabels: [String] = []
        var histories: [HistoryKey: Int] = [:]
        // Per player (index 0 unused), the id of its own history on the current path; 0 is empty.
        var history = [Int](repeating: 0, count: players.count + 1)
        // Per information set, how many of its nodes are on the current path.
        var onPath: [Int] = []
        var stack: [Frame] = []

        /// The owner's history after action `action` at `infoset`, from `parent`.
        func extended(_ parent: Int, _ infoset: Int, _ action: Int) -> Int {
            let key = HistoryKey(parent: parent, infoset: infoset, action: action)
            if let id = histories[key] { return id }
            let id = histories.count + 1
            histories[key] = id
            return id
        }

        func outcome() throws(InputError) -> Int? {
            let t = p.current
            guard t.kind == .number, let id = Int(t.text), id >= 0 else {
                throw p.fail("expected the node's outcome number (a whole number, 0 for none)")
            }
            try p.advance()
            guard p.current.kind == .text else {
                guard id != 0 else { return nil }
                guard let k = outcomeIndex[id] else {
                    throw error(
                        "outcome \(id) is used before its payoffs are given (its first node must give "
                            + "its name and payoffs)", at: t)
                }
                return k
            }
            guard id != 0 else { throw p.fail("the null outcome 0 has no name or payoffs") }
            let label = p.current.text
            try p.advance()
            let n = players.count
            _ = try p.expect(.lbrace, "\"{\" opening the payoffs of outcome \(id) (one per player: \(n))")
            var values: [Double] = []
            for i in 0..<n {
                values.append(try p.number("the payoff of player \(i + 1) in outcome \(id)"))
                if p.current.kind == .comma { try p.advance() }
            }
            _ = try p.expect(.rbrace, "\"}\" closing the payoffs of outcome \(id) (one per player: \(n))")
            if let k = outcomeIndex[id] {
                guard outcomeLabels[k] == label, tree.outcomes[k] == values else {
                    throw error("outcome \(id) is given again with a different name or payoffs", at: t)
                }
                return k
            }
            outcomeIndex[id] = tree.outcomes.count
            outcomeLabels.append(label)
            tree.outcomes.append(values)
            return tree.outcomes.count - 1
        }

        /// The information set of a chance (player 0) or personal node: its definition, or a
        /// reference to an earlier one.
        func infoset(player: Int, numberToken t: Token, at start: Token) throws(InputError) -> Int {
            guard t.kind == .number, let number = Int(t.text), number >= 1 else {
                throw p.fail("expected the information set's number (a positive whole number)", at: t)
            }
            let key = InfosetKey(player: player, number: number)
            let whose =
                player == 0 ? "chance information set \(number)" : "player \(player)'s information set \(number)"
            guard p.current.kind == .text else {
                guard let k = infosetIndex[key] else {
                    throw error(
                        "\(whose) is used before it is defined (its first node must give its name and actions)", at: t)
                }
                return k
            }
            let label = p.current.text
            try p.advance()
            _ = try p.expect(
                .lbrace, player == 0 ? "\"{\" opening the actions and their probabilities" : "\"{\" opening the actions"
            )
            var actions: [String] = []
            var probabilities: [Double] = []
            var exact: [(BigInt, BigInt)?] = []
            repeat {
                let name = try p.expect(
                    .text, actions.isEmpty ? "an action name in quotes" : "an action name in quotes or \"}\"")
                guard player == 0 || actions.count < MarkovLimits.maxActions else {
                    throw error(
                        "\(whose) has more than \(MarkovLimits.maxActions) actions, the limit of an agent", at: name)
                }
                actions.append(name.text.isEmpty ? "\(actions.count + 1)" : name.text)
                if player == 0 {
                    let text = p.current.text
                    let v = try p.number("the probability of action \(actions.count)")
                    guard v >= 0, v <= 1 else {
                        throw error("the probability of action \(actions.count) is \(text), outside [0, 1]", at: name)
                    }
                    probabilities.append(v)
                    exact.append(rational(text))
                }
            } while p.current.kind != .rbrace
            try p.advance()
            if player == 0 { try checkSum(probabilities, exact, whose: whose, at: start) }
            if let k = infosetIndex[key] {
                let first = tree.infosets[k]
                guard first.label == label, first.actions == actions, first.probabilities == probabilities else {
                    throw error(
                        "\(whose) is defined again with a different name, actions or probabilities (first at line "
                            + "\(first.line), column \(first.column))", at: t)
                }
                return k
            }
            infosetIndex[key] = tree.infosets.count
            tree.infosets.append(
                Infoset(
                    player: player, number: number, label: label, actions: actions, probabilities: probabilities,
                    history: history[player], line: start.line, column: start.column))
            onPath.append(0)
            return tree.infosets.count - 1
        }

        repeat {
            guard tree.nodes.count < Limits.efgNodes else {
                throw p.fail("the tree has more than \(Limits.efgNodes) nodes, the limit")
            }
            let start = p.current
            guard start.kind == .symbol, ["c", "p", "t"].contains(start.text) else {
                throw p.fail(
                    tree.nodes.isEmpty
                        ? "expected the root node: c (chance), p (player) or t (terminal)"
                        : "expected the next node: c (chance), p (player) or t (terminal)")
            }
            try p.advance()
            _ = try p.expect(.text, "the node's name in quotes")
            let index = tree.nodes.count
            if let top = stack.last { tree.children[tree.nodes[top.node].childStart + top.next] = index }
            var node = Node(infoset: nil, outcome: nil, childStart: tree.children.count)
            var player = 0
            if start.text == "p" {
                let t = p.current
                guard t.kind == .number, let k = Int(t.text), k >= 1, k <= players.count else {
                    throw p.fail("expected the node's player number (1 to \(players.count))")
                }
                player = k
                try p.advance()
            }
            if start.text != "t" {
                let t = p.current
                try p.advance()
                let h = try infoset(player: player, numberToken: t, at: start)
                node.infoset = h
                if player > 0 {
                    let set = tree.infosets[h]
                    guard onPath[h] == 0 else {
                        throw error(
                            "imperfect recall: player \(player)'s information set \(set.number) is reached twice on "
                                + "one path (sgn reads games with perfect recall only)", at: start)
                    }
                    guard set.history == history[player] else {
                        throw error(
                            "imperfect recall: this node of player \(player)'s information set \(set.number) follows "
                                + "other moves of the player than its node at line \(set.line), column \(set.column) "
                                + "(sgn reads games with perfect recall only)", at: start)
                    }
                }
            }
            node.outcome = try outcome()
            tree.nodes.append(node)
            if let h = node.infoset {
                let count = tree.infosets[h].actions.count
                tree.children += [Int](repeating: 0, count: count)
                stack.append(
                    Frame(node: index, next: 0, count: count, savedHistory: history[player], infoset: h, player: player)
                )
                if player > 0 {
                    onPath[h] += 1
                    history[player] = extended(history[player], h, 0)
                }
                continue
            }
            // A terminal node: move on to the next action of the nearest unfinished node.
            while var top = stack.popLast() {
                top.next += 1
                if top.next < top.count {
                    if top.player > 0 { history[top.player] = extended(top.savedHistory, top.infoset, top.next) }
                    stack.append(top)
                    break
                }
                if top.player > 0 {
                    history[top.player] = top.savedHistory
                    onPath[top.infoset] -= 1
                }
            }
        } while !stack.isEmpty
        guard p.current.kind == .end else {
            throw p.fail("expected the end of the file after the last node of the tree")
        }
        return tree
    }

    /// The exact value of an integer or fraction `p/q`; nil for decimals.
    static func rational(_ text: String) -> (BigInt, BigInt)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let num = BigInt(String(parts[0]), radix: 10) else { return nil }
        guard parts.count == 2 else { return (num, 1) }
        guard let den = BigInt(String(parts[1]), radix: 10), den > 0 else { return nil }
        return (num, den)
    }

    /// A chance node's probabilities sum to 1: exactly when all are integers or fractions,
    /// within `Tolerance.efgDecimalProbability` per action otherwise.
    static func checkSum(
        _ probabilities: [Double], _ exact: [(BigInt, BigInt)?], whose: String, at start: Token
    ) throws(InputError) {
        let at = "line \(start.line), column \(start.column)"
        if exact.allSatisfy({ $0 != nil }) {
            var num = BigInt(0)
            var den = BigInt(1)
            for case let (n, d)? in exact {
                num = num * d + n * den
                den *= d
            }
            guard num == den else {
                let g = num.greatestCommonDivisor(with: den)
                throw InputError(
                    path: at, message: "the probabilities of \(whose) sum to \(num / g)/\(den / g), not 1")
            }
            return
        }
        let sum = probabilities.reduce(0, +)
        let tolerance = Tolerance.efgDecimalProbability * Double(probabilities.count)
        guard abs(sum - 1) <= tolerance else {
            throw InputError(
                path: at,
                message: "the probabilities of \(whose) sum to \(JSONWriter.format(sum)), not 1 (within "
                    + "\(JSONWriter.format(tolerance)) for decimals)")
        }
    }

    /// The agent form of a tree: agents ordered by player, then by first appearance; each
    /// agent's payoff at every pure agent profile (sgn's joint index, first agent slowest).
    static func agentForm(_ tree: Tree) throws(InputError) -> NormalFormGame {
        let sets = tree.infosets
        let agents = sets.indices.filter { sets[$0].player > 0 && sets[$0].actions.count >= 2 }.sorted {
            (sets[$0].player, $0) < (sets[$1].player, $1)
        }
        func place(_ h: Int) -> String { "line \(sets[h].line), column \(sets[h].column)" }
        func which(_ h: Int) -> String { "player \(sets[h].player)'s information set \(sets[h].number)" }
        guard !agents.isEmpty else {
            throw InputError(
                path: "line 1, column 1",
                message: "no player has an information set with two or more actions: there is nothing to learn")
        }
        guard agents.count <= MarkovLimits.maxPlayers else {
            let h = agents[MarkovLimits.maxPlayers]
            throw InputError(
                path: place(h),
                message: "the agent form has \(agents.count) agents (information sets with two or more actions), "
                    + "more than the limit of \(MarkovLimits.maxPlayers); agent \(MarkovLimits.maxPlayers + 1) is "
                    + "\(which(h)), first here")
        }
        var profiles = 1
        for h in agents {
            profiles *= sets[h].actions.count
            guard profiles <= MarkovLimits.maxJointActions else {
                throw InputError(
                    path: place(h),
                    message: "the agents' action counts multiply to more than the limit of "
                        + "\(MarkovLimits.maxJointActions) profiles (\(profiles) with \(which(h)), first here)")
            }
        }
        let counts = agents.map { sets[$0].actions.count }
        // The Markov decoder's work bound, checked here so the message speaks of agents, not of
        // a JSON path the file does not have.
        let work = MarkovLimits.work(states: 1, actions: counts, points: 1)
        guard work <= MarkovLimits.maxWork else {
            throw InputError(
                path: "line 1, column 1",
                message: "the agent form (\(agents.count) agents, \(profiles) profiles) is too large to certify in "
                    + "bounded time: about \(JSONWriter.format(work.rounded())) units of work even for one sample "
                    + "point, more than the limit of \(JSONWriter.format(MarkovLimits.maxWork))")
        }
        let names = agentNames(tree, agents)
        if let a = names.indices.first(where: { names.firstIndex(of: names[$0])! != $0 }) {
            throw InputError(
                path: place(agents[a]),
                message: "the agent name \"\(names[a])\" of \(which(agents[a])) is also the name of another agent")
        }

        var agentOf = [Int](repeating: -1, count: sets.count)
        for (a, h) in agents.enumerated() { agentOf[h] = a }
        let owners = Array(Set(agents.map { sets[$0].player - 1 })).sorted()
        var slot = [Int](repeating: -1, count: tree.players.count)
        for (k, i) in owners.enumerated() { slot[i] = k }
        var payoffs = [[Double]](repeating: [Double](repeating: 0, count: profiles), count: owners.count)
        var choice = [Int](repeating: 0, count: agents.count)
        var pending: [(node: Int, probability: Double)] = []
        var visits = 0
        for k in 0..<profiles {
            var rest = k
            for a in agents.indices.reversed() {
                choice[a] = rest % counts[a]
                rest /= counts[a]
            }
            pending.append((0, 1))
            while let (n, probability) = pending.popLast() {
                visits += 1
                guard visits <= Limits.agentFormVisits else {
                    throw InputError(
                        path: "line 1, column 1",
                        message: "tabulating the agent form (\(profiles) profiles) takes more than "
                            + "\(Limits.agentFormVisits) node visits, the limit")
                }
                let node = tree.nodes[n]
                if let o = node.outcome {
                    for (s, i) in owners.enumerated() { payoffs[s][k] += probability * tree.outcomes[o][i] }
                }
                guard let h = node.infoset else { continue }
                if sets[h].player == 0 {
                    for c in sets[h].probabilities.indices.reversed() where sets[h].probabilities[c] > 0 {
                        pending.append((tree.children[node.childStart + c], probability * sets[h].probabilities[c]))
                    }
                } else {
                    let action = agentOf[h] >= 0 ? choice[agentOf[h]] : 0
                    pending.append((tree.children[node.childStart + action], probability))
                }
            }
        }
        return NormalFormGame(
            title: tree.title, comment: tree.comment, players: names, strategies: agents.map { sets[$0].actions },
            payoffs: agents.map { payoffs[slot[sets[$0].player - 1]] })
    }

    /// `<player>:<label>` (`<player>:<number>` for an unlabelled set); names two agents would
    /// share become `<player>:<label> #<number>`.
    static func agentNames(_ tree: Tree, _ agents: [Int]) -> [String] {
        let sets = tree.infosets
        func owner(_ h: Int) -> String { tree.players[sets[h].player - 1] }
        var names = agents.map { "\(owner($0)):\(sets[$0].label.isEmpty ? String(sets[$0].number) : sets[$0].label)" }
        var seen: [String: Int] = [:]
        for name in names { seen[name, default: 0] += 1 }
        for (a, h) in agents.enumerated() where seen[names[a]]! > 1 && !sets[h].label.isEmpty {
            names[a] = "\(owner(h)):\(sets[h].label) #\(sets[h].number)"
        }
        return names
    }
}

extension NormalFormInput {
    /// Whether the bytes start (after white space) with `EFG`: a Gambit extensive-form file.
    static func looksLikeEFG(_ bytes: [UInt8]) -> Bool {
        guard let k = bytes.firstIndex(where: { ![9, 10, 11, 12, 13, 32].contains($0) }) else { return false }
        return bytes[k...].starts(with: Array("EFG".utf8))
    }

    /// Whether the file at `path` is read as `.efg`: its content starts with `EFG`, or its name
    /// ends in `.efg` and its content does not start with `{` (the rule of `isNFG`).
    static func isEFG(_ bytes: [UInt8], path: String) -> Bool {
        if looksLikeEFG(bytes) { return true }
        guard path.lowercased().hasSuffix(".efg") else { return false }
        return bytes.first(where: { ![9, 10, 11, 12, 13, 32].contains($0) }) != UInt8(ascii: "{")
    }
}
