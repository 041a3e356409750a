package store

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Pagination limits.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Page is one page of a list, with the cursor of the next page ("" on the last).
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// sortKey is one allow-listed ordering: a leading column and the id as tie-breaker.
// Column names come from code, never from a request.
type sortKey struct {
	name   string // as the API spells it: "date", "-date"
	column string // qualified column
	desc   bool
	kind   keyKind
	idCol  string // tie-breaker column; default: the id of column's table
}

type keyKind int

const (
	keyTime keyKind = iota
	keyString
	keyFloat
)

// cursor is what the opaque cursor encodes: the sort it belongs to and the last row's key.
type cursor struct {
	Sort string `json:"s"`
	Key  string `json:"k"`
	ID   string `json:"i"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort sortKey) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := func(msg string) error {
		return &models.Error{Code: models.EINVALID, Message: "invalid request parameters",
			Fields: []models.FieldError{{Field: "cursor", Message: msg}}}
	}
	if len(s) > 512 {
		return nil, bad("is not a cursor this API issued")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad("is not a cursor this API issued")
	}
	var c cursor
	if err := models.UnmarshalStrict(b, &c); err != nil {
		return nil, bad("is not a cursor this API issued")
	}
	if c.Sort != sort.name {
		return nil, bad("belongs to another sort order; start again without a cursor")
	}
	if _, err := models.ParseID(c.ID); err != nil {
		return nil, bad("is not a cursor this API issued")
	}
	switch sort.kind {
	case keyTime:
		if _, err := time.Parse(time.RFC3339Nano, c.Key); err != nil {
			return nil, bad("is not a cursor this API issued")
		}
	case keyFloat:
		if _, err := strconv.ParseFloat(c.Key, 64); err != nil {
			return nil, bad("is not a cursor this API issued")
		}
	}
	return &c, nil
}

// keyValue turns a cursor key back into the column's Go type.
func (k sortKey) keyValue(c *cursor) any {
	switch k.kind {
	case keyTime:
		t, _ := time.Parse(time.RFC3339Nano, c.Key)
		return t.UTC()
	case keyFloat:
		f, _ := strconv.ParseFloat(c.Key, 64)
		return f
	}
	return c.Key
}

// formatKey renders a row's sort value for a cursor.
func (k sortKey) formatKey(v any) string {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	s, _ := v.(string)
	return s
}

// idColumn is the id column of the table the sort column belongs to.
func (k sortKey) idColumn() string {
	if k.idCol != "" {
		return k.idCol
	}
	for i := len(k.column) - 1; i >= 0; i-- {
		if k.column[i] == '.' {
			return k.column[:i+1] + "id"
		}
	}
	return "id"
}

// apply adds the keyset condition, ordering and limit+1 to q.
func (k sortKey) apply(q *gorm.DB, c *cursor, limit int) *gorm.DB {
	idCol := k.idColumn()
	if c != nil {
		op := ">"
		if k.desc {
			op = "<"
		}
		q = q.Where("("+k.column+", "+idCol+") "+op+" (?, ?)", k.keyValue(c), c.ID)
	}
	return q.Order(clause.OrderBy{Columns: []clause.OrderByColumn{
		{Column: clause.Column{Name: k.column, Raw: true}, Desc: k.desc},
		{Column: clause.Column{Name: idCol, Raw: true}, Desc: k.desc},
	}}).Limit(limit + 1)
}

// finish trims the extra row fetched to detect a next page and builds its cursor.
func finish[T any](k sortKey, rows []T, limit int, key func(T) (any, models.ID)) Page[T] {
	p := Page[T]{Items: rows}
	if len(rows) > limit {
		p.Items = rows[:limit]
		v, id := key(rows[limit-1])
		p.NextCursor = encodeCursor(cursor{Sort: k.name, Key: k.formatKey(v), ID: id.String()})
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	return p
}

// checkLimit applies the default and rejects values outside 1..MaxLimit.
func checkLimit(limit int) (int, error) { return checkCap(limit, DefaultLimit, MaxLimit) }

// checkCap applies a limit's default (for 0) and rejects values outside 1..max.
func checkCap(limit, def, max int) (int, error) {
	switch {
	case limit == 0:
		return def, nil
	case limit < 0 || limit > max:
		return 0, &models.Error{Code: models.EINVALID, Message: "invalid request parameters",
			Fields: []models.FieldError{{Field: "limit", Message: fmt.Sprintf("must be between 1 and %d", max)}}}
	}
	return limit, nil
}

func pickSort(name string, keys []sortKey) (sortKey, error) {
	if name == "" {
		return keys[0], nil
	}
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		if k.name == name {
			return k, nil
		}
		names = append(names, k.name)
	}
	return sortKey{}, &models.Error{Code: models.EINVALID, Message: "invalid request parameters",
		Fields: []models.FieldError{{Field: "sort", Message: "must be one of " + joinQuoted(names)}}}
}

func joinQuoted(xs []string) string {
	b, _ := json.Marshal(xs)
	return string(b)
}

// listParams are the paging parameters every list takes.
type listParams struct {
	sort, cursor string
	limit        int
}

// list runs q as one keyset page under an allow-listed sort. filter adds the WHERE
// clauses; key reports a row's sort value and id for the next cursor.
func list[T any](q *gorm.DB, p listParams, sorts []sortKey, filter func(*gorm.DB) *gorm.DB,
	key func(T, sortKey) any, id func(T) models.ID) (Page[T], error) {
	limit, err := checkLimit(p.limit)
	if err != nil {
		return Page[T]{}, err
	}
	sk, err := pickSort(p.sort, sorts)
	if err != nil {
		return Page[T]{}, err
	}
	c, err := decodeCursor(p.cursor, sk)
	if err != nil {
		return Page[T]{}, err
	}
	var rows []T
	if err := sk.apply(filter(q), c, limit).Find(&rows).Error; err != nil {
		return Page[T]{}, dbError(err, "list")
	}
	return finish(sk, rows, limit, func(r T) (any, models.ID) { return key(r, sk), id(r) }), nil
}
