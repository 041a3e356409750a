package store_test

import (
	"errors"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// forwardActors are actors whose positions and relations name actors of later records:
// Ushakov names the Kremlin and Putin, the Kremlin names the Duma.
func forwardActors() ([]string, []any) {
	d := models.MustParseDate
	es := []any{
		&models.Actor{Slug: "yuri-ushakov", Name: "Yuri Ushakov", Kind: models.ActorPerson,
			Positions: []models.Position{{Title: "Aide to the President of Russia", Organization: models.RefBySlug("kremlin"), Start: d("2012-05")}},
			Relations: []models.ActorRelation{{Type: models.ActorAdviserTo, Related: *models.RefBySlug("vladimir-putin")}}},
		&models.Actor{Slug: "kremlin", Name: "Kremlin", Kind: models.ActorOrganization,
			Relations: []models.ActorRelation{{Type: models.ActorRepresents, Related: *models.RefBySlug("duma")}}},
		&models.Actor{Slug: "vladimir-putin", Name: "Vladimir Putin", Kind: models.ActorPerson},
		&models.Actor{Slug: "duma", Name: "State Duma", Kind: models.ActorOrganization},
	}
	return []string{"actor", "actor", "actor", "actor"}, es
}

// TestPositionsImportForward: the normal and the bulk import both take actors that name
// actors of later lines, and store the same rows.
func TestPositionsImportForward(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			for _, bulk := range []bool{false, true} {
				s := storetest.Open(t, d)
				kinds, es := forwardActors()
				imp := s.Import
				if bulk {
					imp = s.ImportBulk
				}
				rep, err := imp(bg, records(kinds, es), store.ImportOptions{Atomic: true})
				must(t, err)
				if !rep.Committed || rep.Counts["actor"].Created != 4 {
					t.Fatalf("bulk=%v: %+v %+v", bulk, rep.Counts["actor"], rep.Problems)
				}
				a, err := s.GetActor(bg, "yuri-ushakov")
				must(t, err)
				k, err := s.GetActor(bg, "kremlin")
				must(t, err)
				if len(a.Positions) != 1 || a.Positions[0].Organization.ID != k.ID || a.Positions[0].Start.EDTF != "2012-05" || len(a.Relations) != 1 {
					t.Errorf("bulk=%v: Ushakov as stored: %+v", bulk, a)
				}
			}
		})
	}
}

// TestPositionsCycleRefused: an update by which an actor would name itself through the
// actors it names (the Kremlin representing Ushakov, who holds a position in it) is a
// 422 on the field that closes the cycle, and writes nothing.
func TestPositionsCycleRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		kinds, es := forwardActors()
		_, err := s.Import(bg, records(kinds, es), store.ImportOptions{Atomic: true})
		must(t, err)
		duma, err := s.GetActor(bg, "duma")
		must(t, err)
		duma.Positions = []models.Position{{Title: "Seat", Organization: models.RefBySlug("yuri-ushakov")}}
		err = s.ReplaceActor(bg, "duma", duma, 0)
		var me *models.Error
		if !errors.As(err, &me) || me.Code != models.EUNPROCESSABLE || len(me.Fields) != 1 || me.Fields[0].Field != "positions[0].organization_id" {
			t.Fatalf("a cycle Duma → Ushakov → Kremlin → Duma: %v", err)
		}
		after, err := s.GetActor(bg, "duma")
		must(t, err)
		if len(after.Positions) != 0 || after.Version != 1 {
			t.Errorf("the refused update was written: %+v", after)
		}
	})
}
