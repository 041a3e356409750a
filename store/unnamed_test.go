package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestMigration12UnnamedSpeakers writes a statement the way a version-10 parley did, with
// tags, a source and search text, and migrates up: the row keeps all of them (SQLite
// rebuilds the table) and stays findable; the schema then takes a statement with no
// speaker but refuses one with neither speaker nor attribution; migrating down gives an
// unnamed speaker's organisation back as the speaker and drops what it cannot hold.
func TestMigration12UnnamedSpeakers(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, err := store.Open(ctx, storetest.URL(t, d), store.Options{})
			must(t, err)
			defer s.Close()
			must(t, store.MigrateToForTest(ctx, s, 10))
			const (
				ts    = "'2026-01-23 10:00:00+00:00'"
				tass  = "0190a000-0000-7000-8000-000000000001"
				src   = "0190a000-0000-7000-8000-0000000000a1"
				old   = "0190a000-0000-7000-8000-0000000000f1"
				dates = "'2026-01-23', '2026-01-23 00:00:00+00:00', '2026-01-24 00:00:00+00:00', 'day', false, false"
			)
			for _, q := range []string{
				"INSERT INTO actors (id, version, created_at, updated_at, slug, name, kind, aliases, country, title, affiliation_id, external_ids) VALUES ('" +
					tass + "', 1, " + ts + ", " + ts + ", 'tass', 'TASS', 'organization', '[]', 'RU', '', NULL, '{}')",
				"INSERT INTO sources (id, version, created_at, updated_at, slug, outlet, title, url, published_edtf, published_start, published_end, published_precision, published_approximate, published_uncertain, language) VALUES ('" +
					src + "', 1, " + ts + ", " + ts + ", 'tass-report', 'TASS', 'Talks to resume', 'https://tass.com/x', " + dates + ", 'en')",
				"INSERT INTO statements (id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text) VALUES ('" +
					old + "', 1, " + ts + ", " + ts + ", 'No one is slamming the door', true, '" + tass + "', 'a TASS source', " + dates + ", '', 'en', NULL, 'no one is slamming the door a tass source')",
				"INSERT INTO statement_tags (statement_id, tag) VALUES ('" + old + "', 'peace-talks')",
				"INSERT INTO statement_sources (statement_id, source_id, position) VALUES ('" + old + "', '" + src + "', 0)",
			} {
				if err := store.ExecForTest(s, q); err != nil {
					t.Fatalf("%v\n%.300s", err, q)
				}
			}
			if _, err := s.MigrateUp(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := s.GetStatement(ctx, old)
			must(t, err)
			if got.Speaker == nil || got.Speaker.ID.String() != tass || got.SpeaksFor != nil || !slices.Equal(got.Tags, []string{"peace-talks"}) ||
				len(got.Sources) != 1 || got.Sources[0].ID.String() != src {
				t.Fatalf("after the migration: %+v", got)
			}
			p, err := s.ListStatements(ctx, store.StatementFilter{Q: "slamming", Limit: 10})
			must(t, err)
			if len(p.Items) != 1 || p.Items[0].ID.String() != old {
				t.Errorf("search after the migration: %+v", p.Items)
			}

			unnamed := &models.Statement{Text: "They agreed", Attribution: "a TASS source", SpeaksFor: models.RefBySlug("tass"),
				Date: models.MustParseDate("2026-01-23"), Tags: []string{"peace-talks"}}
			must(t, s.CreateStatement(ctx, unnamed))
			p, err = s.ListStatements(ctx, store.StatementFilter{SpeaksFor: []string{"tass"}, Limit: 10})
			must(t, err)
			if len(p.Items) != 1 || p.Items[0].ID != unnamed.ID || p.Items[0].Speaker != nil {
				t.Errorf("speaks_for=tass: %+v", p.Items)
			}
			if err := store.ExecForTest(s, "INSERT INTO statements (id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id) VALUES ('0190a000-0000-7000-8000-0000000000f2', 1, "+
				ts+", "+ts+", 'Nobody said it', false, NULL, '', "+dates+", '', 'en', NULL)"); err == nil {
				t.Error("the schema took a statement with neither speaker nor attribution")
			}

			migrateDownBelow(t, s, 12)
			n, err := store.ScalarForTest(s, "SELECT COUNT(*) FROM statements WHERE speaker_id = '"+tass+"'")
			must(t, err)
			tags, err := store.ScalarForTest(s, "SELECT COUNT(*) FROM statement_tags")
			must(t, err)
			if n != "2" || tags != "2" {
				t.Errorf("after down: %s statements by TASS (want 2, the unnamed one given its organisation), %s tags (want 2)", n, tags)
			}
		})
	}
}
