package store

import (
	"testing"
	"time"
)

// Only a query estimated to match many events skips the probe: common words, alone, with
// an exclusion or as alternatives; never a phrase, a word the statistics do not list, or
// common words together whose share is small.
func TestWordStatsSurelyMany(t *testing.T) {
	t.Parallel()
	w := &wordStats{at: time.Now(), rows: 1_000_000, freq: map[string]float64{"peace": 0.2, "talks": 0.19, "grain": 0.06, "and": 1}}
	for q, want := range map[string]bool{
		"peace": true, "peace -talks": true, "zugzwang or peace": true, "grain": true,
		`"peace talks"`: false, "zugzwang": false, "peace zugzwang": false, "grain talks": false,
		"peace -and": false,
	} {
		sq, err := parseSearch(q)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.surelyMany(nil, sq); got != want {
			t.Errorf("q=%s: surelyMany %v, want %v", q, got, want)
		}
	}
	if (&wordStats{at: time.Now()}).surelyMany(nil, &searchQuery{groups: []searchGroup{{must: [][]string{{"peace"}}}}}) {
		t.Error("without statistics a query was taken as common: it must be probed")
	}
}
