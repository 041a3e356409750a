package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parley-api/parley/bench"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/store"
)

// exportCopy streams every event as the NDJSON export writes it, in date order: the
// /events document with each participant's actor, the location, the sources and the
// statements (with their tags and sources) embedded. Each child table is aggregated
// once by event (hash joins), not looked up per event.
const exportCopy = `COPY (
WITH tg AS (SELECT event_id, json_agg(tag ORDER BY tag) AS j FROM event_tags GROUP BY event_id),
pa AS (SELECT p.event_id, json_agg(json_build_object('actor_id', p.actor_id, 'role', p.role, 'represents_id', p.represents_id,
    'actor', to_json(a)) ORDER BY p.position) AS j
  FROM event_participants p JOIN actors a ON a.id = p.actor_id GROUP BY p.event_id),
so AS (SELECT es.event_id, json_agg(es.source_id ORDER BY es.position) AS ids, json_agg(to_json(s) ORDER BY es.position) AS j
  FROM event_sources es JOIN sources s ON s.id = es.source_id GROUP BY es.event_id),
re AS (SELECT event_id, json_agg(json_build_object('type', type, 'event_id', related_id) ORDER BY type, related_id) AS j
  FROM event_relations GROUP BY event_id),
stt AS (SELECT statement_id, json_agg(tag ORDER BY tag) AS j FROM statement_tags GROUP BY statement_id),
sts AS (SELECT statement_id, json_agg(source_id ORDER BY position) AS j FROM statement_sources GROUP BY statement_id),
st AS (SELECT st.event_id, json_agg(json_build_object('id', st.id, 'version', st.version, 'created_at', st.created_at,
    'updated_at', st.updated_at, 'text', st.text, 'quote', st.quote, 'speaker_id', st.speaker_id, 'attribution', st.attribution,
    'date', json_build_object('edtf', st.date_edtf, 'start', st.date_start, 'end', st.date_end, 'precision', st.date_precision,
      'approximate', st.date_approximate, 'uncertain', st.date_uncertain),
    'medium', st.medium, 'language', st.language, 'event_id', st.event_id,
    'source_ids', COALESCE(sts.j, '[]'), 'tags', COALESCE(stt.j, '[]')) ORDER BY st.date_start, st.id) AS j
  FROM statements st LEFT JOIN sts ON sts.statement_id = st.id LEFT JOIN stt ON stt.statement_id = st.id
  WHERE st.event_id IS NOT NULL GROUP BY st.event_id)
SELECT json_build_object('id', e.id, 'version', e.version, 'created_at', e.created_at, 'updated_at', e.updated_at,
  'slug', e.slug, 'title', e.title, 'type', e.type, 'cameo_code', e.cameo_code, 'status', e.status,
  'date', json_build_object('edtf', e.date_edtf, 'start', e.date_start, 'end', e.date_end, 'precision', e.date_precision,
    'approximate', e.date_approximate, 'uncertain', e.date_uncertain),
  'location_id', e.location_id, 'summary', e.summary, 'parent_id', e.parent_id,
  'tags', COALESCE(tg.j, '[]'), 'participants', COALESCE(pa.j, '[]'), 'source_ids', COALESCE(so.ids, '[]'),
  'relations', COALESCE(re.j, '[]'), 'location', to_json(l), 'sources', so.j, 'statements', st.j)
FROM events e LEFT JOIN tg ON tg.event_id = e.id LEFT JOIN pa ON pa.event_id = e.id LEFT JOIN so ON so.event_id = e.id
  LEFT JOIN re ON re.event_id = e.id LEFT JOIN st ON st.event_id = e.id LEFT JOIN locations l ON l.id = e.location_id
ORDER BY e.date_start, e.id) TO STDOUT`

// lineCounter counts the bytes and lines written to it.
type lineCounter struct{ bytes, lines int64 }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.bytes += int64(len(p))
	c.lines += int64(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}

// measureExport exports every event as NDJSON from parley and by COPY, alternately, each
// round repeating whole exports until the round's duration has passed.
func (e *env) measureExport(ctx context.Context, o *options) (Result, error) {
	var parley, raw sample
	var pBytes, rBytes int64
	for range o.rounds {
		for _, side := range []struct {
			s   *sample
			b   *int64
			run func(context.Context, *lineCounter) error
		}{{&parley, &pBytes, e.exportParley}, {&raw, &rBytes, e.exportRaw}} {
			start := time.Now()
			for first := true; first || time.Since(start) < o.duration; first = false {
				if err := ctx.Err(); err != nil {
					return Result{}, err
				}
				var c lineCounter
				t0 := time.Now()
				err := side.run(ctx, &c)
				took := time.Since(t0)
				side.s.latencies = append(side.s.latencies, took)
				side.s.elapsed += took
				*side.b = c.bytes
				if err == nil && c.lines != int64(e.events) {
					err = fmt.Errorf("exported %d lines, want %d", c.lines, e.events)
				}
				if err != nil {
					side.s.fail(err.Error())
					break
				}
				side.s.ok += e.events
			}
		}
	}
	if pBytes > 0 && rBytes > 0 {
		fmt.Fprintf(e.out, "export: parley %.0f bytes/event, raw COPY %.0f bytes/event\n", float64(pBytes)/float64(e.events), float64(rBytes)/float64(e.events))
	}
	return result("export-ndjson", 1, &parley, &raw), nil
}

func (e *env) exportParley(ctx context.Context, c *lineCounter) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/api/v1/export?format=ndjson", nil)
	if err != nil {
		return err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("GET /api/v1/export: %s: %s", resp.Status, b)
	}
	_, err = io.Copy(c, resp.Body)
	return err
}

func (e *env) exportRaw(ctx context.Context, c *lineCounter) error {
	conn, err := e.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	_, err = conn.Conn().PgConn().CopyTo(ctx, c, exportCopy)
	return err
}

// importTables are the tables an import writes, emptied before each run.
const importTables = `actors, locations, sources, events, event_participants, event_relations, event_tags, event_sources,
	statements, statement_tags, statement_sources, revisions`

// rawImport is the SQL pipeline after the COPY of the bundle's lines into bench_stage:
// every entity, child row, search text and revision, by INSERT … SELECT.
const rawImport = `
INSERT INTO actors (id, version, created_at, updated_at, slug, name, kind, aliases, country, title, affiliation_id, external_ids)
SELECT (d->>'id')::uuid, (d->>'version')::bigint, (d->>'created_at')::timestamptz, (d->>'updated_at')::timestamptz, d->>'slug', d->>'name',
  d->>'kind', COALESCE(d->'aliases', '[]'), COALESCE(d->>'country', ''), COALESCE(d->>'title', ''), (d->>'affiliation_id')::uuid,
  COALESCE(d->'external_ids', '{}')
FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'actor') s;

INSERT INTO locations (id, version, created_at, updated_at, slug, name, country, admin_area, latitude, longitude, external_ids)
SELECT (d->>'id')::uuid, (d->>'version')::bigint, (d->>'created_at')::timestamptz, (d->>'updated_at')::timestamptz, d->>'slug', d->>'name',
  COALESCE(d->>'country', ''), COALESCE(d->>'admin_area', ''), (d->>'latitude')::float8, (d->>'longitude')::float8, COALESCE(d->'external_ids', '{}')
FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'location') s;

INSERT INTO sources (id, version, created_at, updated_at, slug, outlet, title, url, published_edtf, published_start, published_end,
  published_precision, published_approximate, published_uncertain, language)
SELECT (d->>'id')::uuid, (d->>'version')::bigint, (d->>'created_at')::timestamptz, (d->>'updated_at')::timestamptz, d->>'slug',
  COALESCE(d->>'outlet', ''), COALESCE(d->>'title', ''), COALESCE(d->>'url', ''), d->'published'->>'edtf', (d->'published'->>'start')::timestamptz,
  (d->'published'->>'end')::timestamptz, d->'published'->>'precision', (d->'published'->>'approximate')::boolean,
  (d->'published'->>'uncertain')::boolean, COALESCE(d->>'language', '')
FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'source') s;

INSERT INTO events (id, version, created_at, updated_at, slug, title, type, cameo_code, status, date_edtf, date_start, date_end,
  date_precision, date_approximate, date_uncertain, location_id, summary, parent_id, search_text)
SELECT (d->>'id')::uuid, (d->>'version')::bigint, (d->>'created_at')::timestamptz, (d->>'updated_at')::timestamptz, d->>'slug', d->>'title',
  d->>'type', COALESCE(d->>'cameo_code', ''), d->>'status', d->'date'->>'edtf', (d->'date'->>'start')::timestamptz, (d->'date'->>'end')::timestamptz,
  d->'date'->>'precision', (d->'date'->>'approximate')::boolean, (d->'date'->>'uncertain')::boolean, (d->>'location_id')::uuid,
  COALESCE(d->>'summary', ''), (d->>'parent_id')::uuid,
  btrim(lower(regexp_replace(concat_ws(' ', d->>'title', d->>'summary',
    (SELECT string_agg(x, ' ') FROM jsonb_array_elements_text(COALESCE(d->'tags', '[]')) x), st.txt), '[^[:alnum:]]+', ' ', 'g')))
FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'event') s
LEFT JOIN (SELECT doc->'data'->>'event_id' AS eid, string_agg(doc->'data'->>'text', ' ') AS txt FROM bench_stage
  WHERE doc->>'type' = 'statement' GROUP BY 1) st ON st.eid = d->>'id';

INSERT INTO event_participants (event_id, actor_id, role, represents_id, position, event_start, event_end)
SELECT (d->>'id')::uuid, (p->>'actor_id')::uuid, p->>'role', (p->>'represents_id')::uuid, o - 1,
  (d->'date'->>'start')::timestamptz, (d->'date'->>'end')::timestamptz
FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'event') s,
  jsonb_array_elements(COALESCE(d->'participants', '[]')) WITH ORDINALITY AS x(p, o);

INSERT INTO event_tags (event_id, tag)
SELECT DISTINCT (d->>'id')::uuid, t FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'event') s,
  jsonb_array_elements_text(COALESCE(d->'tags', '[]')) AS t;

INSERT INTO event_sources (event_id, source_id, position)
SELECT (d->>'id')::uuid, src::uuid, o - 1 FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'event') s,
  jsonb_array_elements_text(COALESCE(d->'source_ids', '[]')) WITH ORDINALITY AS x(src, o);

INSERT INTO event_relations (event_id, type, related_id)
SELECT (d->>'event_id')::uuid, d->>'type', (d->>'related_id')::uuid FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'relation') s
UNION
SELECT (d->>'id')::uuid, r->>'type', (r->>'event_id')::uuid FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'event') s,
  jsonb_array_elements(CASE jsonb_typeof(d->'relations') WHEN 'array' THEN d->'relations' ELSE '[]' END) AS r;

INSERT INTO statements (id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end,
  date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text)
SELECT (d->>'id')::uuid, (d->>'version')::bigint, (d->>'created_at')::timestamptz, (d->>'updated_at')::timestamptz, d->>'text',
  COALESCE((d->>'quote')::boolean, false), (d->>'speaker_id')::uuid, COALESCE(d->>'attribution', ''), d->'date'->>'edtf',
  (d->'date'->>'start')::timestamptz, (d->'date'->>'end')::timestamptz, d->'date'->>'precision', (d->'date'->>'approximate')::boolean,
  (d->'date'->>'uncertain')::boolean, COALESCE(d->>'medium', ''), COALESCE(d->>'language', ''), (d->>'event_id')::uuid,
  btrim(lower(regexp_replace(concat_ws(' ', d->>'text', d->>'attribution'), '[^[:alnum:]]+', ' ', 'g')))
FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'statement') s;

INSERT INTO statement_tags (statement_id, tag)
SELECT DISTINCT (d->>'id')::uuid, t FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'statement') s,
  jsonb_array_elements_text(COALESCE(d->'tags', '[]')) AS t;

INSERT INTO statement_sources (statement_id, source_id, position)
SELECT (d->>'id')::uuid, src::uuid, o - 1 FROM (SELECT doc->'data' AS d FROM bench_stage WHERE doc->>'type' = 'statement') s,
  jsonb_array_elements_text(COALESCE(d->'source_ids', '[]')) WITH ORDINALITY AS x(src, o);

INSERT INTO revisions (id, entity_type, entity_id, version, action, author, created_at, data)
SELECT gen_random_uuid(), doc->>'type', (doc->'data'->>'id')::uuid, (doc->'data'->>'version')::bigint, 'create', 'parley-bench',
  (doc->'data'->>'updated_at')::timestamptz, (doc->'data')::json
FROM bench_stage WHERE doc->>'type' IN ('actor', 'location', 'source', 'event', 'statement');
`

// measureImport imports the import bundle into the empty, migrated (so indexed) import
// database with parley's import and with the SQL pipeline, alternately, emptying the
// tables before each run.
func (e *env) measureImport(ctx context.Context, o *options) (Result, error) {
	return e.measureImportBy(ctx, o, "import-bundle", func(ctx context.Context, st *store.Store) error {
		_, err := importBundle(ctx, st, e.importBundle)
		return err
	})
}

// measureImportBulk is measureImport with parley's bulk import (store.ImportBulk: the
// secondary indexes and foreign keys built after the load) against the same SQL
// pipeline into the indexed schema: its ratio is how many times faster than the
// indexed limit a first load goes.
func (e *env) measureImportBulk(ctx context.Context, o *options) (Result, error) {
	return e.measureImportBy(ctx, o, "import-bulk", func(ctx context.Context, st *store.Store) error {
		rd := formats.NewBundleReader(bufio.NewReaderSize(bytes.NewReader(e.importBundle), 1<<20))
		next := func() (store.ImportRecord, error) {
			rec, err := rd.Next()
			if err != nil {
				return store.ImportRecord{}, err
			}
			return store.ImportRecord{Line: rec.Line, Kind: rec.Type, Entity: rec.Entity, Stated: rec.Stated, Err: rec.Err}, nil
		}
		rep, err := st.ImportBulk(store.WithAuthor(ctx, "parley-bench"), next, store.ImportOptions{Atomic: true})
		if err == nil && (!rep.Committed || len(rep.Problems) > 0) {
			err = fmt.Errorf("bulk import not committed: %d problem(s), first %+v", len(rep.Problems), firstProblem(rep))
		}
		return err
	})
}

// measureImportBy runs parley (importing with parleyRun) and the SQL pipeline
// alternately, each into the emptied import database, as workload name.
func (e *env) measureImportBy(ctx context.Context, o *options, name string, parleyRun func(context.Context, *store.Store) error) (Result, error) {
	if e.importBundle == nil {
		b, _, err := generate(bench.GenOptions{Events: e.importEvents, Seed: o.seed + 1000}, false)
		if err != nil {
			return Result{}, err
		}
		e.importBundle = b
	}
	st, err := store.Open(ctx, e.impURL, store.Options{MaxOpenConns: poolSize})
	if err != nil {
		return Result{}, err
	}
	defer st.Close()
	if _, err := st.MigrateUp(ctx); err != nil {
		return Result{}, err
	}
	conn, err := pgx.Connect(ctx, e.impURL)
	if err != nil {
		return Result{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// COPY's text format: a backslash is an escape, so the JSON's own are doubled.
	escaped := bytes.ReplaceAll(e.importBundle, []byte(`\`), []byte(`\\`))
	rawRun := func(ctx context.Context) error {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
		if _, err := tx.Exec(ctx, "CREATE TEMP TABLE bench_stage (doc jsonb) ON COMMIT DROP"); err != nil {
			return err
		}
		if _, err := conn.PgConn().CopyFrom(ctx, bytes.NewReader(escaped), "COPY bench_stage (doc) FROM STDIN"); err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		if _, err := tx.Exec(ctx, rawImport); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	var parley, raw sample
	for range o.rounds {
		for _, side := range []struct {
			s   *sample
			run func(context.Context) error
		}{{&parley, func(ctx context.Context) error { return parleyRun(ctx, st) }}, {&raw, rawRun}} {
			start := time.Now()
			for first := true; first || time.Since(start) < o.duration; first = false {
				if err := ctx.Err(); err != nil {
					return Result{}, err
				}
				if _, err := conn.Exec(ctx, "TRUNCATE "+importTables+" CASCADE"); err != nil {
					return Result{}, err
				}
				t0 := time.Now()
				err := side.run(ctx)
				took := time.Since(t0)
				side.s.latencies = append(side.s.latencies, took)
				side.s.elapsed += took
				if err == nil {
					err = e.checkImported(ctx, conn)
				}
				if err != nil {
					side.s.fail(err.Error())
					break
				}
				side.s.ok += e.importEvents
			}
		}
	}
	return result(name, 1, &parley, &raw), nil
}

// checkImported insists that the import database holds the whole bundle's events.
func (e *env) checkImported(ctx context.Context, conn *pgx.Conn) error {
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM events").Scan(&n); err != nil {
		return err
	}
	if n != e.importEvents {
		return fmt.Errorf("%d events imported, want %d", n, e.importEvents)
	}
	return nil
}
