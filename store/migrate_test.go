package store_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"

	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestConcurrentMigrateUp opens three stores, each with its own pool as separate
// processes would have, on one empty database and migrates them at once: every call
// succeeds and each migration is applied once in all. Without the migration lock the
// losers fail inside migration 1 (a duplicate pg_type row on PostgreSQL, "table actors
// already exists" on SQLite). The first round starts from nothing, the others from an
// empty goose version table.
func TestConcurrentMigrateUp(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: several rounds of migrations from empty")
	}
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			for round := range 3 {
				url := storetest.URL(t, d)
				ctx := context.Background()
				stores := make([]*store.Store, 3)
				for i := range stores {
					s, err := store.Open(ctx, url, store.Options{})
					if err != nil {
						t.Fatal(err)
					}
					defer s.Close()
					stores[i] = s
				}
				if round > 0 {
					// goose creates its version table first, and an instance that fails to
					// do so retries a second later, by when the winner may be done: with
					// the table already there (a readiness probe makes it) all three reach
					// migration 1 together.
					if _, err := stores[0].Pending(ctx); err != nil {
						t.Fatal(err)
					}
				}
				applied := make([]int, len(stores))
				errs := make([]error, len(stores))
				var wg sync.WaitGroup
				start := make(chan struct{})
				for i, s := range stores {
					wg.Go(func() {
						<-start
						applied[i], errs[i] = s.MigrateUp(ctx)
					})
				}
				close(start)
				wg.Wait()
				total := 0
				for i, err := range errs {
					if err != nil {
						t.Fatalf("round %d, instance %d: %v", round, i, err)
					}
					total += applied[i]
				}
				status, err := stores[0].MigrateStatus(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if total != len(status) {
					t.Errorf("round %d: %v migrations applied in all, want each of %d once", round, applied, len(status))
				}
				if pending, err := stores[2].Pending(ctx); err != nil || pending {
					t.Errorf("round %d: pending=%v %v after every instance migrated", round, pending, err)
				}
			}
		})
	}
}

// TestMigration3Backfill migrates a database to version 2, writes rows the way a
// version-2 parley did (raw SQL, search_text left empty), and migrates up: migration 3
// must give every statement and event exactly the search text a write produces today,
// across more than one of its batches, and make the rows findable.
func TestMigration3Backfill(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, err := store.Open(ctx, storetest.URL(t, d), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := store.MigrateToForTest(ctx, s, 2); err != nil {
				t.Fatal(err)
			}
			const (
				ts      = "'2026-01-23 10:00:00+00:00'"
				actor   = "'0190a000-0000-7000-8000-000000000001'"
				talks   = "0190a000-0000-7000-8000-0000000000e1"
				quiet   = "0190a000-0000-7000-8000-0000000000e2"
				lone    = "0190a000-0000-7000-8000-0000000000f9"
				bulk    = 510 // events beyond the two above: two of the migration's batches
				evCols  = "id, version, created_at, updated_at, slug, title, type, cameo_code, status, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, location_id, summary, parent_id"
				stCols  = "id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id"
				evTail  = "'meeting', '', 'held', '2026-01-23', '2026-01-23 00:00:00+00:00', '2026-01-24 00:00:00+00:00', 'day', false, false, NULL"
				dateFmt = "'2026-01-%02d', '2026-01-%02d 00:00:00+00:00', '2026-01-%02d 00:00:00+00:00', 'day', false, false"
			)
			sql := []string{
				"INSERT INTO actors (id, version, created_at, updated_at, slug, name, kind, aliases, country, title, affiliation_id, external_ids) VALUES (" +
					actor + ", 1, " + ts + ", " + ts + ", 'zelensky', 'Volodymyr Zelensky', 'person', '[]', 'UA', '', NULL, '{}')",
				"INSERT INTO events (" + evCols + ") VALUES " +
					// NFD "Café" (e + combining acute) and upper case: the backfill writes NFC, lower case.
					"('" + talks + "', 1, " + ts + ", " + ts + ", 'talks', 'Zelensky''s long-term PLAN', " + evTail + ", 'Talks in Abu Dhabi: Cafe\u0301 №5', NULL), " +
					"('" + quiet + "', 1, " + ts + ", " + ts + ", 'quiet', 'Quiet day', " + evTail + ", '', NULL)",
				// Tags out of order; statements neither in date nor in id order, two on one date
				// (ordered by id between them).
				"INSERT INTO event_tags (event_id, tag) VALUES ('" + talks + "', 'zeta'), ('" + talks + "', 'alpha'), ('" + talks + "', 'mid-east')",
				"INSERT INTO statements (" + stCols + ") VALUES " +
					fmt.Sprintf("('0190a000-0000-7000-8000-0000000000f1', 1, %s, %s, 'Third, said last', false, %s, '', "+dateFmt+", 'speech', 'en', '%s'), ", ts, ts, actor, 20, 20, 21, talks) +
					fmt.Sprintf("('0190a000-0000-7000-8000-0000000000f3', 1, %s, %s, 'Second: Россия', true, %s, 'via TASS', "+dateFmt+", 'speech', 'en', '%s'), ", ts, ts, actor, 10, 10, 11, talks) +
					fmt.Sprintf("('0190a000-0000-7000-8000-0000000000f2', 1, %s, %s, 'First!', false, %s, '', "+dateFmt+", 'speech', 'en', '%s'), ", ts, ts, actor, 10, 10, 11, talks) +
					fmt.Sprintf("('%s', 1, %s, %s, 'No event; ATTRIBUTED', false, %s, 'Reuters — sources', "+dateFmt+", 'interview', 'en', NULL)", lone, ts, ts, actor, 5, 5, 6),
			}
			for lo := 0; lo < bulk; lo += 250 {
				var ev, tag, st []string
				for i := lo; i < min(lo+250, bulk); i++ {
					id := fmt.Sprintf("0190b000-0000-7000-8000-%012d", i)
					ev = append(ev, fmt.Sprintf("('%s', 1, %s, %s, 'bulk-%d', 'Bulk event %d', %s, 'Summary %d', NULL)", id, ts, ts, i, i, evTail, i))
					tag = append(tag, fmt.Sprintf("('%s', 'tag%d')", id, i%7))
					st = append(st, fmt.Sprintf("('0190c000-0000-7000-8000-%012d', 1, %s, %s, 'Said at %d', false, %s, '', "+dateFmt+", 'speech', 'en', '%s')",
						i, ts, ts, i, actor, 1, 1, 2, id))
				}
				sql = append(sql,
					"INSERT INTO events ("+evCols+") VALUES "+strings.Join(ev, ", "),
					"INSERT INTO event_tags (event_id, tag) VALUES "+strings.Join(tag, ", "),
					"INSERT INTO statements ("+stCols+") VALUES "+strings.Join(st, ", "))
			}
			for _, q := range sql {
				if err := store.ExecForTest(s, q); err != nil {
					t.Fatalf("%v\n%.300s", err, q)
				}
			}
			if _, err := s.MigrateUp(ctx); err != nil {
				t.Fatal(err)
			}

			got := map[string]map[string]string{}
			for _, table := range []string{"events", "statements"} {
				if got[table], err = store.SearchTextsForTest(s, table); err != nil {
					t.Fatal(err)
				}
			}
			// The frozen output, spelt out.
			pinned := map[string]map[string]string{
				"events": {
					talks:                                  "zelensky s long term plan talks in abu dhabi café 5 alpha mid east zeta first second россия third said last",
					quiet:                                  "quiet day",
					"0190b000-0000-7000-8000-000000000509": "bulk event 509 summary 509 tag5 said at 509",
				},
				"statements": {
					"0190a000-0000-7000-8000-0000000000f3": "second россия via tass",
					lone:                                   "no event attributed reuters sources",
				},
			}
			for table, rows := range pinned {
				for id, want := range rows {
					if got[table][id] != want {
						t.Errorf("%s %s: search_text %q, want %q", table, id, got[table][id], want)
					}
				}
			}
			if n := len(got["events"]); n != bulk+2 {
				t.Errorf("%d events", n)
			}
			for table, rows := range got {
				for id, text := range rows {
					if text == "" {
						t.Errorf("%s %s: no search text after migration 3", table, id)
					}
				}
			}

			// What a write produces today, computed by the live code over the same rows.
			if err := store.RefreshSearchForTest(s); err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"events", "statements"} {
				want, err := store.SearchTextsForTest(s, table)
				if err != nil {
					t.Fatal(err)
				}
				if !maps.Equal(got[table], want) {
					for id := range want {
						if got[table][id] != want[id] {
							t.Errorf("%s %s: migration 3 wrote %q, a write gives %q", table, id, got[table][id], want[id])
						}
					}
				}
			}

			// The search index follows (SQLite's FTS tables are kept by triggers).
			page, err := s.ListEvents(ctx, store.EventFilter{Q: "россия cafe\u0301"})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 1 || page.Items[0].ID.String() != talks {
				t.Errorf("search after migration 3 found %d events, want the talks", len(page.Items))
			}
			sts, err := s.ListStatements(ctx, store.StatementFilter{Q: "reuters"})
			if err != nil {
				t.Fatal(err)
			}
			if len(sts.Items) != 1 || sts.Items[0].ID.String() != lone {
				t.Errorf("statement search after migration 3 found %d statements, want one", len(sts.Items))
			}
		})
	}
}
