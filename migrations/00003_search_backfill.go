package migrations

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"unicode"

	"github.com/pressly/goose/v3"
	"golang.org/x/text/unicode/norm"
)

// Migration 3 fills search_text, added empty by migration 2, for the rows written before
// full-text search existed. Words are parley's, not the database's, so it is written in
// Go; like every released migration it is frozen: it holds its own copy of the tokeniser
// and of the statements it runs, as they were when it was released, and calls nothing of
// the live store code, so a fresh install gets the same result however that code moves on.

// migration3 is migration 3 for goose; postgres selects the PostgreSQL dialect's
// placeholders.
func migration3(postgres bool) *goose.Migration {
	return goose.NewGoMigration(3,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return backfillSearch3(ctx, tx, postgres) }},
		&goose.GoFunc{Mode: goose.TransactionEnabled})
}

// batch3 is how many rows migration 3 reads at a time.
const batch3 = 500

// backfillSearch3 sets each statement's search_text to the words of its text and
// attribution, and each event's to the words of its title, summary, tags (in tag order)
// and the text of its statements (by date_start, then id).
func backfillSearch3(ctx context.Context, tx *sql.Tx, postgres bool) error {
	q := func(s string) string { return rebind3(s, postgres) }
	setStatement, err := tx.PrepareContext(ctx, q("UPDATE statements SET search_text = ? WHERE id = ?"))
	if err != nil {
		return err
	}
	defer setStatement.Close()
	type statement struct{ id, text, attribution string }
	err = keyset3(ctx, tx, q, "SELECT id, text, attribution FROM statements", func(rows *sql.Rows) (string, any, error) {
		var s statement
		err := rows.Scan(&s.id, &s.text, &s.attribution)
		return s.id, s, err
	}, func(batch []any) error {
		for _, b := range batch {
			s := b.(statement)
			if _, err := setStatement.ExecContext(ctx, searchText3(s.text, s.attribution), s.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	setEvent, err := tx.PrepareContext(ctx, q("UPDATE events SET search_text = ? WHERE id = ?"))
	if err != nil {
		return err
	}
	defer setEvent.Close()
	type event struct{ id, title, summary string }
	return keyset3(ctx, tx, q, "SELECT id, title, summary FROM events", func(rows *sql.Rows) (string, any, error) {
		var e event
		err := rows.Scan(&e.id, &e.title, &e.summary)
		return e.id, e, err
	}, func(batch []any) error {
		// The batch holds every event whose id lies between its first and last, so one
		// range per table finds their tags and statements.
		first, last := batch[0].(event).id, batch[len(batch)-1].(event).id
		words := make(map[string][]string, len(batch))
		for _, b := range batch {
			e := b.(event)
			words[e.id] = []string{e.title, e.summary}
		}
		for _, part := range []string{
			"SELECT event_id, tag FROM event_tags WHERE event_id >= ? AND event_id <= ? ORDER BY event_id, tag",
			"SELECT event_id, text FROM statements WHERE event_id >= ? AND event_id <= ? ORDER BY event_id, date_start, id",
		} {
			rows, err := tx.QueryContext(ctx, q(part), first, last)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id, text string
				if err := rows.Scan(&id, &text); err != nil {
					_ = rows.Close()
					return err
				}
				if w, ok := words[id]; ok {
					words[id] = append(w, text)
				}
			}
			if err := rows.Close(); err != nil {
				return err
			}
			if err := rows.Err(); err != nil {
				return err
			}
		}
		for _, b := range batch {
			e := b.(event)
			if _, err := setEvent.ExecContext(ctx, searchText3(words[e.id]...), e.id); err != nil {
				return err
			}
		}
		return nil
	})
}

// keyset3 reads the rows of query (a SELECT with no WHERE whose first column is id) in id
// order, batch3 at a time, scanning each with scan and handing each batch to apply once
// its rows are closed (a connection runs one statement at a time).
func keyset3(ctx context.Context, tx *sql.Tx, q func(string) string, query string,
	scan func(*sql.Rows) (string, any, error), apply func([]any) error) error {
	after, first := "", true
	for {
		var (
			rows *sql.Rows
			err  error
		)
		if first {
			rows, err = tx.QueryContext(ctx, q(query+" ORDER BY id LIMIT "+strconv.Itoa(batch3)))
		} else {
			rows, err = tx.QueryContext(ctx, q(query+" WHERE id > ? ORDER BY id LIMIT "+strconv.Itoa(batch3)), after)
		}
		if err != nil {
			return err
		}
		var batch []any
		for rows.Next() {
			id, v, err := scan(rows)
			if err != nil {
				_ = rows.Close()
				return err
			}
			batch = append(batch, v)
			after = id
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		if err := apply(batch); err != nil {
			return err
		}
		if len(batch) < batch3 {
			return nil
		}
		first = false
	}
}

// rebind3 numbers the ? placeholders of s as $1, $2, … for PostgreSQL.
func rebind3(s string, postgres bool) string {
	if !postgres {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// searchText3 is the tokeniser as migration 3 was released with: the words of every
// part, joined by spaces, where a word is a run of letters, digits and combining marks,
// in NFC and lower case.
func searchText3(parts ...string) string {
	var words []string
	for _, p := range parts {
		p = strings.ToLower(norm.NFC.String(p))
		words = append(words, strings.FieldsFunc(p, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
		})...)
	}
	return strings.Join(words, " ")
}
