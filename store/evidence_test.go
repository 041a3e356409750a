package store_test

import (
	"testing"

	"github.com/parley-api/parley/store"
)

// migrateDownBelow rolls migrations back until none at or above version is applied,
// whatever later migrations exist, and returns how many it rolled back: tests of one
// migration's down stay true when others are added after it.
func migrateDownBelow(t *testing.T, s *store.Store, version int64) int {
	t.Helper()
	n := 0
	for {
		st, err := s.MigrateStatus(bg)
		must(t, err)
		var top int64
		for _, m := range st {
			if m.Applied && m.Version > top {
				top = m.Version
			}
		}
		if top < version {
			return n
		}
		must(t, s.MigrateDown(bg))
		n++
	}
}
