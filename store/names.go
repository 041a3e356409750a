package store

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-api/parley/models"
	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// Name search (q on /actors, /locations and /sources) finds an entity by a prefix of its
// name, of one of its other names (aliases, a source's outlet) or of its slug, ignoring
// case and diacritics, and ranks what it finds the same way on both databases because
// parley, not the database, folds the text: nameFold, in Go, on the names when they are
// written and on the query when it is asked.
//
// Each entity's names are kept as keys in a table of its kind (actor_names,
// location_names, source_names; migration 9): every name folded into words joined by
// single spaces, and each of its tails from a later word on ("vladimir putin", "putin"),
// so that a prefix of any word of any name is a prefix of a key. A query is one range of
// that table's index (term >= q AND term < q + U+10FFFF) in bytewise order (COLLATE "C" on
// PostgreSQL, SQLite's default BINARY), whatever the database's collation.

// MaxNameQueryLen caps a name search query, in characters: longer than any name one
// would type, and few enough that a query's keys stay short.
const MaxNameQueryLen = 100

// Name key fields: what a key is of the entity, which the ranking reads.
const (
	keyName  = 0 // the whole name
	keyOther = 1 // the whole slug, or a whole alias or outlet
	keyTail  = 2 // a tail of any of them, from its second word on
)

// Name search ranks: what the best key of an entity says of the query.
const (
	rankExact      = 0 // the name, the slug or another name is the query
	rankNamePrefix = 1 // the name starts with the query
	rankWordPrefix = 2 // a word of any of its names starts with the query
)

// Bounds of the keys of one entity, so that neither a write nor the index grows with a
// hostile body: at most maxKeyTails tails per name, at most maxNameKeys keys (the whole
// names first), each at most maxKeyBytes (PostgreSQL's B-tree takes about 2,700).
const (
	maxKeyTails = 10
	maxNameKeys = 500
	maxKeyBytes = 1000
)

// keyRangeEnd closes a prefix range: no key holds U+10FFFF (a noncharacter, neither
// letter nor digit), so in bytewise order a key starts with p exactly when p <= term <
// p + U+10FFFF.
const keyRangeEnd = "\U0010FFFF"

// nameFold puts s in the form names are compared in: case-folded (Unicode full folding,
// so "ß" is "ss"), decomposed with compatibility mappings, without combining marks
// ("Erdoğan" is "erdogan", "й" is "и"), recomposed, and the Latin letters that do not
// decompose replaced as slugs replace them ("Łódź" is "lodz"). The transformers keep
// state, so each call makes its own.
func nameFold(s string) string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, cases.Fold().String(s))
	if err != nil {
		out = strings.ToLower(s)
	}
	return nameLatin.Replace(out)
}

// nameLatin folds the Latin letters without a decomposition (models' latinFold, folded).
var nameLatin = strings.NewReplacer("ł", "l", "đ", "d", "ø", "o", "æ", "ae", "œ", "oe", "ı", "i", "ħ", "h", "þ", "th")

// nameWords is s folded and split into words: runs of letters, digits and (spacing)
// marks. "Recep Tayyip Erdoğan" gives [recep tayyip erdogan]; "vladimir-putin" gives
// [vladimir putin].
func nameWords(s string) []string {
	return strings.FieldsFunc(nameFold(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
}

// clipKey cuts k to maxKeyBytes at a rune boundary.
func clipKey(k string) string {
	if len(k) <= maxKeyBytes {
		return k
	}
	k = k[:maxKeyBytes]
	for !utf8.ValidString(k) {
		k = k[:len(k)-1]
	}
	return strings.TrimRight(k, " ")
}

// nameKey is one key of an entity and what it is of it (keyName, keyOther, keyTail).
type nameKey struct {
	key   string
	field int
}

// nameKeys lists the keys of an entity known by name, slug and others, each once with
// its best field, in a fixed order: the whole strings first, then their tails.
func nameKeys(name, slug string, others []string) []nameKey {
	type text struct {
		words []string
		field int
	}
	texts := []text{{nameWords(name), keyName}, {nameWords(slug), keyOther}}
	for _, o := range others {
		texts = append(texts, text{nameWords(o), keyOther})
	}
	best := map[string]int{}
	var order []string
	add := func(k string, field int) {
		if k = clipKey(k); k == "" {
			return
		}
		if f, ok := best[k]; ok {
			best[k] = min(f, field)
			return
		}
		if len(order) < maxNameKeys {
			best[k] = field
			order = append(order, k)
		}
	}
	for _, t := range texts {
		add(strings.Join(t.words, " "), t.field)
	}
	for _, t := range texts {
		for i := 1; i < len(t.words) && i <= maxKeyTails; i++ {
			add(strings.Join(t.words[i:], " "), keyTail)
		}
	}
	out := make([]nameKey, len(order))
	for i, k := range order {
		out[i] = nameKey{k, best[k]}
	}
	return out
}

// nameIndex is how entities of one kind are found by name: the table of their keys and
// the names each is known by.
type nameIndex[T any, P interface {
	*T
	models.Entity
}] struct {
	kind *models.Kind
	// names gives e's name, slug and other names (aliases, outlet).
	names func(e P) (name, slug string, others []string)
}

// table is the table of the kind's name keys, keyColumn its reference to the entity.
func (ix *nameIndex[T, P]) table() string     { return ix.kind.Name + "_names" }
func (ix *nameIndex[T, P]) keyColumn() string { return ix.kind.Name + "_id" }

// created writes the keys of new entities (the spec's afterCreate hook).
func (ix *nameIndex[T, P]) created(tx *gorm.DB, es []P) error {
	return ix.insert(tx, es)
}

// written rewrites the keys of an updated entity whose names changed (the spec's
// afterWrite hook); a deleted entity's keys go with it (ON DELETE CASCADE).
func (ix *nameIndex[T, P]) written(tx *gorm.DB, old, cur P) error {
	if cur == nil {
		return nil
	}
	if old != nil {
		on, os, oo := ix.names(old)
		cn, cs, co := ix.names(cur)
		if on == cn && os == cs && slices.Equal(oo, co) {
			return nil
		}
	}
	if err := tx.Exec("DELETE FROM "+ix.table()+" WHERE "+ix.keyColumn()+" = ?", cur.GetMeta().ID).Error; err != nil {
		return err
	}
	return ix.insert(tx, []P{cur})
}

// nameInsertRows is how many keys one INSERT carries.
const nameInsertRows = 1000

// insert writes the keys of es, nameInsertRows to a statement.
func (ix *nameIndex[T, P]) insert(tx *gorm.DB, es []P) error {
	var args []any
	rows := 0
	flush := func() error {
		if rows == 0 {
			return nil
		}
		q := "INSERT INTO " + ix.table() + " (" + ix.keyColumn() + ", term, field) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", rows), ", ")
		err := tx.Exec(q, args...).Error
		args, rows = args[:0], 0
		return err
	}
	for _, e := range es {
		name, slug, others := ix.names(e)
		for _, k := range nameKeys(name, slug, others) {
			args = append(args, e.GetMeta().ID, k.key, k.field)
			if rows++; rows == nameInsertRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// nameQuery is a parsed name search: the folded query.
type nameQuery struct{ text string }

// parseNameQuery folds q; a query too long, or with no letter or digit, is a 400.
func parseNameQuery(q string) (*nameQuery, error) {
	bad := func(msg string) error {
		return &models.Error{Code: models.EINVALID, Message: "invalid request parameters",
			Fields: []models.FieldError{{Field: "q", Message: msg}}}
	}
	if utf8.RuneCountInString(q) > MaxNameQueryLen {
		return nil, bad(fmt.Sprintf("must be at most %d characters", MaxNameQueryLen))
	}
	words := nameWords(q)
	if len(words) == 0 {
		return nil, bad("has no letters or digits to search for")
	}
	return &nameQuery{text: clipKey(strings.Join(words, " "))}, nil
}

// matching is the condition that a row of the kind's table has a key starting with q.
func (ix *nameIndex[T, P]) matching(q *nameQuery) (string, []any) {
	return ix.kind.Table + ".id IN (SELECT " + ix.keyColumn() + " FROM " + ix.table() + " WHERE term >= ? AND term < ?)",
		[]any{q.text, q.text + keyRangeEnd}
}

// ranked is a FROM source with the kind's rows that match q, each with rank_key: its
// rank (rankExact, rankNamePrefix, rankWordPrefix), a space and its slug, compared
// bytewise, so that ordering by it is best first, ties by slug, on both databases.
func (ix *nameIndex[T, P]) ranked(db *gorm.DB, q *nameQuery) *gorm.DB {
	t := ix.kind.Table
	rankKey := "CAST(m.rank AS TEXT) || ' ' || " + t + ".slug"
	if db.Dialector.Name() == "postgres" {
		rankKey = "(" + rankKey + `) COLLATE "C"`
	}
	best := fmt.Sprintf("SELECT %[1]s, MIN(CASE WHEN term = ? AND field <= %[3]d THEN %[4]d WHEN field = %[5]d THEN %[6]d ELSE %[7]d END) AS rank"+
		" FROM %[2]s WHERE term >= ? AND term < ? GROUP BY %[1]s",
		ix.keyColumn(), ix.table(), keyOther, rankExact, keyName, rankNamePrefix, rankWordPrefix)
	sub := db.Session(&gorm.Session{NewDB: true}).Table(t).
		Select(t+".*, "+rankKey+" AS rank_key").
		Joins("JOIN ("+best+") m ON m."+ix.keyColumn()+" = "+t+".id", q.text, q.text, q.text+keyRangeEnd)
	return db.Table("(?) AS "+t, sub)
}

// rankedRow is a row of a name search with its rank key.
type rankedRow[T any] struct {
	Entity  T      `gorm:"embedded"`
	RankKey string `gorm:"column:rank_key"`
}

// nameSorts is the one order of a name search: best match first, ties by slug.
func (ix *nameIndex[T, P]) nameSorts() []sortKey {
	return []sortKey{{name: "relevance", column: ix.kind.Table + ".rank_key", idCol: ix.kind.Table + ".id", kind: keyString}}
}

// list is one page of the kind's rows: the plain list (sorts, where, key) without q;
// with q, the rows having a name that starts with it, best match first unless p names
// another sort.
func (ix *nameIndex[T, P]) list(db *gorm.DB, q string, p listParams, sorts []sortKey,
	where func(*gorm.DB) *gorm.DB, key func(T, sortKey) any) (Page[T], error) {
	id := func(r T) models.ID { return P(&r).GetMeta().ID }
	// relevance is listed, so that a 400 for an unknown sort names it; it never gets
	// there, as it is answered below or refused without q.
	all := append(slices.Clone(sorts), ix.nameSorts()...)
	if q == "" {
		if p.sort == "relevance" {
			return Page[T]{}, &models.Error{Code: models.EINVALID, Message: "invalid request parameters",
				Fields: []models.FieldError{{Field: "sort", Message: "relevance needs a search query q"}}}
		}
		return list(db.Table(ix.kind.Table), p, all, where, key, id)
	}
	nq, err := parseNameQuery(q)
	if err != nil {
		return Page[T]{}, err
	}
	if p.sort != "" && p.sort != "relevance" {
		cond, args := ix.matching(nq)
		return list(db.Table(ix.kind.Table), p, all, func(q *gorm.DB) *gorm.DB { return where(q).Where(cond, args...) }, key, id)
	}
	p.sort = "relevance"
	ranked, err := list(ix.ranked(db, nq), p, ix.nameSorts(), where,
		func(r rankedRow[T], _ sortKey) any { return r.RankKey },
		func(r rankedRow[T]) models.ID { return P(&r.Entity).GetMeta().ID })
	if err != nil {
		return Page[T]{}, err
	}
	out := Page[T]{NextCursor: ranked.NextCursor, Items: make([]T, len(ranked.Items))}
	for i, r := range ranked.Items {
		out.Items[i] = r.Entity
	}
	return out, nil
}
