package store_test

import (
	"database/sql"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestChangesWaitForOlderTransactions holds a transaction open that wrote a revision,
// then commits a later change: the feed shows neither until the older one ends, then
// both in transaction order, so a reader resuming from its cursor skips nothing.
func TestChangesWaitForOlderTransactions(t *testing.T) {
	t.Parallel()
	url := storetest.URL(t, store.Postgres)
	s, err := store.Open(bg, url, store.Options{})
	must(t, err)
	defer s.Close()
	_, err = s.MigrateUp(bg)
	must(t, err)
	raw, err := sql.Open("pgx", url)
	must(t, err)
	defer raw.Close()

	start, err := s.Changes(bg, "", 10)
	must(t, err)
	slow, err := raw.Begin()
	must(t, err)
	defer slow.Rollback()
	older := models.NewID()
	_, err = slow.Exec(`INSERT INTO revisions (id, entity_type, entity_id, version, action, author, created_at, data)
		VALUES ($1, 'actor', $2, 1, 'create', 'slow writer', now(), '{}')`, models.NewID().String(), older.String())
	must(t, err)

	a := mkActor(t, s, "Later Writer", models.ActorPerson, "")
	p, err := s.Changes(bg, start.Next, 10)
	must(t, err)
	for _, ch := range p.Items {
		if ch.EntityID == a.ID {
			t.Fatalf("a change shows while an older transaction is open: %+v", p.Items)
		}
	}
	must(t, slow.Commit())
	// Other tests' transactions on the same server hold changes back too: poll.
	var order []models.ID
	for deadline := time.Now().Add(2 * time.Minute); len(order) < 2 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		p, err = s.Changes(bg, start.Next, 10)
		must(t, err)
		order = order[:0]
		for _, ch := range p.Items {
			if ch.EntityID == a.ID || ch.EntityID == older {
				order = append(order, ch.EntityID)
			}
		}
	}
	if len(order) != 2 || order[0] != older || order[1] != a.ID {
		t.Fatalf("after the commit: %v, want the older transaction's change first", order)
	}
}
