package storetest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// PgBouncerPoolSize is the number of server connections the test PgBouncer keeps to
// its database: small, so that parley's client connections really share them between
// transactions.
const PgBouncerPoolSize = 2

// PgBouncer is a pgbouncer process a test started in transaction pooling mode, in front
// of a database of the test's own on the server of PARLEY_TEST_POSTGRES_URL. Both go
// when the test ends.
type PgBouncer struct {
	// Database is the test's database; PgBouncer serves it under the same name.
	Database string
	// Port is PgBouncer's port on 127.0.0.1.
	Port int
	// direct is the test's database on the server itself, not through PgBouncer.
	direct string
	log    *SyncBuffer
	t      testing.TB
}

// URL is the database through PgBouncer, marked pool_mode=transaction for parley.
func (b *PgBouncer) URL() string { return b.PlainURL() + "&pool_mode=transaction" }

// PlainURL is the database through PgBouncer as any PostgreSQL client would name it.
func (b *PgBouncer) PlainURL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", b.Port, b.Database)
}

// DirectURL is the database on the server, not through PgBouncer (for migrations).
func (b *PgBouncer) DirectURL() string { return b.direct }

// Log is what PgBouncer has logged so far.
func (b *PgBouncer) Log() string { return b.log.String() }

// EachServer runs query, of one text value, on every server connection PgBouncer keeps to
// the database, and returns the values: PgBouncerPoolSize transactions at once, through
// PgBouncer, each holding a server connection of its own until all have answered.
func (b *PgBouncer) EachServer(query string) []string {
	b.t.Helper()
	db := b.client()
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var txs []*sql.Tx
	defer func() {
		for _, tx := range txs {
			_ = tx.Rollback()
		}
	}()
	var out []string
	for range PgBouncerPoolSize {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.t.Fatalf("begin through pgbouncer: %v", err)
		}
		txs = append(txs, tx)
		var v string
		if err := tx.QueryRowContext(ctx, query).Scan(&v); err != nil {
			b.t.Fatalf("%s through pgbouncer: %v", query, err)
		}
		out = append(out, v)
	}
	return out
}

// Exec runs a statement through PgBouncer, as a plain client in the simple protocol.
func (b *PgBouncer) Exec(ctx context.Context, query string) error {
	db := b.client()
	defer db.Close()
	_, err := db.ExecContext(ctx, query)
	return err
}

// client is a plain pool through PgBouncer that prepares nothing.
func (b *PgBouncer) client() *sql.DB {
	b.t.Helper()
	db, err := sql.Open("pgx", b.PlainURL()+"&default_query_exec_mode=simple_protocol")
	if err != nil {
		b.t.Fatal(err)
	}
	return db
}

// pgbouncerBin finds the pgbouncer binary (Debian installs it in /usr/sbin).
func pgbouncerBin() (string, error) {
	if p, err := exec.LookPath("pgbouncer"); err == nil {
		return p, nil
	}
	return exec.LookPath("/usr/sbin/pgbouncer")
}

// StartPgBouncer creates a database of the test's own on the server of
// PARLEY_TEST_POSTGRES_URL, with settings as its defaults (ALTER DATABASE … SET, e.g.
// "statement_timeout = '3s'": what an operator does for parley behind a transaction
// pooler), and starts PgBouncer on a free port in front of it with pool_mode=transaction,
// trust authentication and PgBouncerPoolSize server connections. It skips t with a
// message under -short, without PARLEY_TEST_POSTGRES_URL, or without the pgbouncer
// binary (Debian's package pgbouncer), which fails t under CI=true instead.
func StartPgBouncer(t testing.TB, settings ...string) *PgBouncer {
	t.Helper()
	if testing.Short() {
		t.Skip("starts PgBouncer: skipped with -short")
	}
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		t.Skipf("PgBouncer test skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run it", PostgresEnv)
	}
	bin, err := pgbouncerBin()
	if err != nil {
		skipOrFail(t, "pgbouncer is missing (Debian's package pgbouncer provides it): %v", err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}
	user := u.User.Username()
	if user == "" {
		user = "postgres"
	}

	b := &PgBouncer{Database: fmt.Sprintf("parley_pgb_%d_%d", os.Getpid(), nextSeq()), Port: freePort(t), log: &SyncBuffer{}, t: t}
	adm := adminDB(t, admin)
	if _, err := adm.Exec("CREATE DATABASE " + b.Database); err != nil {
		t.Fatalf("create database %s: %v", b.Database, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := adm.ExecContext(ctx, "DROP DATABASE IF EXISTS "+b.Database+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", b.Database, err)
		}
	})
	for _, s := range settings {
		if _, err := adm.Exec("ALTER DATABASE " + b.Database + " SET " + s); err != nil {
			t.Fatalf("ALTER DATABASE %s SET %s: %v", b.Database, s, err)
		}
	}
	d := *u
	d.Path = "/" + b.Database
	b.direct = d.String()

	dir := t.TempDir()
	ini := filepath.Join(dir, "pgbouncer.ini")
	users := filepath.Join(dir, "users.txt")
	conf := fmt.Sprintf(`[databases]
%[1]s = host=%[2]s port=%[3]s dbname=%[1]s user=%[4]s

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %[5]d
unix_socket_dir =
auth_type = trust
auth_file = %[6]s
admin_users = %[4]s
pool_mode = transaction
default_pool_size = %[7]d
min_pool_size = 0
reserve_pool_size = 0
max_db_connections = %[7]d
max_client_conn = 500
server_reset_query =
query_wait_timeout = 60
log_connections = 0
log_disconnections = 0
`, b.Database, host, port, user, b.Port, users, PgBouncerPoolSize)
	// Trust authentication still needs the user in the auth file.
	for path, text := range map[string]string{ini: conf, users: fmt.Sprintf("%q \"\"\n", user)} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil { // #nosec G306 -- the test's own config, read by pgbouncer's user
			t.Fatal(err)
		}
	}
	args := []string{ini}
	if os.Geteuid() == 0 {
		// PgBouncer refuses to run as root: it runs as postgres, which must read its config.
		args = append([]string{"-u", "postgres"}, args...)
		for _, p := range []string{dir, filepath.Dir(dir)} {
			if err := os.Chmod(p, 0o755); err != nil { // #nosec G302 -- a test's temporary directory, readable by pgbouncer's user
				t.Fatal(err)
			}
		}
	}
	cmd := exec.Command(bin, args...) // #nosec G204 -- the test's own pgbouncer and config
	cmd.Stdout, cmd.Stderr = b.log, b.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start pgbouncer: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		// SIGTERM is PgBouncer's immediate shutdown.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	b.waitReady(exited)
	return b
}

// waitReady waits until a query through PgBouncer is answered.
func (b *PgBouncer) waitReady(exited <-chan error) {
	b.t.Helper()
	db := b.client()
	defer db.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var one int
		err := db.QueryRow("SELECT 1").Scan(&one)
		if err == nil {
			return
		}
		select {
		case werr := <-exited:
			b.t.Fatalf("pgbouncer exited: %v\n%s", werr, b.Log())
		default:
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("pgbouncer on port %d did not answer: %v\n%s", b.Port, err, b.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// SyncBuffer collects output written from any goroutine (a process's, a logger's) for
// a test to read.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (l *SyncBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String is everything written so far.
func (l *SyncBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Clone(l.buf.String())
}
