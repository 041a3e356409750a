package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/parley-api/parley/bench"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/formats/gdelt"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/spf13/cobra"
)

func genCmd() *cobra.Command {
	var opt bench.GenOptions
	var out string
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Write a bundle of synthetic data (deterministic for a seed) to stdout or --out",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := cmd.OutOrStdout()
			if out != "" {
				f, err := os.Create(out) // #nosec G304 -- the CLI writes the file its user names
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			bw := formats.NewBundleWriter(w)
			p := startProgress("gen", 0)
			defer p.finish()
			if err := bench.Generate(opt, func(kind string, v any) error { p.row(); return bw.Write(kind, v) }); err != nil {
				return err
			}
			return bw.Flush()
		},
	}
	cmd.Flags().IntVar(&opt.Events, "events", 1000, "number of events")
	cmd.Flags().Uint64Var(&opt.Seed, "seed", 1, "random seed: the same seed gives the same bundle")
	cmd.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	return cmd
}

func importCmd(cfg *config) *cobra.Command {
	var (
		format              string
		dryRun, atomc, bulk bool
		cameo               []string
	)
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a bundle (or, with --format gdelt, a GDELT event file); - reads stdin",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, size, err := openInput(args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			return cfg.withMigratedStore(cmd, func(ctx context.Context, st *store.Store) error {
				ctx = store.WithAuthor(ctx, "import")
				p := startProgress("import", size)
				r := p.reader(bufio.NewReaderSize(in, 1<<20))
				var next func() (store.ImportRecord, error)
				var stop func()
				switch format {
				case "bundle":
					rd := formats.NewBundleReader(r)
					next = func() (store.ImportRecord, error) {
						rec, err := rd.Next()
						if err != nil {
							return store.ImportRecord{}, err
						}
						p.row()
						return store.ImportRecord{Line: rec.Line, Kind: rec.Type, Entity: rec.Entity, Stated: rec.Stated, Err: rec.Err}, nil
					}
				case "gdelt":
					find := func(slug string) (*models.Actor, error) { return st.ActorForImport(ctx, slug) }
					next, stop = gdeltRecords(ctx, r, gdelt.Options{CAMEO: cameo}, find, p, cmd.ErrOrStderr())
					defer stop()
				default:
					return fmt.Errorf("--format %q: want bundle or gdelt", format)
				}
				imp := st.Import
				if bulk {
					imp = st.ImportBulk
				}
				rep, err := imp(ctx, next, store.ImportOptions{DryRun: dryRun, Atomic: atomc})
				p.finish()
				if err != nil {
					return err
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
				if len(rep.Problems) > 0 && !rep.Committed && !rep.DryRun {
					return fmt.Errorf("%d line(s) rejected; nothing was imported", len(rep.Problems))
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "bundle", "input format: bundle or gdelt")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate against the database, write nothing")
	cmd.Flags().BoolVar(&atomc, "atomic", true, "all or nothing; --atomic=false keeps the good lines")
	cmd.Flags().BoolVar(&bulk, "bulk", false, "first load into an empty database: indexes and foreign keys are built after the rows, in the same transaction (refused if the database holds data)")
	cmd.Flags().StringSliceVar(&cameo, "cameo", []string{"03", "04", "05"}, "GDELT: CAMEO event code prefixes to keep")
	return cmd
}

// gdeltRecords turns the GDELT decoder's callbacks into the importer's pull: the decoder
// runs in a goroutine and hands over one record at a time. Actors go through a
// gdeltActorBook (find is the store's ActorForImport), so that each CAMEO code is one
// actor whose aliases grow with the names rows give it.
func gdeltRecords(ctx context.Context, r io.Reader, opt gdelt.Options, find func(string) (*models.Actor, error), p *progress, warn io.Writer) (func() (store.ImportRecord, error), func()) {
	book := newGDELTActorBook(find)
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan store.ImportRecord)
	errc := make(chan error, 1)
	skipped := 0
	go func() {
		defer close(ch)
		send := func(rec store.ImportRecord) error {
			select {
			case ch <- rec:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		errc <- gdelt.Decode(r, opt, func(g gdelt.Record) error {
			p.row()
			for i := range g.Actors {
				a, slug, err := book.resolve(&g.Actors[i])
				if err != nil {
					return err
				}
				retarget(&g.Event, g.Actors[i].Slug, slug)
				if a == nil {
					continue
				}
				if err := send(store.ImportRecord{Line: g.Line, Kind: "actor", Entity: a}); err != nil {
					return err
				}
			}
			if g.Location != nil {
				if err := send(store.ImportRecord{Line: g.Line, Kind: "location", Entity: g.Location}); err != nil {
					return err
				}
			}
			if g.Source != nil {
				if err := send(store.ImportRecord{Line: g.Line, Kind: "source", Entity: g.Source}); err != nil {
					return err
				}
			}
			return send(store.ImportRecord{Line: g.Line, Kind: "event", Entity: &g.Event})
		}, func(s gdelt.Skip) error {
			p.row()
			skipped++
			if skipped <= 20 {
				fmt.Fprintf(warn, "line %d skipped: %s\n", s.Line, s.Reason)
			}
			return nil
		})
	}()
	next := func() (store.ImportRecord, error) {
		rec, ok := <-ch
		if ok {
			return rec, nil
		}
		if err := <-errc; err != nil {
			return store.ImportRecord{}, err
		}
		if skipped > 20 {
			fmt.Fprintf(warn, "%d lines skipped in all\n", skipped)
		}
		return store.ImportRecord{}, io.EOF
	}
	return next, cancel
}

func openInput(name string) (io.ReadCloser, int64, error) {
	if name == "-" {
		return io.NopCloser(os.Stdin), 0, nil
	}
	f, err := os.Open(name) // #nosec G304 -- the CLI reads the file its user names
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

func exportCmd(cfg *config) *cobra.Command {
	var (
		format, entity, out string
		f                   store.EventFilter
		actors, types, tags []string
		from, to            string
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export events (--format " + strings.Join(formats.Names(formats.AtCLI), "|") + ") or everything (--format bundle) to stdout or --out",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			w := cmd.OutOrStdout()
			if out != "" {
				file, err := os.Create(out) // #nosec G304 -- the CLI writes the file its user names
				if err != nil {
					return err
				}
				// A full disk shows at Flush or Close: the export must fail, not exit 0
				// with a truncated file.
				defer func() { err = errors.Join(err, file.Close()) }()
				w = file
			}
			bw := bufio.NewWriterSize(w, 1<<20)
			defer func() { err = errors.Join(err, bw.Flush()) }()
			return cfg.withStore(cmd, func(ctx context.Context, st *store.Store, _ *slog.Logger) error {
				p := startProgress("export", 0)
				defer p.finish()
				if format == "bundle" {
					b := formats.NewBundleWriter(bw)
					if err := st.StreamBundle(ctx, func(kind string, v any) error { p.row(); return b.Write(kind, v) }); err != nil {
						return err
					}
					return b.Flush()
				}
				_, enc, err := formats.NewExporterAt(formats.AtCLI, format, entity)
				if err != nil {
					return err
				}
				f.Actors, f.Tags = actors, tags
				for _, t := range types {
					f.Types = append(f.Types, models.EventType(t))
				}
				for _, d := range []struct {
					s   string
					dst **models.Date
				}{{from, &f.From}, {to, &f.To}} {
					if d.s != "" {
						v, err := models.ParseDate(d.s)
						if err != nil {
							return err
						}
						*d.dst = &v
					}
				}
				if f.Sort == "" {
					f.Sort = "date"
				}
				f.Include = store.Include{Participants: true, Location: true, Statements: true, Sources: true}
				_, err = formats.Export(bw, enc, func(each func(*models.Event) error) error {
					return st.StreamEvents(ctx, f, each)
				}, func(int) { p.row() })
				return err
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", formats.Names(formats.AtCLI)[0], "bundle, "+strings.Join(formats.Names(formats.AtCLI), ", "))
	fl.StringVar(&entity, "entity", "", "csv only: events, participants or statements")
	fl.StringVar(&out, "out", "", "write to this file instead of stdout")
	fl.StringSliceVar(&actors, "actor", nil, "participant id or slug (repeatable)")
	fl.BoolVar(&f.MatchAll, "match-all", false, "all actors must take part")
	fl.StringSliceVar(&types, "type", nil, "event type (repeatable)")
	fl.StringSliceVar(&tags, "tag", nil, "tag (repeatable; all must be present)")
	fl.StringVar(&from, "from", "", "events overlapping from this date (EDTF)")
	fl.StringVar(&to, "to", "", "events overlapping up to this date (EDTF)")
	fl.StringVar(&f.Q, "q", "", "full-text search")
	fl.StringVar(&f.Sort, "sort", "date", "date, -date, updated or -updated")
	return cmd
}
