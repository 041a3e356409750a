package store

import (
	"slices"
	"testing"
)

// TestPlainInsert checks which statements the import sends as COPY: only GORM's plain
// multi-row INSERT with its parameters in order; anything that asks something of the
// server per row (RETURNING, ON CONFLICT) or does not match its arguments goes as it is.
func TestPlainInsert(t *testing.T) {
	t.Parallel()
	cases := []struct {
		query string
		nargs int
		table string
		cols  []string
	}{
		{`INSERT INTO "event_tags" ("event_id","tag") VALUES ($1,$2),($3,$4)`, 4, "event_tags", []string{"event_id", "tag"}},
		{`INSERT INTO "events" ("id") VALUES ($1)`, 1, "events", []string{"id"}},
		{`INSERT INTO "event_tags" ("event_id","tag") VALUES ($1,$2),($3,$4)`, 3, "", nil},
		{`INSERT INTO "event_tags" ("event_id","tag") VALUES ($1,$2),($3,$4) ON CONFLICT DO NOTHING`, 4, "", nil},
		{`INSERT INTO "actors" ("name") VALUES ($1) RETURNING "id"`, 1, "", nil},
		{`INSERT INTO "event_tags" ("event_id","tag") VALUES ($2,$1)`, 2, "", nil},
		{`INSERT INTO "event_tags" ("event_id","tag") VALUES ($1,'x')`, 1, "", nil},
		{`INSERT INTO "Event Tags" ("event_id") VALUES ($1)`, 1, "", nil},
		{`UPDATE "events" SET "title"=$1`, 1, "", nil},
	}
	for _, c := range cases {
		table, cols, ok := plainInsert(c.query, c.nargs)
		if ok != (c.table != "") || table != c.table || !slices.Equal(cols, c.cols) {
			t.Errorf("plainInsert(%q, %d) = %q, %q, %v; want %q, %q", c.query, c.nargs, table, cols, ok, c.table, c.cols)
		}
	}
}
