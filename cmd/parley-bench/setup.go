package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/bench"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// rareWord is written into the summary of one event in rareEvery, so that the search
// workloads have a rare term: each of the generator's 21 words is in a large share of
// the events.
const (
	rareWord  = "quorum"
	rareEvery = 1000
)

// env is a running benchmark: its databases, parley serving on loopback, the raw pool
// and the actors the workloads use.
type env struct {
	server           string // the admin URL
	dbName, impName  string
	dbURL, impURL    string
	st               *store.Store
	pool             *pgxpool.Pool
	httpSrv          *http.Server
	base             string // http://127.0.0.1:port
	client           *http.Client
	hot, hot2        string // the two actors in most events
	median, rare     string
	hotCount         int64
	ids              map[string][16]byte // actor ids by slug
	graphYear        int
	events           int
	importBundle     []byte // the import workload's bundle
	importEvents     int
	createdDatabases []string
	out              io.Writer // the report
}

// setup builds the environment; on error the returned env (if any) still needs close.
func setup(ctx context.Context, o *options, out io.Writer, logf func(string, ...any)) (*env, error) {
	admin, err := pgx.Connect(ctx, o.server)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", redact(o.server), err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	e := &env{server: o.server, events: o.events, graphYear: 2015, out: out}
	name := fmt.Sprintf("parley_bench_%d_%d", time.Now().Unix(), os.Getpid())
	e.dbName, e.impName = name, name+"_import"
	create := []string{e.dbName, e.impName}
	if o.database != "" {
		e.dbName, create = o.database, create[1:]
	}
	for _, db := range create {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize()); err != nil {
			return e, fmt.Errorf("create database %s: %w", db, err)
		}
		e.createdDatabases = append(e.createdDatabases, db)
	}
	if e.dbURL, err = withDatabase(o.server, e.dbName); err != nil {
		return e, err
	}
	if e.impURL, err = withDatabase(o.server, e.impName); err != nil {
		return e, err
	}
	fmt.Fprintf(out, "databases %s and %s on %s\n", e.dbName, e.impName, redact(o.server))

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	// The serving store: parley's defaults, with serve's statement timeout.
	e.st, err = store.Open(ctx, e.dbURL, store.Options{Logger: log, MaxOpenConns: poolSize, StatementTimeout: 30 * time.Second})
	if err != nil {
		return e, err
	}
	if _, err := e.st.MigrateUp(ctx); err != nil {
		return e, err
	}

	if o.database == "" {
		if err := e.load(ctx, o, out); err != nil {
			return e, err
		}
	}
	pcfg, err := pgxpool.ParseConfig(e.dbURL)
	if err != nil {
		return e, err
	}
	pcfg.MaxConns = poolSize
	pcfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	if e.pool, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
		return e, err
	}
	if o.database != "" {
		if err := e.pool.QueryRow(ctx, "SELECT count(*) FROM events").Scan(&e.events); err != nil {
			return e, err
		}
		fmt.Fprintf(out, "measuring %s: %d events\n", e.dbName, e.events)
	}
	if err := e.pickActors(ctx); err != nil {
		return e, err
	}
	fmt.Fprintf(out, "actors: hot %s (%d events), second %s, median %s, rare %s\n", e.hot, e.hotCount, e.hot2, e.median, e.rare)

	h, err := api.New(e.st, log, api.Options{
		RateLimit: 0, ClientConcurrency: 0, // every request comes from one address: no per-client bounds
		MaxInFlight: e.st.Stats().MaxOpenConnections, RequestTimeout: 30 * time.Second,
	})
	if err != nil {
		return e, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return e, err
	}
	e.base = "http://" + ln.Addr().String()
	e.httpSrv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = e.httpSrv.Serve(ln) }()
	e.client = &http.Client{Timeout: 5 * time.Minute}
	logf("parley serving at %s", e.base)

	// The import workload's bundle: another seed, so nothing in it is in the main database.
	e.importEvents = min(o.events/5, 100000)
	if o.selected("import-bundle") {
		b, _, err := generate(bench.GenOptions{Events: e.importEvents, Seed: o.seed + 1000}, false)
		if err != nil {
			return e, err
		}
		e.importBundle = b
	}
	return e, nil
}

// load generates the bundle, then imports it through parley's own import, timed alone.
func (e *env) load(ctx context.Context, o *options, out io.Writer) error {
	start := time.Now()
	bundle, lines, err := generate(bench.GenOptions{Events: o.events, Seed: o.seed}, true)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	fmt.Fprintf(out, "generated %d events (%d records, %.1f MB) in %.1fs\n", o.events, lines, float64(len(bundle))/1e6, time.Since(start).Seconds())
	start = time.Now()
	rep, err := importBundle(ctx, e.st, bundle)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	took := time.Since(start)
	fmt.Fprintf(out, "parley imported %d events (%d records) in %.1fs: %.0f events/s, %.0f records/s\n",
		rep.Counts["event"].Created, rep.Lines, took.Seconds(), float64(o.events)/took.Seconds(), float64(rep.Lines)/took.Seconds())
	return nil
}

// generate writes bench.Generate's records as a bundle; mark adds rareWord to one event
// summary in rareEvery.
func generate(opt bench.GenOptions, mark bool) ([]byte, int, error) {
	var buf bytes.Buffer
	bw := formats.NewBundleWriter(&buf)
	events, lines := 0, 0
	err := bench.Generate(opt, func(kind string, v any) error {
		if ev, ok := v.(*models.Event); ok && mark {
			events++
			if events%rareEvery == 0 {
				ev.Summary += " " + rareWord
			}
		}
		lines++
		return bw.Write(kind, v)
	})
	if err != nil {
		return nil, 0, err
	}
	if err := bw.Flush(); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), lines, nil
}

// importBundle imports a bundle through store.Import, as parley import does, and
// insists that every line went in.
func importBundle(ctx context.Context, st *store.Store, bundle []byte) (*store.ImportReport, error) {
	rd := formats.NewBundleReader(bufio.NewReaderSize(bytes.NewReader(bundle), 1<<20))
	next := func() (store.ImportRecord, error) {
		rec, err := rd.Next()
		if err != nil {
			return store.ImportRecord{}, err
		}
		return store.ImportRecord{Line: rec.Line, Kind: rec.Type, Entity: rec.Entity, Stated: rec.Stated, Err: rec.Err}, nil
	}
	rep, err := st.Import(store.WithAuthor(ctx, "parley-bench"), next, store.ImportOptions{Atomic: true})
	if err != nil {
		return nil, err
	}
	if !rep.Committed || len(rep.Problems) > 0 {
		return rep, fmt.Errorf("import not committed: %d problem(s), first %+v", len(rep.Problems), firstProblem(rep))
	}
	if rep.Counts["event"] == nil {
		return rep, errors.New("import created no events")
	}
	return rep, nil
}

func firstProblem(rep *store.ImportReport) any {
	if len(rep.Problems) == 0 {
		return nil
	}
	return rep.Problems[0]
}

// pickActors finds the actors of the list workloads from the participation counts.
func (e *env) pickActors(ctx context.Context) error {
	rows, err := e.pool.Query(ctx, `SELECT a.slug, a.id, count(*) FROM event_participants p JOIN actors a ON a.id = p.actor_id
		GROUP BY a.slug, a.id ORDER BY count(*) DESC, a.slug`)
	if err != nil {
		return err
	}
	type ac struct {
		slug string
		id   [16]byte
		n    int64
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ac, error) {
		var a ac
		return a, r.Scan(&a.slug, &a.id, &a.n)
	})
	if err != nil {
		return err
	}
	if len(list) < 3 {
		return fmt.Errorf("only %d actors take part in events", len(list))
	}
	e.ids = make(map[string][16]byte, len(list))
	for _, a := range list {
		e.ids[a.slug] = a.id
	}
	e.hot, e.hotCount, e.hot2 = list[0].slug, list[0].n, list[1].slug
	e.median, e.rare = list[len(list)/2].slug, list[len(list)-1].slug
	return nil
}

// close stops the server, closes the pools and drops the databases (unless keep).
func (e *env) close(ctx context.Context, keep bool, stderr io.Writer) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if e.httpSrv != nil {
		_ = e.httpSrv.Shutdown(ctx)
	}
	if e.pool != nil {
		e.pool.Close()
	}
	if e.st != nil {
		_ = e.st.Close()
	}
	if keep {
		fmt.Fprintf(stderr, "kept databases %s\n", strings.Join(e.createdDatabases, ", "))
		return
	}
	admin, err := pgx.Connect(ctx, e.server)
	if err != nil {
		fmt.Fprintf(stderr, "drop databases %v: %v\n", e.createdDatabases, err)
		return
	}
	defer admin.Close(ctx)
	for _, db := range e.createdDatabases {
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{db}.Sanitize()+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(stderr, "drop database %s: %v\n", db, err)
		}
	}
}

// withDatabase returns the server URL naming another database.
func withDatabase(server, db string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("--postgres: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("--postgres %q: want a postgres:// URL", redact(server))
	}
	u.Path = "/" + db
	return u.String(), nil
}

// redact hides a URL's password.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
