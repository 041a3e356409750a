package main

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/parley-api/parley/store"
)

// readWorkload is one GET request of parley beside the one SQL statement that answers it.
type readWorkload struct {
	name string
	// path is parley's request (under base); it may be filled in by prepare.
	path string
	sql  string
	args []any
	// counts are the JSON members of parley's answer whose lengths, summed, must equal the
	// raw statement's rows (capped at rowCap when it is > 0: a page statement reads one
	// row more, to know whether there is a next page).
	counts []string
	rowCap int
	// maxClients caps the concurrency of a workload whose raw statement reads every
	// event (the whole graph): more clients than cores only queue behind each other
	// past the request timeout. 0 is no cap.
	maxClients int
}

// A raw statement returns one row per item of parley's answer. The event document is
// the JSON /events gives an event: its columns, tags, participants, sources and relations.
const eventDoc = `json_build_object('id', e.id, 'version', e.version, 'created_at', e.created_at, 'updated_at', e.updated_at,
  'slug', e.slug, 'title', e.title, 'type', e.type, 'cameo_code', e.cameo_code, 'status', e.status,
  'date', json_build_object('edtf', e.date_edtf, 'start', e.date_start, 'end', e.date_end, 'precision', e.date_precision,
    'approximate', e.date_approximate, 'uncertain', e.date_uncertain),
  'location_id', e.location_id, 'summary', e.summary, 'parent_id', e.parent_id,
  'tags', COALESCE((SELECT json_agg(t.tag ORDER BY t.tag) FROM event_tags t WHERE t.event_id = e.id), '[]'),
  'participants', COALESCE((SELECT json_agg(json_build_object('actor_id', p.actor_id, 'role', p.role, 'represents_id', p.represents_id)
    ORDER BY p.position) FROM event_participants p WHERE p.event_id = e.id), '[]'),
  'source_ids', COALESCE((SELECT json_agg(s.source_id ORDER BY s.position) FROM event_sources s WHERE s.event_id = e.id), '[]'),
  'relations', COALESCE((SELECT json_agg(json_build_object('type', r.type, 'event_id', r.related_id) ORDER BY r.type, r.related_id)
    FROM event_relations r WHERE r.event_id = e.id), '[]'))`

// actorID is the actor of a statement: the raw side is given ids (looked up once at
// setup), where parley resolves the slug of each request with a query of its own, and
// its pool plans every statement for the values given (plan_cache_mode
// force_custom_plan): with the generator's skew, a generic plan of an actor's page
// sorts all of the top actor's events.
//
// Unlike parley's single-actor scan, the raw statements do not drop an actor's second
// role in one event (NOT EXISTS … d.role < k.role): bench.Generate never gives an actor
// two roles in one event, so the answers are the same.
const actorID = `$1::uuid`

// actorPage is one page of an actor's events, newest first (the single-actor scan).
const actorPage = `SELECT e.date_start, e.id, ` + eventDoc + `
FROM event_participants k JOIN events e ON e.id = k.event_id
WHERE k.actor_id = ` + actorID + `
ORDER BY k.event_start DESC, k.event_id DESC LIMIT 51`

// actorPage2 is the page after the row whose start and id are $2 and $3.
const actorPage2 = `SELECT e.date_start, e.id, ` + eventDoc + `
FROM event_participants k JOIN events e ON e.id = k.event_id
WHERE k.actor_id = ` + actorID + ` AND (k.event_start, k.event_id) < ($2, $3)
ORDER BY k.event_start DESC, k.event_id DESC LIMIT 51`

// bothActors is the newest page of the events two actors both took part in.
const bothActors = `SELECT e.date_start, e.id, ` + eventDoc + `
FROM events e
WHERE e.id IN (SELECT a.event_id FROM event_participants a JOIN event_participants b ON b.event_id = a.event_id
  WHERE a.actor_id = ` + actorID + ` AND b.actor_id = $2::uuid)
ORDER BY e.date_start DESC, e.id DESC LIMIT 51`

const searchByDate = `SELECT e.date_start, e.id, ` + eventDoc + `
FROM events e WHERE e.search_vector @@ websearch_to_tsquery('simple', $1)
ORDER BY e.date_start DESC, e.id DESC LIMIT 51`

const searchByRank = `SELECT r.rank, r.id, ` + eventDoc + `
FROM (SELECT e.id, ts_rank(e.search_vector, websearch_to_tsquery('simple', $1)) AS rank FROM events e
      WHERE e.search_vector @@ websearch_to_tsquery('simple', $1)
      ORDER BY rank DESC, e.id DESC LIMIT 51) r JOIN events e ON e.id = r.id
ORDER BY r.rank DESC, r.id DESC`

// actorEvents (a CTE) is each event of actor $1 once, with its month.
const actorEvents = `me AS (SELECT k.event_id, date_trunc('month', k.event_start AT TIME ZONE 'UTC') AS b
  FROM event_participants k WHERE k.actor_id = ` + actorID + ` GROUP BY k.event_id, b),
tot AS (SELECT b, count(*) AS n FROM me GROUP BY b)`

// monthly lays the totals (and grp's groups, when the statement has them) out over
// every month from the first to the last, empty months included.
const monthly = `SELECT to_char(g.b, 'YYYY-MM'), COALESCE(tot.n, 0)%s
FROM generate_series((SELECT min(b) FROM tot), (SELECT max(b) FROM tot), interval '1 month') AS g(b)
LEFT JOIN tot ON tot.b = g.b%s ORDER BY g.b`

var (
	statsMonth  = `WITH ` + actorEvents + " " + fmt.Sprintf(monthly, "", "")
	statsByType = `WITH ` + actorEvents + `, grp AS (SELECT b, json_object_agg(type, n) AS g FROM
  (SELECT me.b, e.type, count(*) AS n FROM me JOIN events e ON e.id = me.event_id GROUP BY me.b, e.type) x GROUP BY b) ` +
		fmt.Sprintf(monthly, ", grp.g", " LEFT JOIN grp ON grp.b = g.b")
	statsByCountry = `WITH ` + actorEvents + `, grp AS (SELECT b, json_object_agg(country, n) AS g FROM
  (SELECT me.b, ga.country, count(DISTINCT me.event_id) AS n FROM me JOIN event_participants gp ON gp.event_id = me.event_id
   JOIN actors ga ON ga.id = gp.actor_id AND ga.country <> '' GROUP BY me.b, ga.country) x GROUP BY b) ` +
		fmt.Sprintf(monthly, ", grp.g", " LEFT JOIN grp ON grp.b = g.b")
)

// timelineVis is what a vis item needs of an actor's first 500 events in date order:
// slug, title, dates, type, status, the location's name and the summary.
const timelineVis = `SELECT e.slug, e.title, e.date_edtf, e.date_start, e.date_end, e.date_precision, e.date_approximate,
  e.date_uncertain, e.type, e.status, l.name, e.summary
FROM event_participants k JOIN events e ON e.id = k.event_id LEFT JOIN locations l ON l.id = e.location_id
WHERE k.actor_id = ` + actorID + `
ORDER BY k.event_start, k.event_id LIMIT 501`

// network is the actor's co-participants with their actor, most shared first: as many
// as parley answers by default, and how many there are.
var network = `SELECT json_build_object('actor', to_json(a), 'shared_events', x.n, 'first_shared', x.f, 'last_shared', x.l, 'total', count(*) OVER ())
FROM (SELECT o.actor_id, count(DISTINCT me.event_id) AS n, min(me.event_start) AS f, max(me.event_start) AS l
      FROM event_participants me JOIN event_participants o ON o.event_id = me.event_id AND o.actor_id <> me.actor_id
      WHERE me.actor_id = ` + actorID + ` GROUP BY o.actor_id) x
JOIN actors a ON a.id = x.actor_id ORDER BY x.n DESC, a.slug LIMIT ` + strconv.Itoa(store.DefaultNetwork)

// graph is the co-participation graph of the events %s selects, nodes then links: the
// heaviest links parley answers by default, and their actors once links were cut.
var graph = `WITH ev AS (SELECT e.id FROM events e %s),
every_link AS (SELECT a.actor_id AS s, b.actor_id AS t, count(DISTINCT a.event_id) AS w
  FROM event_participants a JOIN event_participants b ON b.event_id = a.event_id AND a.actor_id < b.actor_id
  WHERE a.event_id IN (SELECT id FROM ev) GROUP BY a.actor_id, b.actor_id HAVING count(DISTINCT a.event_id) >= $1),
links AS (SELECT s, t, w, count(*) OVER () AS total FROM every_link ORDER BY w DESC, s, t LIMIT ` + strconv.Itoa(store.DefaultGraphEdges) + `),
nodes AS (SELECT p.actor_id AS id, count(DISTINCT p.event_id) AS n FROM event_participants p
  WHERE p.event_id IN (SELECT id FROM ev)
    AND (NOT EXISTS (SELECT 1 FROM links WHERE total > ` + strconv.Itoa(store.DefaultGraphEdges) + `) OR p.actor_id IN (SELECT s FROM links UNION SELECT t FROM links))
  GROUP BY p.actor_id)
(SELECT json_build_object('id', ac.id, 'slug', ac.slug, 'label', ac.name, 'kind', ac.kind, 'events', nodes.n)
 FROM nodes JOIN actors ac ON ac.id = nodes.id ORDER BY ac.slug)
UNION ALL
(SELECT json_build_object('source', s, 'target', t, 'value', w, 'total', total) FROM links ORDER BY w DESC, s, t)`

// readWorkloads lists the read workloads against this environment's data.
func (e *env) readWorkloads() []readWorkload {
	ev := func(q url.Values) string { return "/api/v1/events?" + q.Encode() }
	list := func(name, actor string) readWorkload {
		return readWorkload{name: name, path: ev(url.Values{"actor": {actor}}), sql: actorPage, args: []any{e.ids[actor]},
			counts: []string{"items"}, rowCap: 50}
	}
	search := func(name, q, sort string) readWorkload {
		w := readWorkload{name: name, path: ev(url.Values{"q": {q}, "sort": {sort}}), args: []any{q}, counts: []string{"items"}, rowCap: 50}
		w.sql = searchByDate
		if sort == "relevance" {
			w.sql = searchByRank
		}
		return w
	}
	stats := func(name, groupBy, sql string) readWorkload {
		q := url.Values{"interval": {"month"}, "actor": {e.hot}}
		if groupBy != "" {
			q.Set("group_by", groupBy)
		}
		return readWorkload{name: name, path: "/api/v1/stats/events?" + q.Encode(), sql: sql, args: []any{e.ids[e.hot]}, counts: []string{"buckets"}}
	}
	year := fmt.Sprint(e.graphYear)
	return []readWorkload{
		list("list-hot", e.hot),
		// The path and arguments of page 2 come from page 1 (prepare).
		{name: "list-hot-page2", sql: actorPage2, counts: []string{"items"}, rowCap: 50},
		list("list-median", e.median),
		list("list-rare", e.rare),
		{name: "list-two-hot-all", path: ev(url.Values{"actor": {e.hot, e.hot2}, "match": {"all"}}), sql: bothActors,
			args: []any{e.ids[e.hot], e.ids[e.hot2]}, counts: []string{"items"}, rowCap: 50},
		search("search-rare-date", rareWord, "-date"),
		search("search-rare-relevance", rareWord, "relevance"),
		search("search-common-date", "peace", "-date"),
		search("search-common-relevance", "peace", "relevance"),
		search("search-phrase-date", `"peace talks"`, "-date"),
		search("search-phrase-relevance", `"peace talks"`, "relevance"),
		search("search-exclusion-date", "peace -sanctions", "-date"),
		search("search-exclusion-relevance", "peace -sanctions", "relevance"),
		stats("stats-month-hot", "", statsMonth),
		stats("stats-month-hot-by-type", "type", statsByType),
		stats("stats-month-hot-by-country", "country", statsByCountry),
		{name: "timeline-vis-hot", path: "/api/v1/timeline?" + url.Values{"actor": {e.hot}, "format": {"vis"}}.Encode(),
			sql: timelineVis, args: []any{e.ids[e.hot]}, counts: []string{"items"}, rowCap: 500},
		{name: "network-hot", path: "/api/v1/actors/" + url.PathEscape(e.hot) + "/network", sql: network, args: []any{e.ids[e.hot]},
			counts: []string{"co_participants"}},
		{name: "graph-year", path: "/api/v1/graph?" + url.Values{"from": {year}, "to": {year}}.Encode(),
			sql:    fmt.Sprintf(graph, "WHERE e.date_end > $2 AND e.date_start < $3"),
			args:   []any{1, time.Date(e.graphYear, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(e.graphYear+1, 1, 1, 0, 0, 0, 0, time.UTC)},
			counts: []string{"nodes", "links"}},
		{name: "graph-min-weight-10", path: "/api/v1/graph?min_weight=10", sql: fmt.Sprintf(graph, ""), args: []any{10},
			counts: []string{"nodes", "links"}, maxClients: 2},
	}
}
