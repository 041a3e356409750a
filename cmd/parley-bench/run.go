package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// defaultServer is the PostgreSQL server used without --postgres and
// PARLEY_TEST_POSTGRES_URL.
const defaultServer = "postgres://postgres@127.0.0.1:5432/postgres"

// poolSize is the connection pool of both sides: parley's store (its default) and the
// raw pgx pool, so that neither has more database connections to work with.
const poolSize = 20

// options are the command's flags.
type options struct {
	events   int
	server   string
	jsonOut  string
	clients  []int
	rounds   int
	duration time.Duration
	only     []string
	keep     bool
	database string // an existing, loaded database to measure instead of generating one
	seed     uint64
	timeout  time.Duration
	verbose  bool
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("parley-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	server := os.Getenv("PARLEY_TEST_POSTGRES_URL")
	if server == "" {
		server = defaultServer
	}
	var clients, only string
	fs.IntVar(&o.events, "events", 20000, "events to generate")
	fs.StringVar(&o.server, "postgres", server, "PostgreSQL server URL; the benchmark creates and drops its own databases there (default: $PARLEY_TEST_POSTGRES_URL, else "+defaultServer+")")
	fs.StringVar(&o.jsonOut, "json", "", "also write the results to this file as a JSON array")
	fs.StringVar(&clients, "clients", "8", "comma-separated concurrencies: vegeta workers and raw goroutines (e.g. 8,32)")
	fs.IntVar(&o.rounds, "rounds", 2, "rounds per side and workload, interleaved parley/raw/parley/raw")
	fs.DurationVar(&o.duration, "duration", 3*time.Second, "length of one round of a read workload (export and import repeat whole runs until it has passed)")
	fs.StringVar(&only, "only", "", "comma-separated substrings: run only the workloads whose name contains one")
	fs.BoolVar(&o.keep, "keep", false, "keep the benchmark's databases instead of dropping them")
	fs.StringVar(&o.database, "database", "", "measure this existing database on the server (loaded beforehand, e.g. by bench/load100k.sql scaled up) instead of generating and importing --events; it is migrated, never dropped")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed")
	fs.DurationVar(&o.timeout, "timeout", 60*time.Minute, "give up after this long")
	fs.BoolVar(&o.verbose, "v", false, "log progress and the checks of each workload")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.events < 100 {
		return nil, errors.New("--events must be at least 100")
	}
	if o.rounds < 1 {
		return nil, errors.New("--rounds must be at least 1")
	}
	if o.duration <= 0 {
		return nil, errors.New("--duration must be positive")
	}
	for _, s := range strings.Split(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("--clients %q: want positive integers up to 1024", clients)
		}
		o.clients = append(o.clients, n)
	}
	for _, s := range strings.Split(only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			o.only = append(o.only, s)
		}
	}
	return o, nil
}

// selected reports whether --only lets the workload run.
func (o *options) selected(name string) bool {
	if len(o.only) == 0 {
		return true
	}
	for _, s := range o.only {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// Result is one row of the report, as the --json array holds it. For export and import
// the rates are events per second, for the reads requests per second; p50 and p99 are
// parley's latencies (for export and import, of one whole run).
type Result struct {
	Workload  string  `json:"workload"`
	Clients   int     `json:"clients"`
	ParleyRPS float64 `json:"parley_rps"`
	RawRPS    float64 `json:"raw_rps"`
	Ratio     float64 `json:"ratio"`
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`
	// Errors counts parley's non-2xx answers and failed requests, and failed raw queries.
	Errors int `json:"errors"`
	// FirstError is the first of them, for the report.
	FirstError string `json:"first_error,omitempty"`
}

// run is the whole command, separate from main so that the test can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	logf := func(format string, a ...any) {
		if o.verbose {
			fmt.Fprintf(stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
		}
	}
	env, err := setup(ctx, o, stdout, logf)
	if env != nil {
		defer env.close(ctx, o.keep, stderr)
	}
	if err != nil {
		return err
	}
	var results []Result
	for _, c := range o.clients {
		for _, w := range env.readWorkloads() {
			if !o.selected(w.name) {
				continue
			}
			logf("%s, %d clients", w.name, c)
			r, err := env.measureRead(ctx, w, c, o)
			if err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			results = append(results, r)
		}
	}
	if o.selected("export-ndjson") {
		logf("export-ndjson")
		r, err := env.measureExport(ctx, o)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		results = append(results, r)
	}
	if o.selected("import-bundle") {
		logf("import-bundle")
		r, err := env.measureImport(ctx, o)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		results = append(results, r)
	}
	if o.selected("import-bulk") {
		logf("import-bulk")
		r, err := env.measureImportBulk(ctx, o)
		if err != nil {
			return fmt.Errorf("import-bulk: %w", err)
		}
		results = append(results, r)
	}
	printTable(stdout, results)
	if o.jsonOut != "" {
		b, err := json.MarshalIndent(results, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonOut, append(b, '\n'), 0o600); err != nil { // #nosec G703 -- --json names the file the operator asked for
			return err
		}
	}
	failed := 0
	for _, r := range results {
		failed += r.Errors
	}
	if failed > 0 {
		return fmt.Errorf("%d request(s) or queries failed: the measurements above are not valid", failed)
	}
	return nil
}

// printTable writes the report: one row per workload and concurrency.
func printTable(w io.Writer, results []Result) {
	fmt.Fprintf(w, "\n%-28s %7s %12s %12s %7s %9s %9s %6s\n", "workload", "clients", "parley/s", "raw/s", "ratio", "p50 ms", "p99 ms", "errors")
	for _, r := range results {
		fmt.Fprintf(w, "%-28s %7d %12.1f %12.1f %7.3f %9.2f %9.2f %6d\n", r.Workload, r.Clients, r.ParleyRPS, r.RawRPS, r.Ratio, r.P50ms, r.P99ms, r.Errors)
	}
	for _, r := range results {
		if r.FirstError != "" {
			fmt.Fprintf(w, "%s (%d clients): %d error(s), first: %s\n", r.Workload, r.Clients, r.Errors, r.FirstError)
		}
	}
	fmt.Fprintln(w, "(export and import rows are events/s; p50/p99 are parley's, per request or per whole run)")
}
