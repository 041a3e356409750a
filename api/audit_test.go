package api_test

import (
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
)

// TestSeedAudit asks the built-in dataset the questions its audit (seed/AUDIT.md) turned
// on, through the API on both databases, and expects the article's answers.
func TestSeedAudit(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		t.Run("which days of the Abu Dhabi talks were held", func(t *testing.T) {
			var l handlers.List[models.Event]
			c.get("/api/v1/events"+q("parent", "abu-dhabi-trilateral-talks", "status", "held")).want(t, 200, &l)
			if len(l.Items) != 1 || l.Items[0].Slug != "abu-dhabi-trilateral-talks-day-1" {
				t.Errorf("held rounds: %+v", l.Items)
			}
			// Nothing is held on 24 January: the second day was only set to take place.
			c.get("/api/v1/events"+q("from", "2026-01-24", "to", "2026-01-24", "status", "held")).want(t, 200, &l)
			if len(l.Items) != 0 {
				t.Errorf("held on 24 January: %+v", l.Items)
			}
			c.get("/api/v1/events"+q("from", "2026-01-24", "to", "2026-01-24")).want(t, 200, &l)
			if len(l.Items) != 1 || l.Items[0].Slug != "abu-dhabi-trilateral-talks-day-2" || l.Items[0].Status != models.StatusScheduled {
				t.Errorf("on 24 January: %+v", l.Items)
			}
		})

		t.Run("the Anchorage formula is referred to after the Moscow meeting", func(t *testing.T) {
			var e models.Event
			c.get("/api/v1/events/putin-witkoff-kushner-moscow-meeting").want(t, 200, &e)
			var summit models.Event
			c.get("/api/v1/events/putin-trump-anchorage-summit").want(t, 200, &summit)
			if len(e.Relations) != 1 || e.Relations[0].Type != models.RelationReferences || e.Relations[0].Related.ID != summit.ID {
				t.Errorf("Moscow meeting relations %+v", e.Relations)
			}
			c.get("/api/v1/events/abu-dhabi-trilateral-talks").want(t, 200, &e)
			for _, r := range e.Relations {
				if r.Type == models.RelationReferences {
					t.Errorf("the talks reference %+v", r)
				}
			}
		})

		t.Run("the whole series rests on Meduza alone", func(t *testing.T) {
			var l handlers.List[models.Event]
			for _, src := range []string{"nbc-news-2026-01-23-white-house-official", "tass-2026-01-23-talks-to-resume"} {
				c.get("/api/v1/events"+q("source", src)).want(t, 200, &l)
				for _, e := range l.Items {
					if e.Slug == "abu-dhabi-trilateral-talks" {
						t.Errorf("source=%s gives the whole series", src)
					}
				}
			}
		})
	})
}
