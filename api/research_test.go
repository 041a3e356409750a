package api_test

import (
	"slices"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
)

func slugs(l handlers.List[models.Event]) []string {
	out := make([]string, len(l.Items))
	for i, e := range l.Items {
		out[i] = e.Slug
	}
	return out
}

// TestResearcherQueries asks the built-in dataset what a researcher would ask first.
func TestResearcherQueries(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		cases := []struct {
			name, path string
			want       []string // event slugs, in the response order
		}{
			{"events Zelensky took part in", "/api/v1/events" + q("actor", "volodymyr-zelensky"),
				[]string{"zelensky-trump-davos-meeting"}},
			{"the same through the actor's resource", "/api/v1/actors/volodymyr-zelensky/events",
				[]string{"zelensky-trump-davos-meeting"}},
			{"events where Russia and Ukraine both took part", "/api/v1/events" + q("actor", "russia", "actor", "ukraine", "match", "all", "sort", "date"),
				[]string{"abu-dhabi-trilateral-talks", "abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2"}},
			{"events where Putin or Zelensky took part", "/api/v1/events" + q("actor", "vladimir-putin", "actor", "volodymyr-zelensky", "sort", "date"),
				[]string{"putin-trump-anchorage-summit", "zelensky-trump-davos-meeting", "putin-witkoff-kushner-moscow-meeting"}},
			{"events in January 2026 only", "/api/v1/events" + q("from", "2026-01", "to", "2026-01", "sort", "date"),
				[]string{"zelensky-trump-davos-meeting", "putin-witkoff-kushner-moscow-meeting", "abu-dhabi-trilateral-talks", "abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2"}},
			{"a month-precision event found by one day inside it", "/api/v1/events" + q("from", "2025-08-15", "to", "2025-08-15"),
				[]string{"putin-trump-anchorage-summit"}},
			{"the rounds of the Abu Dhabi series", "/api/v1/events" + q("parent", "abu-dhabi-trilateral-talks", "sort", "date"),
				[]string{"abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2"}},
			{"envoys' meetings", "/api/v1/events" + q("role", "envoy"),
				[]string{"putin-witkoff-kushner-moscow-meeting"}},
			{"events in Switzerland by participant country", "/api/v1/events" + q("location", "davos"),
				[]string{"zelensky-trump-davos-meeting"}},
			{"scheduled events", "/api/v1/events" + q("status", "scheduled"),
				[]string{"abu-dhabi-trilateral-talks-day-2"}},
			{"Putin's events in a date range", "/api/v1/actors/vladimir-putin/events" + q("from", "2026", "to", "2026-01"),
				[]string{"putin-witkoff-kushner-moscow-meeting"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var l handlers.List[models.Event]
				c.get(tc.path).want(t, 200, &l)
				if got := slugs(l); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}

		t.Run("statements by the Kremlin aide", func(t *testing.T) {
			var l handlers.List[models.Statement]
			c.get("/api/v1/statements"+q("speaker", "yuri-ushakov")).want(t, 200, &l)
			if len(l.Items) == 0 {
				t.Fatal("no statements by Ushakov")
			}
			var ushakov models.Actor
			c.get("/api/v1/actors/yuri-ushakov").want(t, 200, &ushakov)
			found := false
			for _, s := range l.Items {
				if s.Speaker.ID != ushakov.ID {
					t.Errorf("statement %s by %s, not Ushakov", s.ID, s.Speaker)
				}
				if s.Quote && s.Text == "Without resolving the territorial issue according to\u00a0the formula agreed upon in\u00a0Anchorage, one shouldn’t count on\u00a0achieving a\u00a0long-term settlement," {
					found = true
				}
			}
			if !found {
				t.Errorf("the Anchorage quote is missing from %d statements", len(l.Items))
			}
			var same handlers.List[models.Statement]
			c.get("/api/v1/actors/yuri-ushakov/statements").want(t, 200, &same)
			if len(same.Items) != len(l.Items) {
				t.Errorf("/actors/…/statements gave %d, /statements?speaker= gave %d", len(same.Items), len(l.Items))
			}
		})

		t.Run("an anonymous speaker is an attribution for the organisation, not its speaker", func(t *testing.T) {
			var l handlers.List[models.Statement]
			c.get("/api/v1/statements"+q("speaks_for", "white-house", "quote", "true")).want(t, 200, &l)
			if len(l.Items) != 1 || l.Items[0].Text != "productive" || l.Items[0].Attribution != "a White House official" || l.Items[0].Speaker != nil {
				t.Fatalf("got %+v", l.Items)
			}
			c.get("/api/v1/statements"+q("speaker", "white-house")).want(t, 200, &l)
			if len(l.Items) != 0 {
				t.Errorf("the White House itself said %d things", len(l.Items))
			}
		})

		t.Run("include embeds participants, location, sources and statements", func(t *testing.T) {
			var e models.Event
			c.get("/api/v1/events/abu-dhabi-trilateral-talks-day-1"+q("include", "participants,location,sources,statements")).want(t, 200, &e)
			if e.LocationData == nil || e.LocationData.Slug != "abu-dhabi" {
				t.Errorf("location: %+v", e.LocationData)
			}
			if len(e.Participants) != 3 {
				t.Fatalf("participants: %+v", e.Participants)
			}
			for _, p := range e.Participants {
				if p.ActorData == nil || p.ActorData.Kind != models.ActorState || p.Role != models.RoleDelegation {
					t.Errorf("participant %+v", p)
				}
			}
			if len(e.SourcesData) != len(e.Sources) || len(e.SourcesData) == 0 || e.SourcesData[0].Outlet != "Meduza" {
				t.Errorf("sources: %+v", e.SourcesData)
			}
			if len(e.StatementsData) == 0 {
				t.Errorf("no statements embedded")
			}
		})
	})
}
