package store_test

import (
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestRevisions: every create, update and delete writes one revision with the next
// version, the action, the author from the context and the entity's whole state; the
// history stays readable by id after the entity is deleted.
func TestRevisions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		tester := store.WithAuthor(bg, "tester")

		t.Run("actor", func(t *testing.T) {
			a := newActor("Russia", models.ActorState, "RU")
			must(t, s.CreateActor(tester, a))
			must(t, s.ReplaceActor(bg, a.Slug, newActor("Russian Federation", models.ActorState, "RU"), 1))
			must(t, s.ReplaceActor(store.WithAuthor(bg, ""), a.ID.String(), newActor("Russia", models.ActorState, "RU"), 2))
			cur, err := s.GetActor(bg, a.ID.String())
			must(t, err)
			must(t, s.DeleteActor(tester, a.Slug, 3))

			revs := revisions(t, s, "actor", a.ID.String())
			type row struct {
				Version int
				Action  models.Action
				Author  string
				Name    any
			}
			var got []row
			for _, r := range revs {
				if r.EntityType != "actor" || r.EntityID != a.ID || r.ID.UUID.Version() != 7 {
					t.Errorf("revision %d: type %q entity %s id %s", r.Version, r.EntityType, r.EntityID, r.ID)
				}
				d := decodeData(t, r)
				if d["id"] != a.ID.String() || d["version"] != float64(r.Version) || d["slug"] != "russia" || d["kind"] != "state" {
					t.Errorf("revision %d data: %v", r.Version, d)
				}
				got = append(got, row{r.Version, r.Action, r.Author, d["name"]})
			}
			wantEqual(t, "history", got, []row{
				{1, models.ActionCreate, "tester", "Russia"},
				{2, models.ActionUpdate, "anonymous", "Russian Federation"},
				{3, models.ActionUpdate, "anonymous", "Russia"},
				{4, models.ActionDelete, "tester", "Russia"},
			})
			if len(revs) == 4 {
				if !revs[0].CreatedAt.Equal(a.CreatedAt) {
					t.Errorf("create revision at %v, entity created at %v", revs[0].CreatedAt, a.CreatedAt)
				}
				if !revs[2].CreatedAt.Equal(cur.UpdatedAt) {
					t.Errorf("update revision at %v, entity updated at %v", revs[2].CreatedAt, cur.UpdatedAt)
				}
				if !revs[3].CreatedAt.After(revs[2].CreatedAt) {
					t.Errorf("delete revision at %v, not after %v", revs[3].CreatedAt, revs[2].CreatedAt)
				}
			}
			// Paged: two pages of two, oldest first.
			p1, err := s.Revisions(bg, models.KindActor, a.ID.String(), store.RevisionFilter{Limit: 2})
			must(t, err)
			if p1.NextCursor == "" {
				t.Fatal("no next cursor after 2 of 4 revisions")
			}
			p2, err := s.Revisions(bg, models.KindActor, a.ID.String(), store.RevisionFilter{Limit: 2, Cursor: p1.NextCursor})
			must(t, err)
			var versions []int
			for _, r := range append(p1.Items, p2.Items...) {
				versions = append(versions, r.Version)
			}
			wantEqual(t, "paged versions", versions, []int{1, 2, 3, 4})
			wantEqual(t, "last cursor", p2.NextCursor, "")

			// Gone by slug, still there by id; a wrong kind or unknown id is not found.
			_, err = s.Revisions(bg, models.KindActor, "russia", store.RevisionFilter{})
			wantErr(t, err, models.ENOTFOUND)
			_, err = s.Revisions(bg, models.KindLocation, a.ID.String(), store.RevisionFilter{})
			wantErr(t, err, models.ENOTFOUND)
			_, err = s.Revisions(bg, models.KindActor, models.NewID().String(), store.RevisionFilter{})
			wantErr(t, err, models.ENOTFOUND)
		})

		t.Run("event", func(t *testing.T) {
			ua := mkActor(t, s, "Ukraine", models.ActorState, "UA")
			ru := mkActor(t, s, "Russia Two", models.ActorState, "RU")
			us := mkActor(t, s, "United States", models.ActorState, "US")
			src := mkSource(t, s, "Meduza", "Talks", "2026-01-24")
			e := newEvent("Abu Dhabi talks", "2026-01-23/2026-01-24")
			e.Participants = []models.Participant{part(ua, models.RoleDelegation), part(ru, models.RoleDelegation)}
			e.Tags = []string{"trilateral", "peace-talks"}
			e.Sources = []*models.Ref{models.RefBySlug(src.Slug)}
			must(t, s.CreateEvent(tester, e))
			r := newEvent("Abu Dhabi talks, round 1", "2026-01-23")
			r.Participants = []models.Participant{part(us, models.RoleMediator)}
			must(t, s.ReplaceEvent(tester, e.Slug, r, 1))
			must(t, s.DeleteEvent(bg, e.ID.String(), 2))

			revs := revisions(t, s, "event", e.ID.String())
			if len(revs) != 3 {
				t.Fatalf("%d revisions, want 3", len(revs))
			}
			snaps := make([]eventJSON, 3)
			for i, rv := range revs {
				must(t, jsonUnmarshal(rv.Data, &snaps[i]))
				wantEqual(t, "version/action/author", [3]any{rv.Version, rv.Action, rv.Author},
					[3]any{i + 1, []models.Action{models.ActionCreate, models.ActionUpdate, models.ActionDelete}[i], []string{"tester", "tester", "anonymous"}[i]})
				wantEqual(t, "snapshot id/version", [2]any{snaps[i].ID, snaps[i].Version}, [2]any{e.ID.String(), i + 1})
			}
			type p struct{ Actor, Role string }
			parts := func(j eventJSON) []p {
				out := []p{}
				for _, x := range j.Participants {
					out = append(out, p{x.ActorID, x.Role})
				}
				return out
			}
			wantEqual(t, "v1 title", snaps[0].Title, "Abu Dhabi talks")
			wantEqual(t, "v1 slug", snaps[0].Slug, "abu-dhabi-talks")
			wantEqual(t, "v1 date", snaps[0].Date.EDTF, "2026-01-23/2026-01-24")
			wantEqual(t, "v1 participants", parts(snaps[0]), []p{{ua.ID.String(), "delegation"}, {ru.ID.String(), "delegation"}})
			wantEqual(t, "v1 tags", snaps[0].Tags, []string{"peace-talks", "trilateral"})
			wantEqual(t, "v1 sources (as ids)", snaps[0].SourceIDs, []string{src.ID.String()})
			wantEqual(t, "v2 title", snaps[1].Title, "Abu Dhabi talks, round 1")
			wantEqual(t, "v2 slug (kept)", snaps[1].Slug, "abu-dhabi-talks")
			wantEqual(t, "v2 participants", parts(snaps[1]), []p{{us.ID.String(), "mediator"}})
			wantEqual(t, "v2 tags", snaps[1].Tags, []string{})
			wantEqual(t, "v2 sources", snaps[1].SourceIDs, []string{})
			// The delete records the last state, children included.
			wantEqual(t, "v3 title", snaps[2].Title, "Abu Dhabi talks, round 1")
			wantEqual(t, "v3 participants", parts(snaps[2]), []p{{us.ID.String(), "mediator"}})
			wantEqual(t, "v3 date", snaps[2].Date.EDTF, "2026-01-23")
		})

		t.Run("statement, location and source", func(t *testing.T) {
			a := mkActor(t, s, "Speaker", models.ActorPerson, "")
			st := newStatement(a, "First.", "2026-01-23")
			must(t, s.CreateStatement(tester, st))
			must(t, s.ReplaceStatement(bg, st.ID.String(), newStatement(a, "Second.", "2026-01-23"), 1))
			l := mkLocation(t, s, "Geneva", "CH")
			src := mkSource(t, s, "AP", "Geneva", "2026-01-01")
			must(t, s.DeleteLocation(tester, l.Slug, 1))
			must(t, s.DeleteSource(tester, src.Slug, 1))
			for _, c := range []struct {
				kind    string
				id      models.ID
				actions []models.Action
				field   string
				values  []any
			}{
				{"statement", st.ID, []models.Action{models.ActionCreate, models.ActionUpdate}, "text", []any{"First.", "Second."}},
				{"location", l.ID, []models.Action{models.ActionCreate, models.ActionDelete}, "name", []any{"Geneva", "Geneva"}},
				{"source", src.ID, []models.Action{models.ActionCreate, models.ActionDelete}, "outlet", []any{"AP", "AP"}},
			} {
				revs := revisions(t, s, c.kind, c.id.String())
				var actions []models.Action
				var values []any
				for _, r := range revs {
					actions = append(actions, r.Action)
					values = append(values, decodeData(t, r)[c.field])
				}
				wantEqual(t, c.kind+" actions", actions, c.actions)
				wantEqual(t, c.kind+" "+c.field, values, c.values)
			}
			wantEqual(t, "statement author", revisions(t, s, "statement", st.ID.String())[0].Author, "tester")
		})
	})
}
