package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// An import on PostgreSQL writes its new rows with COPY rather than multi-row INSERTs.
// The rows are the ones the kinds' write paths build (insertNew and its hooks), so
// nothing about what a row holds is said twice: copyPool stands between GORM and the
// import's transaction and turns each plain multi-row INSERT GORM sends into one COPY
// of the same rows on the same connection. Measured on 20k events, the INSERTs of
// participants, sources, events and revisions took nine tenths of the import's time in
// the server, parsing and planning statements of thousands of parameters each time
// (plan_cache_mode is force_custom_plan); COPY parses nothing per row.

// copyPool is a gorm.ConnPool over a transaction (tx) on conn that sends plain multi-row
// INSERTs as COPY, and everything else as it is.
type copyPool struct {
	tx   gorm.ConnPool
	conn *sql.Conn
}

// copying is tx with its INSERTs sent as COPY on conn, the connection tx runs on.
func copying(tx *gorm.DB, conn *sql.Conn) *gorm.DB {
	out := tx.Session(&gorm.Session{Context: tx.Statement.Context})
	out.Statement.ConnPool = &copyPool{tx: tx.Statement.ConnPool, conn: conn}
	return out
}

// PrepareContext prepares on the transaction.
func (p *copyPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.tx.PrepareContext(ctx, query)
}

// ExecContext sends a plain multi-row INSERT as COPY, anything else as it is.
func (p *copyPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	table, cols, ok := plainInsert(query, len(args))
	if !ok {
		return p.tx.ExecContext(ctx, query, args...)
	}
	rows := make([][]any, len(args)/len(cols))
	for i := range rows {
		rows[i] = args[i*len(cols) : (i+1)*len(cols)]
	}
	var n int64
	err := p.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("store: COPY needs a pgx connection")
		}
		var err error
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(n), nil
}

// QueryContext queries on the transaction.
func (p *copyPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.tx.QueryContext(ctx, query, args...)
}

// QueryRowContext queries on the transaction.
func (p *copyPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.tx.QueryRowContext(ctx, query, args...)
}

// Commit commits the transaction: with it, GORM takes the pool for the transaction it
// is (a nested Transaction makes a savepoint, as on the transaction itself).
func (p *copyPool) Commit() error { return p.tx.(gorm.TxCommitter).Commit() }

// Rollback rolls the transaction back.
func (p *copyPool) Rollback() error { return p.tx.(gorm.TxCommitter).Rollback() }

// plainInsert recognises the INSERT GORM's PostgreSQL dialect writes for rows without
// database-made values: INSERT INTO "table" ("a","b") VALUES ($1,$2),($3,$4), with
// nargs parameters in order and nothing after them (no RETURNING, no ON CONFLICT). It
// returns the table and columns; anything else is not plain.
func plainInsert(query string, nargs int) (table string, cols []string, ok bool) {
	rest, found := strings.CutPrefix(query, `INSERT INTO "`)
	if !found {
		return "", nil, false
	}
	table, rest, found = strings.Cut(rest, `" (`)
	if !found || !identifier(table) {
		return "", nil, false
	}
	list, rest, found := strings.Cut(rest, `) VALUES `)
	if !found {
		return "", nil, false
	}
	for _, c := range strings.Split(list, ",") {
		name, quoted := strings.CutPrefix(c, `"`)
		name, closed := strings.CutSuffix(name, `"`)
		if !quoted || !closed || !identifier(name) {
			return "", nil, false
		}
		cols = append(cols, name)
	}
	if nargs == 0 || nargs%len(cols) != 0 || rest != placeholders(nargs/len(cols), len(cols)) {
		return "", nil, false
	}
	return table, cols, true
}

// placeholders is the VALUES list GORM writes for rows of cols parameters each.
func placeholders(rows, cols int) string {
	var b strings.Builder
	b.Grow(rows * cols * 6)
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// identifier reports whether s is a plain lower-case SQL name, as parley's tables and
// columns are.
func identifier(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
