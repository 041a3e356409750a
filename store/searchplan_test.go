package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// A full-text page is the same whether the matches are few (sorted from the index's
// matches) or many (met on a walk of the date index): both plans, with every sort and
// other filters, page through exactly the matching events in order. Not parallel: it
// sets the package's probe.
func TestSearchPlansAgree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		words := []string{"ceasefire", "grain", "energy"}
		for i := range 30 {
			e := &models.Event{Title: fmt.Sprintf("Talks %d on %s", i, words[i%3]), Summary: words[(i+1)%3],
				Type: []models.EventType{models.EventMeeting, models.EventCall}[i%2], Status: models.StatusHeld,
				Date: models.MustParseDate(fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%27))}
			mkEvent(t, s, e)
		}
		page := func(f store.EventFilter) []string { return pagedSlugs(t, s, f, 4) }
		for _, f := range []store.EventFilter{
			{Q: "grain"}, {Q: "grain", Sort: "date"}, {Q: "grain -energy", Sort: "-date"},
			{Q: "ceasefire", Types: []models.EventType{models.EventCall}}, {Q: `"talks 7"`}, {Q: "grain", Sort: "updated"},
			{Q: "nothing-matches-this"},
		} {
			restore := store.SetSearchProbeForTest(1 << 30) // the probe sees every match: a page of them is "dense"
			many := page(f)
			restore()
			restore = store.SetSearchProbeForTest(1) // the probe sees one event: every query is "sparse"
			few := page(f)
			restore()
			if !slices.Equal(many, few) {
				t.Errorf("%+v: the date walk gives %v, the sorted matches %v", f, many, few)
			}
			if f.Q == "grain" && f.Sort == "" && len(few) != 20 {
				t.Errorf("q=grain: %d events, want 20 (10 by title, 10 by summary)", len(few))
			}
		}
	})
}
