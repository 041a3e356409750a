package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Cluster is a PostgreSQL cluster a test made with Debian's postgresql-common tools
// (pg_createcluster), listening on 127.0.0.1 with trust authentication, dropped when the
// test ends.
type Cluster struct {
	Version, Name string
	Port          int
	t             testing.TB
}

// URL is the cluster's postgres database as user postgres.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Port)
}

// Exec runs SQL statements on the cluster's postgres database.
func (c *Cluster) Exec(sqls ...string) {
	c.t.Helper()
	db, err := sql.Open("pgx", c.URL())
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	for _, s := range sqls {
		if _, err := db.Exec(s); err != nil {
			c.t.Fatalf("%s on %s: %v", s, c.Name, err)
		}
	}
}

// QueryInt64 runs a query of one integer on the cluster.
func (c *Cluster) QueryInt64(q string) int64 {
	c.t.Helper()
	db, err := sql.Open("pgx", c.URL())
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(q).Scan(&n); err != nil {
		c.t.Fatalf("%s on %s: %v", q, c.Name, err)
	}
	return n
}

// Stop stops the cluster (fast shutdown).
func (c *Cluster) Stop() {
	c.t.Helper()
	pgTool(c.t, "pg_ctlcluster", c.Version, c.Name, "stop", "-m", "fast")
}

// Start starts the cluster and waits until it accepts connections.
func (c *Cluster) Start() {
	c.t.Helper()
	pgTool(c.t, "pg_ctlcluster", c.Version, c.Name, "start")
	c.waitReady()
}

func (c *Cluster) waitReady() {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		db, err := sql.Open("pgx", c.URL())
		if err == nil {
			err = db.Ping()
			_ = db.Close()
		}
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("cluster %s on port %d did not start: %v", c.Name, c.Port, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// NeedClusterTools skips t unless this machine can make PostgreSQL clusters of its
// own: Debian's pg_createcluster and pg_basebackup on PATH, run by root or postgres, and
// not -short (making clusters takes seconds). Under CI=true a missing tool fails t
// instead: CI has them, and a test that silently skips there proves nothing.
func NeedClusterTools(t testing.TB) (version string) {
	t.Helper()
	if testing.Short() {
		t.Skip("makes its own PostgreSQL clusters: skipped with -short")
	}
	for _, tool := range []string{"pg_createcluster", "pg_ctlcluster", "pg_dropcluster", "pg_basebackup"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, "%s is missing (Debian's postgresql and postgresql-common packages provide it): %v", tool, err)
		}
	}
	if os.Geteuid() != 0 {
		if u, err := user.Current(); err != nil || u.Username != "postgres" {
			skipOrFail(t, "making PostgreSQL clusters with Debian's tools needs root or the postgres user")
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(dirs) == 0 {
		skipOrFail(t, "no PostgreSQL server binaries under /usr/lib/postgresql")
	}
	slices.Sort(dirs)
	return filepath.Base(filepath.Dir(filepath.Dir(dirs[len(dirs)-1])))
}

// skipOrFail skips t with the message, or fails it under CI=true.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if v := strings.ToLower(os.Getenv("CI")); v != "" && v != "false" && v != "0" {
		t.Fatalf("CI=true and the test cannot run: "+format, args...)
	}
	t.Skipf(format, args...)
}

var clusterSeq atomic.Int64

// NewCluster creates and starts a cluster of the given major version on a free port,
// with trust authentication for every local and 127.0.0.1 connection, replication too.
// It is stopped and dropped when t ends.
func NewCluster(t testing.TB, version string, conf ...string) *Cluster {
	t.Helper()
	c := newCluster(t, version, conf...)
	c.Start()
	return c
}

func newCluster(t testing.TB, version string, conf ...string) *Cluster {
	t.Helper()
	c := &Cluster{Version: version, Name: fmt.Sprintf("parleytest-%d-%d", os.Getpid(), clusterSeq.Add(1)), Port: freePort(t), t: t}
	pgTool(t, "pg_createcluster", append([]string{version, c.Name, "-p", fmt.Sprint(c.Port)}, flagsOf(conf)...)...)
	t.Cleanup(func() {
		out, err := exec.Command("pg_dropcluster", "--stop", version, c.Name).CombinedOutput() // #nosec G204 -- the test's own cluster, named by the test
		if err != nil {
			t.Logf("pg_dropcluster %s: %v: %s", c.Name, err, out)
		}
	})
	// Trust every connection this test makes (the cluster is its own, on loopback).
	hba := fmt.Sprintf("/etc/postgresql/%s/%s/pg_hba.conf", version, c.Name)
	rules := "local all all trust\nlocal replication all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n"
	if err := os.WriteFile(hba, []byte(rules), 0o640); err != nil { // #nosec G306 -- the cluster's own config
		t.Fatalf("write %s: %v", hba, err)
	}
	return c
}

func flagsOf(conf []string) []string {
	var out []string
	for _, o := range conf {
		out = append(out, "-o", o)
	}
	return out
}

// StreamingReplica creates a primary cluster and a hot standby streaming from it, made
// with pg_basebackup -R, and waits until the standby has replayed the primary's WAL.
func StreamingReplica(t testing.TB) (primary, standby *Cluster) {
	t.Helper()
	version := NeedClusterTools(t)
	primary = NewCluster(t, version, "wal_level=replica", "max_wal_senders=5")
	standby = newCluster(t, version, "hot_standby=on")
	data := fmt.Sprintf("/var/lib/postgresql/%s/%s", version, standby.Name)
	runAsPostgres(t, "sh", "-c", "rm -rf "+data+"/*") // #nosec G204 -- the test's own cluster
	runAsPostgres(t, "pg_basebackup", "-h", "127.0.0.1", "-p", fmt.Sprint(primary.Port), "-U", "postgres",
		"-D", data, "-R", "-X", "stream", "-c", "fast")
	standby.Start()
	WaitReplayed(t, primary, standby)
	return primary, standby
}

// WaitReplayed waits until standby has replayed the WAL primary had written when called.
func WaitReplayed(t testing.TB, primary, standby *Cluster) {
	t.Helper()
	target := primary.QueryInt64("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")
	deadline := time.Now().Add(30 * time.Second)
	for standby.QueryInt64("SELECT COALESCE((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, 0)") < target {
		if time.Now().After(deadline) {
			t.Fatalf("standby %s did not replay up to %d in 30s", standby.Name, target)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pgTool runs one of postgresql-common's tools (they switch to the cluster's owner).
func pgTool(t testing.TB, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput() // #nosec G204 -- test tooling
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// runAsPostgres runs a command as the postgres user (directly when the test is it).
func runAsPostgres(t testing.TB, name string, args ...string) {
	t.Helper()
	if os.Geteuid() == 0 {
		args = append([]string{"-u", "postgres", "--", name}, args...)
		name = "runuser"
	}
	pgTool(t, name, args...)
}

// freePort returns a TCP port on 127.0.0.1 nothing listens on right now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
