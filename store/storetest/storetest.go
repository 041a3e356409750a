// Package storetest gives tests a freshly migrated store on every database parley
// supports: SQLite always, PostgreSQL when PARLEY_TEST_POSTGRES_URL is set. Each call
// gets its own empty database (a SQLite file, or a PostgreSQL schema dropped afterwards),
// so tests can run in parallel and assert exact contents.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for the admin connection
	"github.com/parley-api/parley/store"
)

// PostgresEnv names the variable holding an admin URL of a PostgreSQL server for tests.
const PostgresEnv = "PARLEY_TEST_POSTGRES_URL"

// Dialects lists the databases to run against; PostgreSQL is skipped with a message
// when no URL is set.
func Dialects() []store.Dialect { return []store.Dialect{store.SQLite, store.Postgres} }

// Each runs fn as a subtest per dialect with a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated store of dialect d, closed and dropped when t ends.
func Open(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	url := URL(t, d)
	s, err := store.Open(context.Background(), url, store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.MigrateUp(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return s
}

// URL returns the URL of a new empty database of dialect d (not migrated).
func URL(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "parley.db")
	}
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run them", PostgresEnv)
	}
	db := adminDB(t, admin)
	// A schema per test in the given database: as isolated as a database for parley's
	// unqualified tables, and created in milliseconds rather than a second.
	name := fmt.Sprintf("parley_t_%d_%d", os.Getpid(), nextSeq())
	if _, err := db.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = db.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
	})
	return withSearchPath(admin, name)
}

var (
	seqMu sync.Mutex
	seq   int
	admMu sync.Mutex
	adm   *sql.DB
)

func nextSeq() int {
	seqMu.Lock()
	defer seqMu.Unlock()
	seq++
	return seq
}

func adminDB(t testing.TB, url string) *sql.DB {
	admMu.Lock()
	defer admMu.Unlock()
	if adm == nil {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatalf("connect to %s: %v", PostgresEnv, err)
		}
		db.SetMaxOpenConns(2)
		if err := db.Ping(); err != nil {
			t.Fatalf("connect to %s: %v", PostgresEnv, err)
		}
		adm = db
	}
	return adm
}

// withSearchPath adds search_path=schema to a postgres:// URL; pgx passes it to the
// server as a run-time parameter of every connection.
func withSearchPath(url, schema string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}
