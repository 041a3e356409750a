// Command parley-bench measures parley against the raw-SQL limit of each request, in one
// run (issue 11).
//
// It creates a database of its own on a PostgreSQL server, migrates it with parley's
// migrations, fills it with bench.Generate's synthetic data through parley's import (and
// reports how long that took), serves parley in-process on a loopback port, and then
// measures every workload twice over: parley answering over HTTP under a vegeta load at
// the highest rate a fixed number of workers can reach, and the minimal SQL that answers
// the same request run directly through a pgx pool by as many goroutines. The two sides
// alternate in rounds (parley, raw, parley, raw, …) so that drift in the machine's load
// affects both. The ratio parley/raw says how close parley comes to what the database
// alone can do.
//
// Usage:
//
//	go run ./cmd/parley-bench --events 20000 [--postgres URL] [--json FILE]
//	    [--clients 8,32] [--rounds 2] [--duration 3s] [--only list,search] [--keep]
//
// The server defaults to $PARLEY_TEST_POSTGRES_URL, else
// postgres://postgres@127.0.0.1:5432/postgres; the benchmark's databases are created
// beside that one and dropped at the end unless --keep is given. Every non-2xx answer of
// parley and every error of a raw query is counted and printed, and makes the command
// exit non-zero: a benchmark that measures error pages measures nothing.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "parley-bench:", err)
		os.Exit(1)
	}
}
