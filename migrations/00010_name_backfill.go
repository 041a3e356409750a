package migrations

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pressly/goose/v3"
	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Migration 10 fills the name search tables that migration 9 adds (actor_names,
// location_names, source_names) for the rows written before name search existed. The
// folding is parley's, so it is written in Go; like migration 3 it is frozen, with its
// own copy of the key builder as it was released (store/names.go then), and calls
// nothing of the live store code. It reuses migration 3's keyset3 and rebind3, frozen
// as well.

// migration10 is migration 10 for goose. Down empties the tables, so that up fills them
// again from the rows.
func migration10(postgres bool) *goose.Migration {
	return goose.NewGoMigration(10,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return backfillNames10(ctx, tx, postgres) }},
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			for _, t := range []string{"actor_names", "location_names", "source_names"} {
				if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
					return err
				}
			}
			return nil
		}})
}

// names10 is one entity's id and the names it is found by.
type names10 struct {
	id, name, slug string
	others         []string
}

// backfillNames10 writes the keys of every actor (name, slug, aliases), location (name,
// slug) and source (title, or the outlet when it has none; slug; outlet).
func backfillNames10(ctx context.Context, tx *sql.Tx, postgres bool) error {
	q := func(s string) string { return rebind3(s, postgres) }
	kinds := []struct {
		keyTable, keyColumn, query string
		scan                       func(*sql.Rows) (names10, error)
	}{
		{"actor_names", "actor_id", "SELECT id, name, slug, aliases FROM actors", func(rows *sql.Rows) (names10, error) {
			var n names10
			var aliases string
			if err := rows.Scan(&n.id, &n.name, &n.slug, &aliases); err != nil {
				return n, err
			}
			return n, json.Unmarshal([]byte(aliases), &n.others)
		}},
		{"location_names", "location_id", "SELECT id, name, slug FROM locations", func(rows *sql.Rows) (names10, error) {
			var n names10
			return n, rows.Scan(&n.id, &n.name, &n.slug)
		}},
		{"source_names", "source_id", "SELECT id, outlet, title, slug FROM sources", func(rows *sql.Rows) (names10, error) {
			var n names10
			var outlet, title string
			if err := rows.Scan(&n.id, &outlet, &title, &n.slug); err != nil {
				return n, err
			}
			n.name, n.others = title, []string{outlet}
			if strings.TrimSpace(title) == "" {
				n.name = outlet
			}
			return n, nil
		}},
	}
	for _, k := range kinds {
		err := keyset3(ctx, tx, q, k.query, func(rows *sql.Rows) (string, any, error) {
			n, err := k.scan(rows)
			return n.id, n, err
		}, func(batch []any) error {
			var args []any
			rows := 0
			flush := func() error {
				if rows == 0 {
					return nil
				}
				stmt := "INSERT INTO " + k.keyTable + " (" + k.keyColumn + ", term, field) VALUES " +
					strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", rows), ", ")
				_, err := tx.ExecContext(ctx, q(stmt), args...)
				args, rows = args[:0], 0
				return err
			}
			for _, b := range batch {
				n := b.(names10)
				for _, key := range nameKeys10(n.name, n.slug, n.others) {
					args = append(args, n.id, key.term, key.field)
					if rows++; rows == 1000 {
						if err := flush(); err != nil {
							return err
						}
					}
				}
			}
			return flush()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// key10 is one key and what it is of its entity: 0 the whole name, 1 the whole slug or
// another name, 2 a tail.
type key10 struct {
	term  string
	field int
}

// nameKeys10 is the key builder as migration 10 was released with: each name folded
// into words (nameWords10) joined by spaces, the whole strings first (name, slug,
// others), then the tails of each from its second word on (at most 10 per string), each
// key once with its lowest field, at most 500 keys, each cut to 1,000 bytes.
func nameKeys10(name, slug string, others []string) []key10 {
	type text struct {
		words []string
		field int
	}
	texts := []text{{nameWords10(name), 0}, {nameWords10(slug), 1}}
	for _, o := range others {
		texts = append(texts, text{nameWords10(o), 1})
	}
	best := map[string]int{}
	var order []string
	add := func(k string, field int) {
		if k = clipKey10(k); k == "" {
			return
		}
		if f, ok := best[k]; ok {
			best[k] = min(f, field)
			return
		}
		if len(order) < 500 {
			best[k] = field
			order = append(order, k)
		}
	}
	for _, t := range texts {
		add(strings.Join(t.words, " "), t.field)
	}
	for _, t := range texts {
		for i := 1; i < len(t.words) && i <= 10; i++ {
			add(strings.Join(t.words[i:], " "), 2)
		}
	}
	out := make([]key10, len(order))
	for i, k := range order {
		out[i] = key10{k, best[k]}
	}
	return out
}

// nameWords10 folds s (full case folding, NFKD, combining marks removed, NFC, the
// Latin letters without a decomposition replaced) and splits it into runs of letters,
// digits and marks.
func nameWords10(s string) []string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	f, _, err := transform.String(t, cases.Fold().String(s))
	if err != nil {
		f = strings.ToLower(s)
	}
	f = strings.NewReplacer("ł", "l", "đ", "d", "ø", "o", "æ", "ae", "œ", "oe", "ı", "i", "ħ", "h", "þ", "th").Replace(f)
	return strings.FieldsFunc(f, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
}

// clipKey10 cuts k to 1,000 bytes at a rune boundary.
func clipKey10(k string) string {
	if len(k) <= 1000 {
		return k
	}
	k = k[:1000]
	for !utf8.ValidString(k) {
		k = k[:len(k)-1]
	}
	return strings.TrimRight(k, " ")
}
