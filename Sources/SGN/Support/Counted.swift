/// `n` and a noun in the number that fits: `counted(1, "run")` is "1 run", `counted(3, "run")`
/// "3 runs", `counted(1, "equilibrium", "equilibria")` "1 equilibrium". Every message that
/// states a count that can be 1 uses it ("1 runs" was a slip; docs/robustness.md §9).
public func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
}
