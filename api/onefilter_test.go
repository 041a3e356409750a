package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
)

// oneActorFilters gives, for every /events filter, queries that select part of the
// built-in dataset. Every filter the OpenAPI document lists for GET /api/v1/events must
// be here, so a new filter is tested with a single actor too.
var oneActorFilters = map[string][]string{
	"role":     {"role=participant", "role=head_of_delegation", "role=mediator"},
	"country":  {"country=UA", "country=US", "country=AE"},
	"location": {"location=abu-dhabi", "location=davos"},
	"type":     {"type=meeting", "type=negotiation", "type=statement"},
	"status":   {"status=held", "status=scheduled"},
	"tag":      {"tag=peace-talks", "tag=peace-talks&tag=russia-ukraine-war"},
	"from":     {"from=2026-01-23", "from=2025"},
	"to":       {"to=2026-01-22", "to=2025-12"},
	"source":   {"source=meduza-2026-01-23-first-trilateral-talks"},
	"supports": {"supports=date", "source=meduza-2026-01-23-first-trilateral-talks&supports=status,date"},
	"parent":   {"parent=abu-dhabi-trilateral-talks"},
	"q":        {"q=talks", "q=Abu+Dhabi"},
	"sort":     {"sort=date", "sort=-date", "sort=updated"},
	"include":  {"include=participants"},
	// The built-in dataset has no GDELT numbers: each selects nothing, with or without
	// an actor (a fast path that ignored it would return the actor's events).
	"min_goldstein": {"min_goldstein=-10"}, "max_goldstein": {"max_goldstein=10"},
	"quad_class": {"quad_class=1&quad_class=2"}, "min_tone": {"min_tone=-100"}, "max_tone": {"max_tone=100"},
	"min_mentions": {"min_mentions=0"}, "min_sources": {"min_sources=0"}, "min_articles": {"min_articles=0"},
}

// notFilters are /events parameters that select nothing by themselves (represented
// changes what actor matches: TestRepresentedWithEveryFilter).
var notFilters = []string{"actor", "match", "represented", "limit", "cursor"}

// TestEveryFilterWithOneActor runs every /events filter with and without one actor (the
// single-actor range scan) and checks that the actor's answer is exactly the filter's
// answer restricted to events the actor took part in: a filter the fast path ignored
// would show up here.
func TestEveryFilterWithOneActor(t *testing.T) {
	t.Parallel()
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range doc.Paths.Value("/api/v1/events").Get.Parameters {
		if name := p.Value.Name; p.Value.In == "query" && !slices.Contains(notFilters, name) && len(oneActorFilters[name]) == 0 {
			t.Errorf("the /events filter %q has no case in oneActorFilters", name)
		}
	}
	actors := []string{"volodymyr-zelensky", "united-states", "russia", "steve-witkoff"}
	each(t, true, func(t *testing.T, c *client) {
		nonEmpty := 0
		for _, queries := range oneActorFilters {
			for _, query := range queries {
				var all struct{ Items []models.Event }
				c.get("/api/v1/events?limit=500&"+query).want(t, 200, &all)
				for _, actor := range actors {
					var a models.Actor
					c.get("/api/v1/actors/"+actor).want(t, 200, &a)
					var want []string
					for _, e := range all.Items {
						if slices.ContainsFunc(e.Participants, func(p models.Participant) bool {
							return p.Actor.ID == a.ID && (!strings.HasPrefix(query, "role=") || "role="+string(p.Role) == query)
						}) {
							want = append(want, e.Slug)
						}
					}
					for _, ref := range []string{actor, a.ID.String()} {
						var got struct{ Items []models.Event }
						c.get("/api/v1/events?limit=500&actor="+url.QueryEscape(ref)+"&"+query).want(t, 200, &got)
						var slugs []string
						for _, e := range got.Items {
							slugs = append(slugs, e.Slug)
						}
						if !slices.Equal(slugs, want) {
							t.Errorf("actor=%s&%s: %v, want %v (the filter without the actor, restricted to the actor's events)", ref, query, slugs, want)
						}
					}
					if len(want) > 0 {
						nonEmpty++
					}
				}
			}
		}
		if nonEmpty < 30 {
			t.Errorf("only %d filter × actor cases select anything; the cases no longer fit the dataset", nonEmpty)
		}
	})
}
