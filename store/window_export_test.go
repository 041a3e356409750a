package store

// SetImportWindowForTest makes imports read windows of n records, so that a small bundle
// spans several; the function it returns puts the size back. Tests that use it must not
// run in parallel with other imports.
func SetImportWindowForTest(n int) (restore func()) {
	old := windowSize
	windowSize = n
	return func() { windowSize = old }
}

// SetStreamForTest makes event streams read pages of page events and keep at most cache
// actors, locations and sources, so that a few events span several pages and refill
// the caches; the function it returns puts both back. Tests that use it must not run in
// parallel with other streams.
func SetStreamForTest(page, cache int) (restore func()) {
	oldPage, oldCache := streamPage, streamCacheSize
	streamPage, streamCacheSize = page, cache
	return func() { streamPage, streamCacheSize = oldPage, oldCache }
}
