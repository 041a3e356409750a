package store

// SetImportWindowForTest makes imports read windows of n records, so that a small bundle
// spans several; the function it returns puts the size back. Tests that use it must not
// run in parallel with other imports.
func SetImportWindowForTest(n int) (restore func()) {
	old := windowSize
	windowSize = n
	return func() { windowSize = old }
}
