package store

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/parley-api/parley/models"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// Full-text search works the same on both databases because parley, not the database,
// decides what a word is: searchWords splits text into lower-cased words, the rows keep
// those words in search_text, and queries are parsed here and handed to PostgreSQL
// (websearch_to_tsquery over a tsvector) or SQLite (FTS5 MATCH) already tokenised.

// MaxQueryLen caps a search query.
const MaxQueryLen = 500

// searchWords splits s into words: runs of letters, digits and combining marks, in NFC
// and lower case. "Zelensky's long-term" gives [zelensky s long term].
func searchWords(s string) []string {
	s = strings.ToLower(norm.NFC.String(s))
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
}

// searchText joins the words of every part into the text a row's search_text holds.
func searchText(parts ...string) string {
	var words []string
	for _, p := range parts {
		words = append(words, searchWords(p)...)
	}
	return strings.Join(words, " ")
}

// searchQuery is a parsed query: alternatives (joined by "or"), each a conjunction of
// required terms and excluded terms. A term is one word or a quoted phrase of words.
type searchQuery struct {
	groups []searchGroup
}

type searchGroup struct {
	must, not [][]string // each term is its words; len > 1 is a phrase
}

// parseSearch reads the web-search syntax that PostgreSQL's websearch_to_tsquery
// defines: words (all required), "quoted phrases", -excluded words or phrases, and "or"
// between alternatives. Every alternative needs at least one required term, since FTS5
// cannot express a pure negation.
func parseSearch(q string) (*searchQuery, error) {
	bad := func(msg string) error {
		return &models.Error{Code: models.EINVALID, Message: "invalid request parameters",
			Fields: []models.FieldError{{Field: "q", Message: msg}}}
	}
	if len(q) > MaxQueryLen {
		return nil, bad("must be at most " + strconv.Itoa(MaxQueryLen) + " bytes")
	}
	var (
		out searchQuery
		cur searchGroup
	)
	flush := func() error {
		if len(cur.must) == 0 && len(cur.not) == 0 {
			return nil
		}
		if len(cur.must) == 0 {
			return bad("an alternative with only -excluded terms matches nothing to exclude from; add a word")
		}
		out.groups = append(out.groups, cur)
		cur = searchGroup{}
		return nil
	}
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		}
		neg := false
		if c == '-' {
			neg = true
			i++
			if i >= len(q) {
				break
			}
			c = q[i]
		}
		var raw string
		quoted := false
		if c == '"' {
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				raw, i = q[i+1:], len(q)
			} else {
				raw, i = q[i+1:i+1+end], i+2+end
			}
			quoted = true
		} else {
			j := i
			for j < len(q) && q[j] != ' ' && q[j] != '\t' && q[j] != '\n' && q[j] != '\r' && q[j] != '"' {
				j++
			}
			raw, i = q[i:j], j
		}
		if !quoted && !neg && strings.EqualFold(raw, "or") {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		words := searchWords(raw)
		if len(words) == 0 {
			continue
		}
		// An unquoted "long-term" holds several words: kept as one term, like
		// websearch_to_tsquery, they must appear together.
		if neg {
			cur.not = append(cur.not, words)
		} else {
			cur.must = append(cur.must, words)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(out.groups) == 0 {
		return nil, bad("has no words to search for")
	}
	return &out, nil
}

// websearch renders the query for PostgreSQL's websearch_to_tsquery: every term quoted,
// so words like "or" stay words.
func (q *searchQuery) websearch() string {
	var b strings.Builder
	for gi, g := range q.groups {
		if gi > 0 {
			b.WriteString(" or ")
		}
		for i, t := range g.must {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(`"` + strings.Join(t, " ") + `"`)
		}
		for _, t := range g.not {
			b.WriteString(` -"` + strings.Join(t, " ") + `"`)
		}
	}
	return b.String()
}

// fts5 renders the query for SQLite's FTS5 MATCH, with the same meaning.
func (q *searchQuery) fts5() string {
	var b strings.Builder
	for gi, g := range q.groups {
		if gi > 0 {
			b.WriteString(" OR ")
		}
		b.WriteByte('(')
		for i, t := range g.must {
			if i > 0 {
				b.WriteString(" AND ")
			}
			b.WriteString(`"` + strings.Join(t, " ") + `"`)
		}
		for _, t := range g.not {
			b.WriteString(` NOT "` + strings.Join(t, " ") + `"`)
		}
		b.WriteByte(')')
	}
	return b.String()
}

// matchCondition is the WHERE clause selecting rows of table ("events" or "statements")
// that match q.
func matchCondition(db *gorm.DB, table string, q *searchQuery) (string, []any) {
	if db.Dialector.Name() == "postgres" {
		return table + ".search_vector @@ websearch_to_tsquery('simple', ?)", []any{q.websearch()}
	}
	return table + ".rowid IN (SELECT rowid FROM " + table + "_fts WHERE " + table + "_fts MATCH ?)", []any{q.fts5()}
}

// rankedTable is a FROM source with the rows of table that match q and a rank column,
// higher for better matches: ts_rank on PostgreSQL, the negated bm25 on SQLite.
func rankedTable(db *gorm.DB, table string, q *searchQuery) *gorm.DB {
	var sub *gorm.DB
	if db.Dialector.Name() == "postgres" {
		sub = db.Session(&gorm.Session{NewDB: true}).Table(table).
			Select(table+".*, ts_rank("+table+".search_vector, websearch_to_tsquery('simple', ?)) AS rank", q.websearch()).
			Where(table+".search_vector @@ websearch_to_tsquery('simple', ?)", q.websearch())
	} else {
		sub = db.Session(&gorm.Session{NewDB: true}).Table(table).
			Select(table+".*, -bm25("+table+"_fts) AS rank").
			Joins("JOIN "+table+"_fts ON "+table+"_fts.rowid = "+table+".rowid").
			Where(table+"_fts MATCH ?", q.fts5())
	}
	return db.Table("(?) AS "+table, sub)
}

// refreshEventSearch recomputes search_text of the given events (ignoring zero ids):
// title, summary, tags and the text of the statements about each, in a fixed number
// of statements per insertBatch events.
func refreshEventSearch(tx *gorm.DB, ids ...models.ID) error {
	seen := map[models.ID]bool{}
	uniq := make([]models.ID, 0, len(ids))
	for _, id := range ids {
		if !id.IsZero() && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	for chunk := range slices.Chunk(uniq, insertBatch) {
		var evs []struct {
			ID             models.ID
			Title, Summary string
		}
		if err := tx.Table("events").Select("id, title, summary").Where("id IN ?", chunk).Order("id").Scan(&evs).Error; err != nil {
			return err
		}
		var tags, texts []struct {
			EventID models.ID
			Text    string
		}
		if err := tx.Table("event_tags").Select("event_id, tag AS text").Where("event_id IN ?", chunk).Order("event_id, tag").Scan(&tags).Error; err != nil {
			return err
		}
		if err := tx.Table("statements").Select("event_id, text").Where("event_id IN ?", chunk).Order("event_id, date_start, id").Scan(&texts).Error; err != nil {
			return err
		}
		words := make(map[models.ID][]string, len(evs))
		for _, e := range evs {
			words[e.ID] = []string{e.Title, e.Summary}
		}
		for _, rows := range [][]struct {
			EventID models.ID
			Text    string
		}{tags, texts} {
			for _, r := range rows {
				words[r.EventID] = append(words[r.EventID], r.Text)
			}
		}
		vals := make([]searchValue, len(evs))
		for i, e := range evs {
			vals[i] = searchValue{e.ID, searchText(words[e.ID]...)}
		}
		if err := setSearchText(tx, "events", vals); err != nil {
			return err
		}
	}
	return nil
}

// searchRow is a row as inserted: the entity's columns and its search text.
type searchRow[T any] struct {
	Entity     T `gorm:"embedded"`
	SearchText string
}

// insertWithSearch inserts new rows of table with the search text text gives each.
func insertWithSearch[T any](tx *gorm.DB, table string, es []*T, text func(*T) string) error {
	rows := make([]searchRow[T], len(es))
	for i, e := range es {
		rows[i] = searchRow[T]{Entity: *e, SearchText: text(e)}
	}
	return tx.Table(table).CreateInBatches(rows, insertBatch).Error
}

// searchValue is the search text of one row.
type searchValue struct {
	id   models.ID
	text string
}

// setSearchText writes the search text of many rows of table with one UPDATE.
func setSearchText(tx *gorm.DB, table string, vals []searchValue) error {
	if len(vals) == 0 {
		return nil
	}
	idParam := "?"
	if tx.Dialector.Name() == "postgres" {
		idParam = "CAST(? AS uuid)"
	}
	var b strings.Builder
	args := make([]any, 0, 2*len(vals))
	b.WriteString("WITH v(id, text) AS (VALUES ")
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + idParam + ", ?)")
		args = append(args, v.id, v.text)
	}
	b.WriteString(") UPDATE " + table + " SET search_text = v.text FROM v WHERE " + table + ".id = v.id")
	return tx.Exec(b.String(), args...).Error
}

// refreshStatementSearch recomputes search_text of one statement: its text and attribution.
func refreshStatementSearch(tx *gorm.DB, st *models.Statement) error {
	return tx.Exec("UPDATE statements SET search_text = ? WHERE id = ?", searchText(st.Text, st.Attribution), st.ID).Error
}

// relevanceSorts is the one order of a ranked search: best first, ties by id.
func relevanceSorts(table string) []sortKey {
	return []sortKey{{name: "relevance", column: table + ".rank", idCol: table + ".id", desc: true, kind: keyFloat}}
}

// relevanceQuery parses q for sort=relevance, which needs one.
func relevanceQuery(q string) (*searchQuery, error) {
	if q == "" {
		return nil, &models.Error{Code: models.EINVALID, Message: "invalid request parameters",
			Fields: []models.FieldError{{Field: "sort", Message: "relevance needs a search query q"}}}
	}
	return parseSearch(q)
}
