package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestSearch runs the same queries on both databases over events and statements whose
// words cover phrases, exclusions, alternatives, hyphens, apostrophes and Cyrillic.
func TestSearch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		putin := &models.Actor{Name: "Vladimir Putin", Kind: models.ActorPerson}
		zel := &models.Actor{Name: "Volodymyr Zelensky", Kind: models.ActorPerson}
		for _, a := range []*models.Actor{putin, zel} {
			if err := s.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		events := []*models.Event{
			{Slug: "abu-dhabi", Title: "Trilateral talks in Abu Dhabi", Summary: "Delegations discussed territory.", Tags: []string{"peace-talks"}},
			{Slug: "moscow", Title: "Putin meets Witkoff", Summary: "A long-term settlement needs the Anchorage formula."},
			{Slug: "kyiv", Title: "Переговоры в Киеве", Summary: "Путин и Зеленский обсуждали территорию."},
			{Slug: "davos", Title: "Zelensky's meeting in Davos", Summary: "The term was long."},
		}
		for i, e := range events {
			e.Type, e.Status, e.Date = models.EventMeeting, models.StatusHeld, models.MustParseDate("2026-01-2"+string(rune('1'+i)))
			if err := s.CreateEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		st := &models.Statement{Text: "The issue of Donbas is key.", Quote: true, Speaker: &models.Ref{ID: zel.ID},
			Date: models.MustParseDate("2026-01-23"), Event: models.RefBySlug("abu-dhabi")}
		if err := s.CreateStatement(ctx, st); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			q    string
			want []string // event slugs, date order
		}{
			{"talks", []string{"abu-dhabi"}},
			{"TALKS abu", []string{"abu-dhabi"}},
			{"peace", []string{"abu-dhabi"}},                  // a tag's words
			{"donbas", []string{"abu-dhabi"}},                 // a statement about the event
			{`"long-term settlement"`, []string{"moscow"}},    // phrase across a hyphen
			{`"term long"`, nil},                              // phrase order matters
			{"term long", []string{"moscow", "davos"}},        // words in any order
			{"long-term", []string{"moscow"}},                 // unquoted hyphenation is a phrase
			{"term -davos", []string{"moscow"}},               // exclusion
			{`term -"zelensky s"`, []string{"moscow"}},        // excluded phrase
			{"witkoff or davos", []string{"moscow", "davos"}}, // alternatives
			{"zelensky's", []string{"davos"}},
			{"путин", []string{"kyiv"}},
			{"ПУТИН Зеленский", []string{"kyiv"}},
			{`"путин и зеленский"`, []string{"kyiv"}},
			{"путин -киеве", nil},
			{"or", nil}, // a lone "or" is an operator with nothing around it
		}
		for _, tc := range cases {
			t.Run(tc.q, func(t *testing.T) {
				p, err := s.ListEvents(ctx, store.EventFilter{Q: tc.q, Sort: "date"})
				if tc.q == "or" {
					if models.ErrorCodeOf(err) != models.EINVALID {
						t.Fatalf("q=or: %v", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range p.Items {
					got = append(got, e.Slug)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("q=%s: got %v, want %v", tc.q, got, tc.want)
				}
			})
		}

		t.Run("relevance ranks and pages", func(t *testing.T) {
			var all []string
			cursor := ""
			for {
				p, err := s.ListEvents(ctx, store.EventFilter{Q: "term or talks or putin", Sort: "relevance", Limit: 1, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range p.Items {
					all = append(all, e.Slug)
				}
				if cursor = p.NextCursor; cursor == "" {
					break
				}
			}
			slices.Sort(all)
			if want := []string{"abu-dhabi", "davos", "moscow"}; !slices.Equal(all, want) {
				t.Errorf("paged relevance: %v, want %v", all, want)
			}
		})

		t.Run("bad queries", func(t *testing.T) {
			for _, f := range []store.EventFilter{
				{Q: "-davos"}, {Q: "   "}, {Q: `""`}, {Sort: "relevance"}, {Q: string(make([]byte, 501))},
			} {
				if _, err := s.ListEvents(ctx, f); models.ErrorCodeOf(err) != models.EINVALID {
					t.Errorf("%+v: %v", f, err)
				}
			}
		})

		t.Run("statements and updates stay in step", func(t *testing.T) {
			p, err := s.ListStatements(ctx, store.StatementFilter{Q: "donbas"})
			if err != nil || len(p.Items) != 1 {
				t.Fatalf("statements q=donbas: %v %v", p.Items, err)
			}
			st.Text = "Crimea is key."
			st.Event = models.RefBySlug("davos")
			if err := s.ReplaceStatement(ctx, st.ID.String(), st, 0); err != nil {
				t.Fatal(err)
			}
			for q, want := range map[string][]string{"donbas": nil, "crimea": {"davos"}} {
				ev, err := s.ListEvents(ctx, store.EventFilter{Q: q})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range ev.Items {
					got = append(got, e.Slug)
				}
				if !slices.Equal(got, want) {
					t.Errorf("after moving the statement, q=%s gave %v, want %v", q, got, want)
				}
			}
			if err := s.DeleteStatement(ctx, st.ID.String(), 0); err != nil {
				t.Fatal(err)
			}
			if ev, err := s.ListEvents(ctx, store.EventFilter{Q: "crimea"}); err != nil || len(ev.Items) != 0 {
				t.Errorf("deleted statement still finds %v", ev.Items)
			}
			if err := s.DeleteEvent(ctx, "moscow", 0); err != nil {
				t.Fatal(err)
			}
			if ev, err := s.ListEvents(ctx, store.EventFilter{Q: "witkoff"}); err != nil || len(ev.Items) != 0 {
				t.Errorf("deleted event still found")
			}
		})
	})
}
