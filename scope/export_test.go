package scope

// ForgetDiagnostics makes the package behave as in a program that never
// asked for diagnostics, so benchmarks can measure that path.
func ForgetDiagnostics() { diagUsed.Store(false) }
