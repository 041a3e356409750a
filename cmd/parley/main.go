// Command parley is the parley service and its tools: serve the API, run migrations,
// load the built-in dataset, import and export data, generate synthetic data, print
// the version.
//
//go:generate go run github.com/swaggo/swag/cmd/swag@v1.16.6 init -g server.go -d ../../api,../../handlers,../../models,../../store,../../formats -o ../../docs --overridesFile ../../.swaggo --outputTypes go,json --requiredByDefault
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/seed"
	"github.com/parley-api/parley/store"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRoot().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "parley:", err)
		stop()
		os.Exit(1)
	}
}

// config is what every command reads from flags and PARLEY_* variables (flags win).
type config struct {
	addr        string
	databaseURL string
	migrateURL  string
	logFormat   string
	logLevel    string
	seed        string
	replicas    []string
	replicaLag  time.Duration
	maxImport   int64
	publicRead  bool
	rateLimit   float64
	rateBurst   int
	cors        []string
	proxies     []string
	reqTimeout  time.Duration
	// stmtTimeout is serve's PostgreSQL statement_timeout; other commands run without one.
	stmtTimeout time.Duration
	clientConc  int
	queueWait   time.Duration
	pprofAddr   string
}

func newRoot() *cobra.Command {
	cfg := &config{}
	root := &cobra.Command{
		Use:           "parley",
		Short:         "parley: a REST service for diplomatic events",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return applyEnv(cmd.Flags())
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&cfg.databaseURL, "database-url", store.DefaultURL, "database URL: postgres://… or a SQLite path (env PARLEY_DATABASE_URL)")
	pf.StringVar(&cfg.migrateURL, "migrate-url", "", "direct postgres:// URL of the primary that migrations use; needed when --database-url leads through PgBouncer in transaction mode (pool_mode=transaction); empty: --database-url (env PARLEY_MIGRATE_URL)")
	pf.StringVar(&cfg.logFormat, "log-format", "json", "log format: json or text (env PARLEY_LOG_FORMAT)")
	pf.StringVar(&cfg.logLevel, "log-level", "info", "log level: debug, info, warn, error (env PARLEY_LOG_LEVEL)")
	pf.StringSliceVar(&cfg.replicas, "read-replica-urls", nil, "comma-separated PostgreSQL streaming replica URLs that serve the reads of lists, exports, statistics, the timeline, the graph and the changes feed (env PARLEY_READ_REPLICA_URLS)")
	pf.DurationVar(&cfg.replicaLag, "replica-max-lag", store.DefaultReplicaMaxLag, "a read replica further behind the primary than this is skipped until it catches up (env PARLEY_REPLICA_MAX_LAG)")
	root.AddCommand(serveCmd(cfg), migrateCmd(cfg), seedCmd(cfg), importCmd(cfg), exportCmd(cfg), keysCmd(cfg), genCmd(), versionCmd())
	return root
}

// applyEnv fills every flag not given on the command line from PARLEY_<FLAG_NAME>.
func applyEnv(fs *pflag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil {
			return
		}
		name := "PARLEY_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", name, e)
			}
		}
	})
	return err
}

func (c *config) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", c.logLevel, err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want json or text", c.logFormat)
}

// withStore runs fn with the configured logger and an open store, closed afterwards.
func (c *config) withStore(cmd *cobra.Command, fn func(ctx context.Context, st *store.Store, log *slog.Logger) error) error {
	ctx := cmd.Context()
	log, err := c.logger()
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, c.databaseURL, store.Options{Logger: log, ReadReplicas: c.replicas, ReplicaMaxLag: c.replicaLag,
		StatementTimeout: c.stmtTimeout, MigrateURL: c.migrateURL})
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(ctx, st, log)
}

// withMigratedStore is withStore with the schema brought up to date first.
func (c *config) withMigratedStore(cmd *cobra.Command, fn func(ctx context.Context, st *store.Store) error) error {
	return c.withStore(cmd, func(ctx context.Context, st *store.Store, _ *slog.Logger) error {
		if _, err := st.MigrateUp(ctx); err != nil {
			return err
		}
		return fn(ctx, st)
	})
}

func serveCmd(cfg *config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the API (migrates the database and, when it is empty, loads the built-in dataset)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cfg.withStore(cmd, func(ctx context.Context, st *store.Store, log *slog.Logger) error {
				// The handler first: a server that cannot be built (a kind without
				// handlers) stops before it writes to the database.
				h, err := api.New(st, log, api.Options{
					MaxImportBytes: cfg.maxImport, PrivateReads: !cfg.publicRead,
					RateLimit: cfg.rateLimit, RateBurst: cfg.rateBurst, CORSOrigins: cfg.cors,
					TrustedProxies: cfg.proxies, RequestTimeout: cfg.reqTimeout,
					ClientConcurrency: cfg.clientConc, MaxInFlight: st.Stats().MaxOpenConnections, QueueWait: cfg.queueWait,
				})
				if err != nil {
					return err
				}
				ln, err := api.Listen(cfg.addr)
				if err != nil {
					return err
				}
				defer ln.Close()
				n, err := st.MigrateUp(ctx)
				if err != nil {
					return err
				}
				log.Info("database ready", "dialect", st.Dialect(), "migrations_applied", n)
				if err := seedIfEmpty(ctx, cfg.seed, st, log); err != nil {
					return err
				}
				if cfg.pprofAddr != "" {
					if _, err := servePprof(ctx, cfg.pprofAddr, log); err != nil {
						return err
					}
				}
				return api.Serve(ctx, ln, h, log)
			})
		},
	}
	cmd.Flags().StringVar(&cfg.addr, "addr", ":8080", "listen address (env PARLEY_ADDR)")
	cmd.Flags().StringVar(&cfg.seed, "seed", "auto", "load the built-in dataset: auto (when the database is empty) or never (env PARLEY_SEED)")
	cmd.Flags().Int64Var(&cfg.maxImport, "max-import-bytes", api.DefaultMaxImportBytes, "cap on the body of POST /api/v1/import (env PARLEY_MAX_IMPORT_BYTES)")
	cmd.Flags().BoolVar(&cfg.publicRead, "public-read", true, "serve reads without a key; false makes them need a read key (env PARLEY_PUBLIC_READ)")
	cmd.Flags().Float64Var(&cfg.rateLimit, "rate-limit", 20, "requests per second per API key, or per client address without one; 0 turns limiting off (env PARLEY_RATE_LIMIT)")
	cmd.Flags().IntVar(&cfg.rateBurst, "rate-burst", 40, "requests a client may send at once before the rate applies (env PARLEY_RATE_BURST)")
	cmd.Flags().StringSliceVar(&cfg.cors, "cors-origins", nil, "browser origins allowed to call the API, comma-separated; * for any (env PARLEY_CORS_ORIGINS)")
	cmd.Flags().StringSliceVar(&cfg.proxies, "trusted-proxies", nil, "addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (env PARLEY_TRUSTED_PROXIES)")
	cmd.Flags().DurationVar(&cfg.reqTimeout, "request-timeout", 30*time.Second, "limit on each API request but export and import; its database work is cancelled (env PARLEY_REQUEST_TIMEOUT)")
	cmd.Flags().DurationVar(&cfg.stmtTimeout, "statement-timeout", 30*time.Second, "PostgreSQL statement_timeout of every statement the server runs (each page of an export too; imports lift it); 0 for none (env PARLEY_STATEMENT_TIMEOUT)")
	cmd.Flags().IntVar(&cfg.clientConc, "client-concurrency", 8, "API requests one client address may have running at once; more get 429; 0 for no bound (env PARLEY_CLIENT_CONCURRENCY)")
	cmd.Flags().StringVar(&cfg.pprofAddr, "pprof-addr", "", "serve Go's profiler (net/http/pprof) at /debug/pprof/ on this loopback address, e.g. 127.0.0.1:6060; off when empty (env PARLEY_PPROF_ADDR)")
	cmd.Flags().DurationVar(&cfg.queueWait, "queue-wait", api.DefaultQueueWait, "how long a request waits for a free database connection before a retryable 503 (env PARLEY_QUEUE_WAIT)")
	return cmd
}

// seedIfEmpty loads the built-in dataset into an empty database unless mode is never.
func seedIfEmpty(ctx context.Context, mode string, st *store.Store, log *slog.Logger) error {
	switch mode {
	case "never":
		return nil
	case "auto":
	default:
		return fmt.Errorf("seed %q: want auto or never", mode)
	}
	r, loaded, err := seed.LoadIfEmpty(ctx, st)
	if err != nil || !loaded {
		return err
	}
	log.Info("loaded the built-in dataset", "created", r.Created)
	return nil
}

func migrateCmd(cfg *config) *cobra.Command {
	cmd := &cobra.Command{
		Use:       "migrate up|down|status",
		Short:     "Apply, roll back (one step) or list the schema migrations",
		Args:      cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		ValidArgs: []string{"up", "down", "status"},
		RunE: func(cmd *cobra.Command, args []string) error {
			return cfg.withStore(cmd, func(ctx context.Context, st *store.Store, _ *slog.Logger) error {
				out := cmd.OutOrStdout()
				switch args[0] {
				case "up":
					n, err := st.MigrateUp(ctx)
					if err != nil {
						return err
					}
					fmt.Fprintf(out, "applied %d migration(s)\n", n)
				case "down":
					if err := st.MigrateDown(ctx); err != nil {
						return err
					}
					fmt.Fprintln(out, "rolled back one migration")
				case "status":
					list, err := st.MigrateStatus(ctx)
					if err != nil {
						return err
					}
					for _, m := range list {
						state := "pending"
						if m.Applied {
							state = "applied"
						}
						fmt.Fprintf(out, "%05d  %-8s %s\n", m.Version, state, m.Source)
					}
				}
				return nil
			})
		},
	}
	return cmd
}

func seedCmd(cfg *config) *cobra.Command {
	return &cobra.Command{
		Use:   "seed",
		Short: "Load the built-in dataset (idempotent: entities already present are left alone)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cfg.withMigratedStore(cmd, func(ctx context.Context, st *store.Store) error {
				r, err := seed.Load(ctx, st)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created %d, already present %d\n", r.Created, r.Skipped)
				return nil
			})
		},
	}
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "parley", buildVersion())
		},
	}
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "dev"
}
